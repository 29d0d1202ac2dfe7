"""Request Tracker 5 on loopback, for `agent-desktop demo --crm rt` and the tests (tests/support/request_tracker.py
imports it): the one owner of RT processes.

Debian's `request-tracker5`, `rt5-db-sqlite` and `rt5-standalone` (scripts/ensure-system-packages.sh installs them;
the demo only says when they are missing). RT reads a site configuration of ours (`RT_SITE_CONFIG`, and `RT_SITE_CONFIG_DIR` pointed at an
empty folder so /etc/request-tracker5/RT_SiteConfig.d is not read: RT::Config's LoadConfig) with a SQLite database,
its var, Mason and session folders in a private folder, and mail kept in an mbox there (`$MailCommand = 'mbox'`).

A template is built once per machine and RT version, under a cache folder (`~/.cache/agent-desktop/`, or
`$XDG_CACHE_HOME`): `rt-setup-database-5 --action init` (RT's schema and initial data), then `--action insert` of
INITIALDATA (the desk's API user with a SuperUser right, the custom fields the desk keeps its fields in, the
knowledge base's class and articles, and an auth token made with RT's own `RT::AuthToken->Create`, written to a
file), then the mock CRM's customers of a seed (the tests' seed 7 and 60 customers; the demo's seed and 300) created
through REST 2 on a server started on the template. Only a fresh machine pays for that, once per seed: docs/testing.md
says what it costs.

Each `running_rt` copies the template's database into its own folder, starts `rt-server` (Starlet, from
rt5-standalone) on 127.0.0.1 and a free port in a process group of its own, waits (bounded) until REST 2 answers the
token, and stops the whole group after. `python -m agent_desktop_mocks.request_tracker` does that for the demo, and
writes where RT answers and its token into the folder once it does.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import functools
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from agent_desktop_mocks.common.ports import free_port
from agent_desktop_mocks.common.process_group import stop_group

RT_SERVER = Path("/usr/share/request-tracker5/libexec/rt-server")
RT_SETUP_DATABASE = Path("/usr/sbin/rt-setup-database-5")
READY_S = 60.0  # a bound on start to REST 2 answering: RT loads some hundred Perl modules first (docs/testing.md)
SETUP_S = 300.0  # a bound on one rt-setup-database step (docs/testing.md says what they take)
SEED = 7  # the tests' customers, as tests/support/protocol_rigs/contact_center.py's rig_settings seeds them
CUSTOMERS = 60
API_USER = "agent-desktop"
WORKERS = 2  # Starlet's preforked workers: the desk sends a few requests side by side, the machine has 2 cores

SITE_CONFIG = """\
Set($rtname, 'agent-desktop');
Set($Organization, 'agent-desktop.test');
Set($WebDomain, '127.0.0.1');
Set($WebPort, {port});
Set($WebPath, '');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '{folder}/rt.db');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($LogToSTDERR, 'error');
Set($MailCommand, 'mbox');
$RT::VarPath = '{folder}/var';
$RT::MasonDataDir = '{folder}/mason';
$RT::MasonSessionDir = '{folder}/sessions';
1;
"""

# RT's initialdata format (docs: /usr/share/doc/request-tracker5/initialdata.pod.gz). The custom fields are the
# ones agent_desktop/adapters/request_tracker/fields.py names; docs/vendors/request-tracker.md says why each.
INITIALDATA = """\
@Users = ({
    Name => 'agent-desktop', RealName => 'Agent desktop', Privileged => 1,
    EmailAddress => 'agent-desktop@agent-desktop.test',
});
@ACL = ({ UserId => 'agent-desktop', Right => 'SuperUser' });
@CustomFields = (
    { Name => 'Phone', Type => 'FreeformMultiple', LookupType => 'RT::User',
      Description => 'Phone numbers, searchable through REST 2 (RT::User phone columns are not)' },
    { Name => 'Account number', Type => 'FreeformSingle', LookupType => 'RT::User' },
    { Name => 'Tier', Type => 'FreeformSingle', LookupType => 'RT::User' },
    { Name => 'SMS consent', Type => 'SelectSingle', LookupType => 'RT::User',
      Values => [ { Name => 'yes', SortOrder => 1 }, { Name => 'no', SortOrder => 2 } ] },
    { Name => 'Marketing consent', Type => 'SelectSingle', LookupType => 'RT::User',
      Values => [ { Name => 'yes', SortOrder => 1 }, { Name => 'no', SortOrder => 2 } ] },
    { Name => 'Disposition', Type => 'FreeformSingle', LookupType => 'RT::Queue-RT::Ticket', Queue => 0 },
    { Name => 'Contact', Type => 'FreeformMultiple', LookupType => 'RT::Queue-RT::Ticket', Queue => 0 },
    { Name => 'Agent desktop ticket key', Type => 'FreeformSingle', LookupType => 'RT::Queue-RT::Ticket',
      Queue => 0 },
    { Name => 'Agent desktop key', Type => 'FreeformSingle',
      LookupType => 'RT::Queue-RT::Ticket-RT::Transaction', Queue => 0 },
);
@Classes = ({ Name => 'Knowledge base', Description => 'Answers agents read to callers' });
@Final = (sub {
    my $class = RT::Class->new(RT->SystemUser);
    $class->Load('Knowledge base');
    my $content = RT::CustomField->new(RT->SystemUser);
    $content->LoadByName(Name => 'Content', LookupType => RT::Article->CustomFieldLookupType);
    $content->AddToObject($class) if $content->Id;
    my @articles = (
        [ 'Refund a duplicate charge', 'Refunds', 'Check the ledger, then refund the second charge in full.' ],
        [ 'Reset a password', 'Accounts', 'Send the reset link to the email on file; never read it aloud.' ],
    );
    for my $row (@articles) {
        my $article = RT::Article->new(RT->SystemUser);
        my ($id, $msg) = $article->Create(
            Class => $class->Id, Name => $row->[0], Summary => $row->[1],
            'CustomField-' . $content->Id => $row->[2],
        );
        die "article: $msg" unless $id;
    }
    my $user = RT::User->new(RT->SystemUser);
    $user->Load('agent-desktop');
    my $token = RT::AuthToken->new(RT->SystemUser);
    my ($id, $msg, $auth) = $token->Create(Owner => $user->Id, Description => 'agent-desktop tests');
    die "no token: $msg" unless $id;
    open(my $fh, '>', $ENV{AGENT_DESKTOP_RT_TOKEN}) or die "cannot write the token: $!";
    print $fh $auth;
    close $fh;
});
1;
"""


def installed_version() -> str | None:
    """RT's Debian version, or None where it is not installed (or no dpkg says it is)."""
    if not RT_SERVER.exists():
        return None
    try:
        answer = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "request-tracker5"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return answer.stdout.strip() or None


PACKAGES = ("request-tracker5", "rt5-db-sqlite", "rt5-standalone")
MISSING = (
    "Request Tracker 5 is not installed: apt-get install request-tracker5 rt5-db-sqlite rt5-standalone "
    "(scripts/ensure-system-packages.sh installs them)"
)


def missing_packages() -> list[str]:
    """The Debian packages RT needs here that are not installed whole (all of them where dpkg is not)."""
    try:
        answer = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", *PACKAGES],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return list(PACKAGES)
    installed = {line.split()[0] for line in answer.stdout.splitlines() if line.endswith(" install ok installed")}
    return [name for name in PACKAGES if name not in installed]


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "agent-desktop"


@dataclass(frozen=True)
class RtTemplate:
    """An initialised, seeded RT database and the token its API user authenticates with."""

    folder: Path
    version: str

    @property
    def database(self) -> Path:
        return self.folder / "rt.db"

    @property
    def token(self) -> str:
        return (self.folder / "token").read_text().strip()


@dataclass
class RtServer:
    folder: Path
    url: str  # http://127.0.0.1:PORT, REST 2 under /REST/2.0/
    token: str
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def database(self) -> Path:
        return self.folder / "rt.db"

    @property
    def api(self) -> str:
        return f"{self.url}/REST/2.0"

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.api, headers={"Authorization": f"token {self.token}"}, timeout=30.0)

    def log(self) -> str:
        path = self.folder / "rt-server.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """RT's own tables read directly (what was written, not through the backend under test)."""
        with contextlib.closing(sqlite3.connect(self.database, timeout=30)) as db:
            return db.execute(sql, params).fetchall()


def _environment(folder: Path) -> dict[str, str]:
    confd = folder / "RT_SiteConfig.d"
    confd.mkdir(exist_ok=True)
    return {
        **os.environ,
        "RT_SITE_CONFIG": str(folder / "RT_SiteConfig.pm"),
        "RT_SITE_CONFIG_DIR": str(confd),
        "AGENT_DESKTOP_RT_TOKEN": str(folder / "token"),
    }


def _configure(folder: Path, port: int) -> None:
    for sub in ("var", "mason", "sessions"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "RT_SiteConfig.pm").write_text(SITE_CONFIG.format(port=port, folder=folder))


def _setup(folder: Path, *args: str) -> None:
    answer = subprocess.run(
        [str(RT_SETUP_DATABASE), *args],
        env=_environment(folder),
        capture_output=True,
        text=True,
        timeout=SETUP_S,
        check=False,
        start_new_session=True,
    )
    if answer.returncode != 0:
        raise RuntimeError(
            f"rt-setup-database {' '.join(args)} failed:\n{answer.stdout[-2000:]}{answer.stderr[-2000:]}"
        )


def wait_ready(server: RtServer, process: subprocess.Popen[bytes], timeout_s: float = READY_S) -> None:
    """Until REST 2 answers the token (bounded); an RT that exits or refuses the token says so with its log."""
    deadline = time.monotonic() + timeout_s
    with server.client() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"rt-server exited with {process.returncode}:\n{server.log()}")
            try:
                answer = client.get("/rt", timeout=max(0.5, min(10.0, deadline - time.monotonic())))
            except httpx.TransportError:
                time.sleep(0.1)
                continue
            if answer.status_code == 200:
                return
            raise RuntimeError(f"RT answered {answer.status_code} to its token: {answer.text[:300]}\n{server.log()}")
    raise RuntimeError(f"rt-server did not answer within {timeout_s} s:\n{server.log()}")


@contextlib.contextmanager
def _serve(folder: Path, token: str, port: int | None = None) -> Iterator[RtServer]:
    port = port or free_port()
    _configure(folder, port)
    server = RtServer(folder, f"http://127.0.0.1:{port}", token)
    with (folder / "rt-server.log").open("wb") as log:
        process = subprocess.Popen(
            [str(RT_SERVER), "--host", "127.0.0.1", "--port", str(port), "--max-workers", str(WORKERS)],
            env=_environment(folder),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server.process = process
    try:
        wait_ready(server, process)
        yield server
    finally:
        stop_group(process, 15)


@functools.cache
def demo_customers(seed: int = SEED, customers: int = CUSTOMERS) -> list[dict[str, Any]]:
    """The customers the mock CRM seeds (`seed`, `customers`), as RT users: the same people, phones, emails and
    account numbers the other CRM rigs (or the demo's mock CRM) hold, so each is asked about the same callers."""
    import sqlite_utils

    from agent_desktop_mocks.crm.seed import seed as seed_crm
    from agent_desktop_mocks.crm.store import create_tables

    db = sqlite_utils.Database(memory=True)
    create_tables(db)
    seed_crm(db, seed=seed, customers=customers, now=datetime(2026, 1, 1, tzinfo=UTC))
    people = []
    rows = db.execute("select id, name, account_number, tier from customers order by id").fetchall()
    for crm_id, name, account, tier in rows:
        phones = [r[0] for r in db.execute("select e164 from customer_phones where customer_id = ?", [crm_id])]
        emails = [r[0] for r in db.execute("select email_lower from customer_emails where customer_id = ?", [crm_id])]
        people.append(
            {"crm_id": crm_id, "name": name, "phones": phones, "emails": emails, "account": account, "tier": tier}
        )
    return people


def user_of(person: dict[str, Any]) -> dict[str, Any]:
    """An RT user for a customer: named by their email (RT's own habit for the users it makes from mail), phones in
    the searchable `Phone` custom field (agent_desktop/adapters/request_tracker/records.py)."""
    fields: dict[str, Any] = {"Phone": person["phones"]}
    if person.get("account"):
        fields["Account number"] = person["account"]
    if person.get("tier"):
        fields["Tier"] = person["tier"]
    user: dict[str, Any] = {"Name": person["emails"][0], "RealName": person["name"], "CustomFields": fields}
    user["EmailAddress"] = person["emails"][0]
    return user


def _seed(server: RtServer, people: list[dict[str, Any]]) -> None:
    with server.client() as client:
        for person in people:
            answer = client.post("/user", json=user_of(person))
            if answer.status_code != 201:
                raise RuntimeError(f"RT refused {person['name']}: {answer.status_code} {answer.text[:300]}")


def _build(folder: Path, people: list[dict[str, Any]]) -> None:
    _configure(folder, free_port())
    _setup(folder, "--action", "init", "--skip-create")
    _setup(folder, "--action", "insert", "--datafile", str(folder / "initialdata"))
    token = (folder / "token").read_text().strip()
    with _serve(folder, token) as server:
        _seed(server, people)


def template(version: str, seed: int = SEED, customers: int = CUSTOMERS) -> RtTemplate:
    """The template seeded with the mock CRM's customers of `seed` for this RT version and this module's set-up, built
    once (under a file lock: several test processes, or a test and a demo, may ask at once)."""
    people = demo_customers(seed, customers)
    recipe = hashlib.sha256((SITE_CONFIG + INITIALDATA + json.dumps(people)).encode()).hexdigest()[:12]
    root = _cache_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"request-tracker-{version.replace('+', '_').replace('~', '_')}-{recipe}"
    with (root / f"{folder.name}.lock").open("w") as lock:  # one per template: a demo's build stops no test
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "ready").exists():
            building = Path(tempfile.mkdtemp(prefix="rt-build-", dir=root))
            (building / "initialdata").write_text(INITIALDATA)
            try:
                _build(building, people)
                shutil.rmtree(folder, ignore_errors=True)
                building.rename(folder)
            finally:
                shutil.rmtree(building, ignore_errors=True)
            (folder / "ready").write_text(version)
    return RtTemplate(folder, version)


@contextlib.contextmanager
def running_rt(folder: Path, seeded: RtTemplate, port: int | None = None) -> Iterator[RtServer]:
    """RT on 127.0.0.1 (`port`, else a free one) over a copy of the seeded template, in `folder`; stopped (its whole
    group) after."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded.database, folder / "rt.db")
    with _serve(folder, seeded.token, port) as server:
        yield server


READY_FILE = "rt.json"  # where RT answers and its token, written into the folder once it does (owner-only)


def _stop_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    """`python -m agent_desktop_mocks.request_tracker --folder F --port P`: RT over a copy of the template seeded with
    the mock CRM's customers of `--seed`, until SIGINT or SIGTERM (then stopped with its whole group)."""
    from agent_desktop_mocks.ccaas.settings import MockSettings

    defaults = MockSettings()
    parser = argparse.ArgumentParser(prog="python -m agent_desktop_mocks.request_tracker", description=main.__doc__)
    parser.add_argument("--folder", type=Path, required=True, help="RT's database, configuration and log go here")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=defaults.seed, help="the mock CRM's seed (default %(default)s)")
    parser.add_argument("--customers", type=int, default=defaults.customers, help="(default %(default)s)")
    options = parser.parse_args(argv)
    version = installed_version()
    if version is None or missing_packages():
        print(MISSING, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)
    print(f"Request Tracker {version}: its template for seed {options.seed} (built once, minutes)…", file=sys.stderr)
    seeded = template(version, options.seed, options.customers)
    try:
        with running_rt(options.folder, seeded, options.port) as server:
            writing = options.folder / f"{READY_FILE}.part"
            writing.touch(mode=0o600)
            writing.write_text(json.dumps({"url": server.url, "token": server.token}))
            writing.replace(options.folder / READY_FILE)  # whole or not there: the demo reads it once it is
            print(f"Request Tracker answers at {server.url}", file=sys.stderr)
            while True:
                signal.pause()
    except RuntimeError as error:
        print(f"Request Tracker did not start: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
