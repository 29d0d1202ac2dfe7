"""`make screenshots`: an SVG and a PNG of each screen, identical every run.

Each scene runs the desktop headless against the real mock servers (frozen
clock, fixed seed, fixed size). PNGs are rendered with rsvg-convert after
removing the SVG's web-font links (this machine renders Fira Code locally) and
keeping its spaces (xml:space="preserve").
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Coroutine
from functools import partial
from pathlib import Path
from typing import Any

from agent_desktop.ui.themes import MONOCHROME
from tests.support.scenes.adherence_scene import capture_supervisor_adherence
from tests.support.scenes.ask_floor_scene import capture_ask_floor
from tests.support.scenes.auto_accept_scene import capture_auto_accept
from tests.support.scenes.awaiting_scene import capture_awaiting
from tests.support.scenes.break_scene import capture_break_over
from tests.support.scenes.call_coaching_scene import capture_call_coaching, capture_monitor_coaching
from tests.support.scenes.call_sound_scene import capture_call_sound
from tests.support.scenes.call_transcript_scene import capture_call_transcript
from tests.support.scenes.callbacks_scene import capture_callbacks
from tests.support.scenes.conversation_scenes import capture_conversation
from tests.support.scenes.dial_pad_scene import capture_colleague_call, capture_dial_pad
from tests.support.scenes.expert_scenes import EXPERT_STEPS, expert_flow_until
from tests.support.scenes.flags_scene import capture_flags
from tests.support.scenes.follow_up_scene import capture_follow_up
from tests.support.scenes.handoff_scene import capture_handoff, capture_handoff_call
from tests.support.scenes.handover_scene import capture_handover
from tests.support.scenes.help_scenes import SMALL, capture_help
from tests.support.scenes.monitor_scenes import capture_monitor
from tests.support.scenes.my_day_scene import capture_my_day
from tests.support.scenes.quality_scene import capture_auto_evaluation, capture_evaluation, capture_evaluation_result
from tests.support.scenes.reader_scene import capture_reader
from tests.support.scenes.said_alert_scene import capture_said_alert, capture_urgent_assist
from tests.support.scenes.scenes import SIZE, agent_flow_until, scene_app, scene_servers
from tests.support.scenes.sla_scenes import capture_sla_scene
from tests.support.scenes.snooze_scene import capture_snoozed
from tests.support.scenes.supervisor_scene import capture_supervisor
from tests.support.scenes.take_over_scene import capture_take_over
from tests.support.scenes.timeline_scene import capture_timeline
from tests.support.scenes.voicemail_scene import capture_voicemail, capture_voicemail_playing
from tests.support.scenes.workforce_scene import capture_agent_schedule, capture_supervisor_workforce

OUT = Path(__file__).resolve().parent.parent / "screenshots"

SCENES = {
    "agent-available": "available",
    "agent-offer": "offer",
    "agent-connected": "connected",
    "agent-wrap-up": "wrap-up",
    "agent-chats-on-hold": "chats-on-hold",
    "agent-transfer": "transfer-dialog",
    "agent-consult": "consult",
    "agent-experts": "experts-list",
    "agent-expert-menu": "experts-menu",
    "agent-escalation": "experts-message",
    "agent-wrap-up-masked": "wrap-up-masked",
    "screen-pop-picker": "picker",
    "screen-pop-new-caller": "new-caller",
    "agent-ivr-offer": "ivr-offer",
    "agent-callback-dialling": "callback-dialling",
}
# Scenes with their own set-up: name → async capture(name, folder) returning the SVG's path.
OTHER_SCENES: dict[str, Callable[[str, Path], Coroutine[Any, Any, Path]]] = {
    "supervisor": capture_supervisor,
    "agent-chat": partial(capture_conversation, step="chat"),
    "agent-email": partial(capture_conversation, step="email"),
    "agent-quick-responses": partial(capture_conversation, step="quick-responses"),
    "agent-knowledge": partial(capture_conversation, step="knowledge"),  # ctrl+l on a chat
    "agent-suggestion": partial(capture_conversation, step="suggestion"),  # the assistant's reply
    "agent-ai-wrap-up": partial(capture_conversation, step="ai-wrap-up"),  # the model's wrap-up
    "agent-translated-chat": partial(capture_conversation, step="translation"),  # translation both ways
    "agent-ask-box": partial(capture_conversation, step="ask-box"),  # f7, an answer citing its articles
    "agent-help": partial(capture_help, desk="agent", size=SIZE),
    "agent-help-80x24": partial(capture_help, desk="agent", size=SMALL),
    "supervisor-help": partial(capture_help, desk="supervisor", size=SIZE),
    "supervisor-help-80x24": partial(capture_help, desk="supervisor", size=SMALL),
    "supervisor-monitor": partial(capture_monitor, side="supervisor"),
    "agent-whisper": partial(capture_monitor, side="agent"),
    "supervisor-take-over": capture_take_over,  # T on a monitored call, asked first
    # Issue 45, on the in-process mocks (their clock stepped): SLA clocks, a time-boxed wrap-up's countdown.
    "agent-sla-clocks": partial(capture_sla_scene, scene="sla"),
    "agent-sla-clocks-80x24": partial(capture_sla_scene, scene="sla", size=SMALL),
    "agent-wrap-up-countdown": partial(capture_sla_scene, scene="wrap-up"),
    "agent-wrap-up-countdown-80x24": partial(capture_sla_scene, scene="wrap-up", size=SMALL),
    "agent-disposition-picker-80x24": partial(capture_sla_scene, scene="picker", size=SMALL),
    "agent-my-day": capture_my_day,
    "agent-my-day-80x24": partial(capture_my_day, size=SMALL),
    "agent-callbacks-today": capture_callbacks,
    "agent-break-over-limit": capture_break_over,
    "agent-auto-accept": capture_auto_accept,
    "agent-reader": capture_reader,  # reader mode's review region
    "agent-auto-accept-80x24": partial(capture_auto_accept, size=SMALL),
    "supervisor-flags": capture_flags,  # the queue of raised flags, one answered
    "supervisor-flags-80x24": partial(capture_flags, size=SMALL),
    "supervisor-workforce": capture_supervisor_workforce,
    "supervisor-workforce-80x24": partial(capture_supervisor_workforce, size=SMALL),
    "agent-schedule": capture_agent_schedule,
    "supervisor-adherence": capture_supervisor_adherence,  # the adherence board (r)
    "supervisor-adherence-80x24": partial(capture_supervisor_adherence, size=SMALL),
    # Issue 48: the desk under NO_COLOR, in the monochrome theme.
    "agent-monochrome": lambda name, _: _capture(name, "connected", theme=MONOCHROME),
    "supervisor-evaluation": capture_evaluation,  # a finished call scored with the voice form
    "agent-follow-up": capture_follow_up,  # the follow-up SMS after wrap-up, its preview from the record
    # Issue 57: the next call offered over the follow-up dialog left open, at both sizes.
    "agent-offer-over-dialog": partial(capture_follow_up, offer_over=True),
    "agent-offer-over-dialog-80x24": partial(capture_follow_up, size=SMALL, offer_over=True),
    # The model's answers with their passages, one overridden; and that evaluation in the agent's my day.
    "supervisor-auto-evaluation": capture_auto_evaluation,
    "agent-auto-evaluation-result": partial(capture_auto_evaluation, agent=True),
    "agent-evaluation-result": capture_evaluation_result,  # the score and comment in the agent's my day
    "agent-awaiting-reply": capture_awaiting,  # the contacts list filtered to the conversations awaiting our reply
    "agent-snoozed": capture_snoozed,  # snoozed (z) and a reply scheduled to send later (») on the contacts list
    "agent-timeline": capture_timeline,  # the customer's journey across channels on the card
    "agent-call-transcript": capture_call_transcript,  # a call's live transcript and the caller's mood
    "agent-call-sound": capture_call_sound,  # a call's sound on the softphone, each side's live level
    "agent-call-sound-80x24": partial(capture_call_sound, size=SMALL),
    "agent-call-coaching": capture_call_coaching,  # how the call is said: the figures under its transcript
    "agent-call-coaching-80x24": partial(capture_call_coaching, size=SMALL),
    "supervisor-monitor-coaching": capture_monitor_coaching,  # the monitor card: No REC and the same figures
    "agent-dial-pad": capture_dial_pad,  # a call the agent places, its caller ID chosen per queue
    "agent-dial-pad-80x24": partial(capture_dial_pad, size=SMALL),
    "agent-colleague-call": capture_colleague_call,  # C on a free colleague of the directory: the call, internal
    "agent-voicemail-offer": capture_voicemail,  # a message left, offered: its length, first words, which offer
    "agent-voicemail-offer-80x24": partial(capture_voicemail, size=SMALL),
    "agent-voicemail-playing": capture_voicemail_playing,  # in hand: its words, L playing it through the softphone
    "agent-voicemail-playing-80x24": partial(capture_voicemail_playing, size=SMALL),
    "agent-handover-offer": partial(capture_handover, answered=False),  # a transfer's note, before answering
    "agent-call-handover": partial(capture_handover, answered=True),  # and above the call's earlier lines
    "agent-handoff-offer": capture_handoff,  # a chat the virtual agent handed on: why, the intent, the mood
    "agent-handoff-offer-80x24": partial(capture_handoff, size=(80, 24)),
    "agent-handoff-call": capture_handoff_call,  # a call the bot answered first, accepted: what the two said
    "supervisor-ask-floor": capture_ask_floor,  # a question about the floor, answered beside the figures sent
    "supervisor-ask-floor-80x24": partial(capture_ask_floor, size=(80, 24)),
    "supervisor-said-alert": capture_said_alert,  # alerts from what customers said, on the status line
    "supervisor-said-alert-80x24": partial(capture_said_alert, size=SMALL),
    "supervisor-urgent-assist": capture_urgent_assist,  # an urgent contact on top, its reason and brief
}


async def _capture(name: str, step: str, theme: str | None = None) -> Path:
    with tempfile.TemporaryDirectory() as data_dir, scene_servers(Path(data_dir)) as servers:
        app = scene_app(servers)
        async with app.run_test(size=SIZE) as pilot:
            if theme is not None:
                app.theme = theme
            if step in EXPERT_STEPS:
                await expert_flow_until(pilot, servers, step)
            else:
                await agent_flow_until(pilot, servers, step)
            await pilot.pause(0.3)
            return Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))


def svg_for_png(svg: str) -> str:
    svg = re.sub(r"@font-face\s*\{[^}]*\}", "", svg)
    return re.sub(r"<svg ", '<svg xml:space="preserve" ', svg, count=1)


def to_png(svg_path: Path) -> Path:
    png_path = svg_path.with_suffix(".png")
    with tempfile.NamedTemporaryFile("w", suffix=".svg", delete=False) as fixed:
        fixed.write(svg_for_png(svg_path.read_text()))
    subprocess.run(["rsvg-convert", "--zoom", "1.5", "-o", str(png_path), fixed.name], check=True)
    Path(fixed.name).unlink()
    return png_path


def main(argv: list[str] | None = None) -> int:
    """Every screenshot, or those named (`python -m scripts.screenshots supervisor-monitor agent-whisper`)."""
    wanted = set(sys.argv[1:] if argv is None else argv)
    OUT.mkdir(exist_ok=True)
    for name, step in SCENES.items():
        if wanted and name not in wanted:
            continue
        svg = asyncio.run(_capture(name, step))
        png = to_png(svg)
        print(f"{svg.relative_to(OUT.parent)}  {png.relative_to(OUT.parent)}")
    for name, capture in OTHER_SCENES.items():
        if wanted and name not in wanted:
            continue
        svg = asyncio.run(capture(name, OUT))
        png = to_png(svg)
        print(f"{svg.relative_to(OUT.parent)}  {png.relative_to(OUT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
