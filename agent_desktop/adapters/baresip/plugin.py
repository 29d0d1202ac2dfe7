"""baresip as a plug-in: the entry point (pyproject.toml, group `agent_desktop.softphone`, kind "baresip") that
builds the softphone from the `[softphone]` section: one already running (`control`), or one the desk starts itself
(`start = true`: agent_desktop/adapters/baresip/launcher.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from agent_desktop.domain.calls.softphone import Softphone
from agent_desktop.domain.plugins import DeskSettings


class SoftphoneSection(Protocol):
    """What a softphone's section says: where its `ctrl_tcp` listens (loopback only: it has no authentication), or
    that the desk starts its own, where and with which audio."""

    @property
    def host(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def start(self) -> bool: ...
    @property
    def folder(self) -> Path: ...
    @property
    def sip_port(self) -> int: ...
    @property
    def audio_source(self) -> str: ...
    @property
    def audio_player(self) -> str: ...
    @property
    def ringer(self) -> str: ...
    @property
    def answer_s(self) -> float: ...
    @property
    def contact_uri(self) -> str | None: ...
    @property
    def user(self) -> str: ...


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def softphone(section: SoftphoneSection, settings: DeskSettings) -> Softphone:
    from agent_desktop.adapters.baresip.launcher import BaresipLauncher, LaunchPlan
    from agent_desktop.adapters.baresip.softphone import BaresipSoftphone

    if section.start:
        plan = LaunchPlan(
            section.folder,
            sip_port=section.sip_port,
            audio_source=section.audio_source,
            audio_player=section.audio_player,
            audio_alert=section.ringer,
            user=section.user,
        )
        return BaresipSoftphone(answer_s=section.answer_s, launcher=BaresipLauncher(plan))
    if section.host not in LOOPBACK:
        raise ValueError(f"baresip's ctrl_tcp has no authentication: host must be loopback, not {section.host!r}")
    return BaresipSoftphone(section.host, section.port, answer_s=section.answer_s, contact=section.contact_uri or "")
