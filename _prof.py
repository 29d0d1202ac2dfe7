import cProfile, pstats, time, sys
from benchmarks.bench_mock_day import floor
sim = floor()
hours = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
for _ in range(int(hours * 4)):
    sim.run_for(900)
e = sim.engine
print("contacts", len(e.contacts()))
for w in ("today", "30m", "15m", "60m"):
    kept = [s.model_dump() for s in e.queue_stats(w)]
    scratch = [s.model_dump() for s in e.queue_stats(w, from_scratch=True)]
    bad = [(a["queue_id"], {k: (a[k], b[k]) for k in a if a[k] != b[k]}) for a, b in zip(kept, scratch) if a != b]
    print(w, "equal" if not bad else bad[:3])
for w in ("today", "30m"):
    for fs in (False, True):
        ts = []
        for _ in range(7):
            t = time.perf_counter(); e.queue_stats(w, from_scratch=fs); ts.append((time.perf_counter() - t) * 1000)
        ts.sort(); print(w, "scratch" if fs else "kept", "p50 %.1f max %.1f" % (ts[3], ts[-1]))
pr = cProfile.Profile(); pr.enable()
for _ in range(5):
    e.queue_stats("today"); e.queue_stats("30m")
pr.disable()
pstats.Stats(pr).sort_stats("tottime").print_stats(20)
