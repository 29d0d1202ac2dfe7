"""What the mock's media relay hears of a call is the audio the phone sent: each G.711 code (PCMU and PCMA, all 256)
expanded to the 16-bit sample sox expands it to (sox's own G.711 tables, an implementation that shares nothing with
the relay's)."""

from __future__ import annotations

import array
import subprocess
from pathlib import Path

import pytest

from agent_desktop_mocks.ccaas.voice.media import g711


@pytest.mark.parametrize(("payload_type", "sox_type"), [(g711.PCMU, "ul"), (g711.PCMA, "al")])
def test_every_code_is_expanded_as_sox_expands_it(payload_type: int, sox_type: str, tmp_path: Path) -> None:
    codes = bytes(range(256))
    (tmp_path / f"codes.{sox_type}").write_bytes(codes)
    command = ["sox", "-r", "8000", "-c", "1", "-t", sox_type, str(tmp_path / f"codes.{sox_type}")]
    subprocess.run([*command, "-b", "16", "-e", "signed", "-t", "raw", str(tmp_path / "pcm.raw")], check=True)
    expected = array.array("h", (tmp_path / "pcm.raw").read_bytes())
    assert array.array("h", g711.decode(payload_type, codes)) == expected
