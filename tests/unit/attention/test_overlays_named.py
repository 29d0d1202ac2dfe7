"""Every overlay says what it is: the agent is told "The callback dialog closed: …" and a script driving the desk
(`agent-desktop remote`) is refused "The transfer dialog is open", never the generic "The dialog"."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import agent_desktop.ui
from agent_desktop.ui.shared.overlay_screen import OverlayScreen


def _subclasses(cls: type[OverlayScreen[Any]]) -> list[type[OverlayScreen[Any]]]:
    found: list[type[OverlayScreen[Any]]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_overlay_of_the_desks_has_a_name_of_its_own() -> None:
    for module in pkgutil.walk_packages(agent_desktop.ui.__path__, "agent_desktop.ui."):
        importlib.import_module(module.name)
    overlays = [cls for cls in _subclasses(OverlayScreen) if cls.__module__.startswith("agent_desktop.ui.")]
    assert len(overlays) > 20
    unnamed = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in overlays if cls.OVERLAY_NAME == "The dialog")
    assert unnamed == []
