"""`python -m scripts.record_scenes [NAME...]` (`make recordings`): record the snapshot tests' scenes again.

Each scene is played against the real mock servers (frozen clock, fixed seed), and what the backends
answered and pushed is written to tests/recordings/<name>.jsonl; then it is replayed from that file with
no server, and the two screens are compared, so a recording that does not replay is never committed
unnoticed. Re-record after a change to what the desk asks of its backends (a replay fails with
`RecordingStale` then), then run the snapshot tests and look at any changed snapshot.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from tests.support.scenes.scene_recordings import RecordingScene, Scene, iter_scenes, recorder_for, replayed
from tests.support.scenes.scenes import SIZE


async def _screen(scene: Scene, world: object) -> str:
    app = scene.app(world)
    async with app.run_test(size=SIZE) as pilot:
        await scene.play(pilot, world)
        return app.export_screenshot()


def record(scene: Scene) -> tuple[str, str]:
    """Record `scene` live, then replay it: the two screens (SVG)."""
    with tempfile.TemporaryDirectory() as folder:
        with scene.servers(Path(folder) / "mocks") as servers:
            recorder = recorder_for(scene, servers)
            live = asyncio.run(_screen(scene, RecordingScene(servers, recorder)))
        recorder.save(scene.path)
        world = replayed(scene, Path(folder) / "replay")
        again = asyncio.run(_screen(scene, world))
        world.replay.check()
        for call in world.replay.unused():  # a timer that fired only while recording: harmless, worth knowing
            print(f"  {scene.name}: recorded but not asked again: {call}")
    return live, again


def main(names: list[str]) -> int:
    different = []
    for scene in iter_scenes(names):
        started = time.monotonic()
        live, again = record(scene)
        same = live == again
        if not same:
            different.append(scene.name)
        lines = len(scene.path.read_text().splitlines())
        print(
            f"{scene.path.relative_to(Path.cwd()) if scene.path.is_relative_to(Path.cwd()) else scene.path}: "
            f"{lines} lines, {time.monotonic() - started:.1f} s, replay {'same' if same else 'DIFFERENT'}"
        )
    if different:
        print(f"the replay drew a different screen: {', '.join(different)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
