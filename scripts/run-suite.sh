#!/usr/bin/env bash
# `make test`'s two runs, side by side: the `exclusive` tests (terminals, ptys, the browser, Prosody, the
# relays, the full disk, the timings: they need the CPU the moment they ask for it) at the normal priority in
# two lanes, and all the others beside them at the lowest (`nice -n 19`) on every core.
#
# The exclusive tests mostly wait (a countdown, a paused process, a page in a browser), so run after the others
# they left the cores idle for about a minute; they failed next to a busy worker of equal priority (a demo in
# tmux missed its waits), not next to one the kernel serves only when they do not need the CPU. Their report
# is printed after the others'. Usage: scripts/run-suite.sh PYTHON "PARALLEL_OPTIONS" "EXCLUSIVE_OPTIONS" [pytest args]
set -uo pipefail

python=$1 parallel_options=$2 exclusive_options=$3
shift 3

# The tests' scratch files (pytest's tmp_path, tempfile's, the servers' and desks' SQLite files) on a memory
# filesystem where there is one: each SQLite commit waits for the disk, and the contract tier took 80 s on the
# disk against 72 s in /dev/shm (the same CPU). Not where /dev/shm is mounted noexec (tests run scripts they
# write). Removed at the end unless a test failed: then kept, and named, until the next run starts (failed runs'
# folders, about 2 GB each in memory, piled up to 19 GB and the machine ran out of it).
scratch="" keep_scratch=0
if [[ -z ${TMPDIR:-} && -d /dev/shm && -w /dev/shm ]] && ! findmnt -no OPTIONS /dev/shm | grep -qw noexec; then
    for old in /dev/shm/agent-desktop-tests-*; do
        [[ -d $old ]] || continue
        owner=$(cat "$old/.run-pid" 2>/dev/null)
        [[ -n $owner ]] && kill -0 "$owner" 2>/dev/null || rm -rf "$old"  # a run still going keeps its own
    done
    scratch=$(mktemp -d /dev/shm/agent-desktop-tests-XXXXXX)
    echo $$ >"$scratch/.run-pid"
    export TMPDIR=$scratch
fi

# How fast the machine runs plain Python now: a suite's time is read against it (tests/support/machine_speed.py).
"$python" -m tests.support.machine_speed

# The slowest tests named at the end of each report: where the suite's minutes go (the target is 8).
slowest="--durations=15 --durations-min=15"
report=$(mktemp -t exclusive-tests-XXXXXX.log)
# Its own cache folder: two pytest runs writing `lastfailed` into one would keep only the last one's.
# shellcheck disable=SC2086  # the options are words
"$python" -m pytest $exclusive_options -m exclusive -o cache_dir=.pytest_cache/exclusive $slowest "$@" >"$report" 2>&1 &
exclusive=$!
trap 'kill "$exclusive" 2>/dev/null; rm -f "$report"; [[ -n $scratch && $keep_scratch == 0 ]] && rm -rf "$scratch"' EXIT

# shellcheck disable=SC2086
nice -n 19 "$python" -m pytest $parallel_options -m "not exclusive" $slowest "$@"
others=$?

wait "$exclusive"
exclusive_status=$?
echo
echo "=== the exclusive tests (run beside the others, at a higher priority) ==="
cat "$report"
if [[ -n $scratch ]] && ((others != 0 || exclusive_status != 0)); then
    keep_scratch=1
    echo "the tests' scratch files are kept in $scratch"
fi
if ((others != 0)); then exit "$others"; fi
exit "$exclusive_status"
