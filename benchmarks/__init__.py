"""Benchmarks: `make bench` prints one JSON object per line (name, unit, p50/p99 or value, target)."""
