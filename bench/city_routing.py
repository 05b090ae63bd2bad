"""Waste collection routing (SC-5): 100 bins, 3 vehicles, solved by VROOM — target under 1 s.

The bins are scattered over about 4 km × 4 km around Somnath with 60–110 l to pick up each; three
trucks of 3 500 l start and end at the Veraval depot. Each run checks what the plan must hold: every
bin once, no truck over capacity. Timed over several runs (the machine is shared): median and worst.
"""

from __future__ import annotations

import random
import statistics
import time

from app.city import vrp
from bench.server import report

BINS, VEHICLES, CAPACITY_L, RUNS, TARGET_S = 100, 3, 3500, 5, 1.0
DEPOT = (20.9077, 70.3672)


def _stops(seed: int) -> list[vrp.Stop]:
    rng = random.Random(seed)
    return [vrp.Stop(i + 1, 20.888 + rng.uniform(-0.02, 0.02), 70.40 + rng.uniform(-0.02, 0.02), rng.randint(60, 110))
            for i in range(BINS)]


def main() -> dict:
    times, distances = [], []
    for run in range(RUNS):
        stops = _stops(run)
        started = time.perf_counter()
        plan = vrp.plan_routes(depot=DEPOT, stops=stops, vehicles=VEHICLES, capacity_l=CAPACITY_L)
        times.append(time.perf_counter() - started)
        visited = sorted(s for r in plan.routes for s in r.stops)
        assert visited == [s.bin_id for s in stops], "a bin was missed or visited twice"
        assert all(r.load_l <= CAPACITY_L for r in plan.routes) and not plan.unassigned
        distances.append(sum(r.distance_m for r in plan.routes) / 1000)
    figures = {"bins x vehicles": f"{BINS} x {VEHICLES} ({CAPACITY_L} l each)", "runs": RUNS,
               "solve median s": round(statistics.median(times), 3), "solve worst s": round(max(times), 3),
               "mean route km (all trucks)": round(statistics.fmean(distances), 1),
               f"median < {TARGET_S} s": statistics.median(times) < TARGET_S}
    report("city waste routing: CVRP by VROOM (pyvroom)", figures)
    return figures


if __name__ == "__main__":
    main()
