#!/usr/bin/env bash
# Runs a command on a wall clock set to another time of day: `scripts/at-hour.sh 23:55 pytest tests/ui` starts
# every process of the command (and the servers and desks they start) at the next 23:55 UTC, the clock moving on
# from there, through midnight. libfaketime (Debian's `faketime`, scripts/ensure-system-packages.sh) shifts the
# wall clock only: the monotonic clock, which asyncio's timers and the tests' waits run on, is the machine's.
# What a test assumes about the hour (a day that opens at 08:00, a date that does not change) shows.
# One thing fails for libfaketime's sake alone: `time.sleep` raises `OSError: [Errno 22] Invalid argument` (Python 3.11
# sleeps with clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), which libfaketime mangles when the monotonic clock is
# left alone: wolfcw/libfaketime#426), so a test whose code sleeps so fails with that traceback, whatever the hour.
set -euo pipefail

if (($# < 2)) || [[ ! $1 =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]]; then
    echo "usage: scripts/at-hour.sh HH:MM COMMAND [ARGS...]  (HH:MM in UTC)" >&2
    exit 2
fi
libfaketime=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [[ ! -e $libfaketime ]]; then
    echo "libfaketime is not installed: run scripts/ensure-system-packages.sh" >&2
    exit 2
fi
at=$1
shift

now=$(date -u +%s)
offset=$(($(date -u -d "$(date -u +%F) $at" +%s) - now))
((offset >= 0)) || offset=$((offset + 86400)) # the next time it is that hour

# libfaketime makes a shared-memory segment and a semaphore per process and frees them when it exits normally;
# those of processes the tests killed are removed at the end.
leftovers() {
    local file pid
    for file in /dev/shm/faketime_shm_* /dev/shm/sem.faketime_sem_*; do
        [[ -e $file ]] || continue
        pid=${file##*_}
        kill -0 "$pid" 2>/dev/null || rm -f "$file"
    done
}
trap leftovers EXIT

echo "the wall clock at $at UTC (${offset} s from now)" >&2
# FAKETIME_FORCE_MONOTONIC_FIX=0: with its "monotonic fix" on, this glibc's timed waits (the GIL's among them)
# time out too early or too late (tests/e2e/backends/test_clock_jumps.py).
LD_PRELOAD=$libfaketime FAKETIME="+${offset}s" \
    FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 "$@"
