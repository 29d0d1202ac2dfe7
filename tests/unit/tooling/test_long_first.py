"""Collection order for xdist (tests/support/long_first.py): the modules holding the longest recorded tests
first, each module's tests together and in their order, the rest as collected."""

from __future__ import annotations

from types import SimpleNamespace

from tests.support.long_first import order_long_first


def test_modules_with_long_tests_go_first_and_stay_whole() -> None:
    ids = ["a.py::t1", "a.py::t2", "b.py::t1", "c.py::t1", "c.py::t2", "d.py::t1"]
    items = [SimpleNamespace(nodeid=i) for i in ids]
    order_long_first(items, {"c.py::t2": 40.0, "b.py::t1": 12.0, "gone.py::t": 99.0})  # type: ignore[arg-type]
    assert [i.nodeid for i in items] == ["c.py::t1", "c.py::t2", "b.py::t1", "a.py::t1", "a.py::t2", "d.py::t1"]
