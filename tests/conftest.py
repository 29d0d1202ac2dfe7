"""Fixtures: real mock servers on loopback (uvicorn, port 0), each test with its own data; and the markers and
xdist groups every test gets from what it uses (tests/support/tiers.py), so a new file needs no marker to be
run apart from what it would disturb."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

import agent_desktop.ui.app
import tests.support.hypothesis_profiles  # noqa: F401 (loads HYPOTHESIS_PROFILE before any test module)
from agent_desktop.local.desk_log import DESK_LOGGER
from agent_desktop_mocks.ccaas.settings import MockSettings
from agent_desktop_mocks.common.runner import serve_in_thread
from tests.support import tls_once
from tests.support.cpu_load import cores, cpu_load
from tests.support.long_first import order_long_first, recorded
from tests.support.request_tracker import RtTemplate, stop_shared_rt, template
from tests.support.tiers import could_be_exclusive, mark_by_use

tls_once.install()


CPU_LOAD_PROCS = pytest.StashKey[int]()  # how many spin, when the session holds a load


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cpu-load",
        action="store_true",
        default=os.environ.get("CPU_LOAD", "") not in ("", "0"),
        help="keep every core busy for the whole session (tests/support/cpu_load.py; also CPU_LOAD=1; "
        "CPU_LOAD_PROCS=K spinning processes, default one a core)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """`--cpu-load` (`make test-loaded`): the load is held by the process that runs the session (xdist's
    controller, not each worker), from before the workers start until the end, and spins at its priority."""
    if not config.getoption("--cpu-load") or hasattr(config, "workerinput"):
        return
    procs = int(os.environ.get("CPU_LOAD_PROCS") or cores())
    held = contextlib.ExitStack()
    held.enter_context(cpu_load(procs, seconds=float(os.environ.get("CPU_LOAD_MAX_S", "7200"))))
    config.add_cleanup(held.close)
    config.stash[CPU_LOAD_PROCS] = procs


@pytest.hookimpl(tryfirst=True)  # before tests.support.cpu_per_test reads this process's CPU and its reaped children's
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The test process's shared Request Tracker stopped with the session, not later at the interpreter's exit."""
    stop_shared_rt()


def pytest_report_header(config: pytest.Config) -> str | None:
    procs = config.stash.get(CPU_LOAD_PROCS, None)
    return None if procs is None else f"cpu load: {procs} spinning processes ({cores()} cores) at this priority"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The exclusive run of `make test` (`-m exclusive`) skips the test modules that cannot hold an exclusive
    test (tests/support/tiers.py): 14 of ~180 are read, not all of them again."""
    if config.option.markexpr != "exclusive" or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    return not could_be_exclusive(collection_path.read_text(encoding="utf-8"))


@pytest.hookimpl(tryfirst=True)  # before xdist's, which reads the `xdist_group` markers set here
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        mark_by_use(item)
    order_long_first(items, recorded())


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's configuration or DESKTOP_* variables."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # the desk's log folder
    for name in list(os.environ):
        if name.startswith("DESKTOP_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def request_tracker() -> RtTemplate:
    """Request Tracker 5's seeded template, installed (scripts/ensure-system-packages.sh) and built on first use, once
    per machine and RT version (tests/support/request_tracker.py); each test starts RT on a copy with `running_rt`."""
    return template()


def small_settings(data_dir: Path) -> MockSettings:
    """Small seeded data, no simulator: tests drive the traffic themselves."""
    return MockSettings(
        data_dir=data_dir,
        seed=7,
        customers=60,
        experts=20,
        simulator=False,
        offer_timeout_s=20,
        heartbeat_s=15,
        fresh=True,
    )


@pytest.fixture
def mock_settings(tmp_path: Path) -> MockSettings:
    return small_settings(tmp_path / "mocks")


def _start(app_factories: list[Callable[[MockSettings], FastAPI]], settings: MockSettings) -> Iterator[list[str]]:
    running = serve_in_thread([factory(settings) for factory in app_factories])
    try:
        yield running.urls
    finally:
        running.stop()


@pytest.fixture
def ccaas_url(mock_settings: MockSettings) -> Iterator[str]:
    from agent_desktop_mocks.ccaas.api.app import create_app

    for urls in _start([create_app], mock_settings):
        yield urls[0]


@pytest.fixture
def crm_url(mock_settings: MockSettings) -> Iterator[str]:
    from agent_desktop_mocks.crm.app import create_app

    for urls in _start([create_app], mock_settings):
        yield urls[0]


@pytest.fixture
def presence_url(mock_settings: MockSettings) -> Iterator[str]:
    from agent_desktop_mocks.presence.app import create_app

    for urls in _start([create_app], mock_settings):
        yield urls[0]


@dataclass(frozen=True)
class Servers:
    ccaas_url: str
    crm_url: str
    presence_url: str
    settings: MockSettings


@pytest.fixture
def servers(mock_settings: MockSettings) -> Iterator[Servers]:
    """All three mock servers, as the desktop sees them in a demo."""
    from agent_desktop_mocks.ccaas.api.app import create_app as ccaas
    from agent_desktop_mocks.crm.app import create_app as crm
    from agent_desktop_mocks.presence.app import create_app as presence

    for urls in _start([ccaas, crm, presence], mock_settings):
        ccaas_url, crm_url, presence_url = urls
        yield Servers(ccaas_url, crm_url, presence_url, settings=mock_settings)


# Servers shared by a module's tests: for tests that only read, or write under ids no other test of the
# module reads (a server costs about 0.5 s to start and stop). Same data as `mock_settings`.


@pytest.fixture(scope="module")
def shared_mock_settings(tmp_path_factory: pytest.TempPathFactory) -> MockSettings:
    return small_settings(tmp_path_factory.mktemp("shared-mocks"))


@pytest.fixture(scope="module")
def shared_ccaas_url(shared_mock_settings: MockSettings) -> Iterator[str]:
    from agent_desktop_mocks.ccaas.api.app import create_app

    for urls in _start([create_app], shared_mock_settings):
        yield urls[0]


@pytest.fixture(scope="module")
def shared_crm_url(shared_mock_settings: MockSettings) -> Iterator[str]:
    from agent_desktop_mocks.crm.app import create_app

    for urls in _start([create_app], shared_mock_settings):
        yield urls[0]


@pytest.fixture(scope="module")
def shared_presence_url(shared_mock_settings: MockSettings) -> Iterator[str]:
    from agent_desktop_mocks.presence.app import create_app

    for urls in _start([create_app], shared_mock_settings):
        yield urls[0]


TEST_GC_THRESHOLDS = (50000, 20, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported (hypothesis, schemathesis, Textual, the project: ~1M objects per worker) is
    taken out of the garbage collector's full collections, which otherwise walk all of it again and again
    through the run (as the desk does for its own start-up, `AgentDesktopApp._freeze_start_up`).

    Then the collector runs less often: each test makes and drops whole apps and mocks, and at Python's
    thresholds (700, 10, 10) an xdist worker of the ui tier ran 44 full collections over what the tests left
    (3.7 s of its 27 s of CPU, plus 1.3 s in the young generations); at (5000, 20, 100) it runs 6 (1.3 s),
    and the tier needs ~10 % less CPU (a worker's peak RSS then ~230 MB). The youngest generation is collected
    every 50,000 allocations, not 5,000 (Textual's messages and segments are most of them, and short-lived): the
    ui tier on two workers took 75.7 s of CPU instead of 85.6 (2026-11-26); full collections come after as many
    allocations as before (50,000 x 20 x 10), and a worker's peak RSS grew ~10 MB. Garbage is still collected;
    tests that count on something being released call `gc.collect()` themselves."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*TEST_GC_THRESHOLDS)


@pytest.fixture(autouse=True)
def no_start_up_freeze(monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk's start-up freeze is for a desk that runs a shift: its full collection walks all the test
    process holds (0.25-0.4 s of CPU per app), and its unfreeze at exit would undo the session's freeze.
    tests/ui/start_up/test_start_up_freeze.py runs it."""
    monkeypatch.setattr(agent_desktop.ui.app, "FREEZE_AFTER_S", 3600.0)


@pytest.fixture(autouse=True)
def desk_logger_given_back() -> Iterator[None]:
    """A test that starts the desk's log (`start_desk_log`: its own file, not propagated) and leaves it so fails
    itself, not a later test of its worker that reads the desk's log lines with caplog (they went to the file)."""
    logger = logging.getLogger(DESK_LOGGER)
    before = (list(logger.handlers), logger.propagate, logger.level)
    yield
    after = (list(logger.handlers), logger.propagate, logger.level)
    if after != before:
        for handler in set(logger.handlers) - set(before[0]):
            logger.removeHandler(handler)
            handler.close()
        logger.propagate, logger.level = before[1], before[2]
        pytest.fail("the desk's log was left started (its handler, propagate or level): restore it after the test")


@pytest.fixture(autouse=True)
def collector_given_back() -> Iterator[None]:
    """A test that ends with Python's cyclic collector switched off (and not given back) fails itself, not whichever
    test its worker runs next."""
    yield
    if not gc.isenabled():
        gc.enable()
        pytest.fail("the garbage collector was left switched off")
