"""Recordings of what the backends answered and pushed to a desk, and backends that replay them with no server
(the snapshot tests' scenes: tests/support/scenes/scene_recordings.py)."""
