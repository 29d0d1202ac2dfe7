"""Twilio's OpenAPI files at a pinned version, installed from npm into a cache outside the repository.

The specs (MIT, from `twilio/twilio-oai`) ship inside the npm package `@twilio-alpha/mcp`, folder
`twilio-oai/spec/`. `npm pack` fetches that one tarball (no dependencies); its SHA-512 must equal the one
kept here (npm's own `integrity` for the version), then the YAML files the tests read are unpacked, each with a
JSON twin (`*.yaml.json`, the same document: json reads it in a fiftieth of the time the YAML takes, which each test
process that checks a Twilio exchange paid, ~0.9 s of CPU for the four). Nothing of the spec is copied into the
repository. Run by `make test` (like scripts/ensure-system-packages.sh) and
by the contract tests' session fixture, so either way the spec is there before it is read:

    python -m scripts.twilio_spec            # prints the folder the specs are in
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@twilio-alpha/mcp"
VERSION = "0.7.0"
# npm's `integrity` of @twilio-alpha/mcp@0.7.0 (byte-identical specs to twilio-oai tag 2.3.4).
SHA512 = "YsUde1pMXwqHm8Cvq9JdtsyvclVCC/f/V+FmxTNN04u5Qt5aapkbQgcfqBYQ0xcmvATBNswgPDo3MPVaCtZK8Q=="
TARBALL = f"twilio-alpha-mcp-{VERSION}.tgz"
SPECS = ("twilio_taskrouter_v1.yaml", "twilio_conversations_v1.yaml", "twilio_flex_v1.yaml", "twilio_api_v2010.yaml")
INSIDE = "package/twilio-oai/spec/yaml/"


class SpecUnavailable(RuntimeError):
    """The pinned spec could not be installed (no npm, no registry, a tarball whose hash differs)."""


def cache_dir() -> Path:
    """`AGENT_DESKTOP_TWILIO_OAI` if set, else ~/.cache/agent-desktop/twilio-oai/{version}."""
    override = os.environ.get("AGENT_DESKTOP_TWILIO_OAI")
    base = (
        Path(override)
        if override
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agent-desktop" / "twilio-oai"
    )
    return base / VERSION


def _sha512(path: Path) -> str:
    return base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _pack(folder: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SpecUnavailable("npm is not installed (Debian package `npm`): it fetches Twilio's pinned spec")
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        done = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", scratch],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=scratch,
        )
        packed = Path(scratch) / TARBALL
        if done.returncode != 0 or not packed.exists():
            raise SpecUnavailable(f"npm pack {PACKAGE}@{VERSION} failed: {done.stderr.strip()[-500:]}")
        if (digest := _sha512(packed)) != SHA512:
            raise SpecUnavailable(f"{TARBALL}: sha512 {digest} is not the pinned {SHA512}")
        target = folder / TARBALL
        packed.replace(target)
    return target


def json_twin(spec: Path) -> Path:
    """The JSON copy of a YAML spec `ensure_spec` writes beside it."""
    return spec.with_name(spec.name + ".json")


def _write_json_twins(folder: Path) -> None:
    import yaml  # the test extra's; only read once per cache

    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        for name in SPECS:
            twin = json_twin(folder / name)
            if twin.is_file():
                continue
            document = yaml.load((folder / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            partial = Path(scratch) / twin.name
            partial.write_text(json.dumps(document), encoding="utf-8")
            partial.replace(twin)


def ensure_spec() -> Path:
    """The folder holding the YAML specs and their JSON twins, fetched and checked the first time (then read from
    the cache).

    Safe to call from several processes at once (pytest-xdist workers): each unpacks into its own scratch
    folder and renames the finished file into place."""
    folder = cache_dir()
    if all((folder / name).is_file() and json_twin(folder / name).is_file() for name in SPECS):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    tarball = folder / TARBALL
    if not tarball.exists() or _sha512(tarball) != SHA512:
        tarball = _pack(folder)
    with tarfile.open(tarball, "r:gz") as archive, tempfile.TemporaryDirectory(dir=folder) as scratch:
        for name in SPECS:
            member = archive.getmember(INSIDE + name)
            source = archive.extractfile(member)
            if source is None:
                raise SpecUnavailable(f"{TARBALL} has no file {INSIDE + name}")
            partial = Path(scratch) / name
            partial.write_bytes(source.read())
            partial.replace(folder / name)
    _write_json_twins(folder)
    return folder


def main() -> int:
    try:
        print(ensure_spec())
    except SpecUnavailable as error:
        print(f"twilio spec: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
