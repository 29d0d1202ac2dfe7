"""`python -m agent_desktop_mocks --no-call-transcripts`: the contact center's calls are silent (what the
1,000-agent floor benchmark runs beside the default, whose every call is transcribed)."""

from __future__ import annotations

from pathlib import Path

from agent_desktop_mocks.cli import build_parser, settings_from_args


def test_calls_are_transcribed_unless_told_not_to(tmp_path: Path) -> None:
    default = settings_from_args(build_parser().parse_args(["--data-dir", str(tmp_path)]))
    silent = settings_from_args(build_parser().parse_args(["--data-dir", str(tmp_path), "--no-call-transcripts"]))
    assert default.call_transcripts is True
    assert silent.call_transcripts is False
