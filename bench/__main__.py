"""Run every benchmark (``make bench``): each ``bench/<name>.py`` with a ``main()``; print its figures.

``python -m bench`` runs them all; ``python -m bench statements`` runs the ones named. The pairs of
the side-by-side run have names of their own, so one pair runs alone:
``python -m bench booking_ceiling`` (also ``parking_ceiling``, ``read_ceiling``; named together they
share one served run). Exits non-zero when one fails.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path

HELPERS = {"server", "ceiling", "loadgen", "probe", "inproc"}  # modules of the harness itself, not benchmarks
PAIRS = {"booking_ceiling": "booking", "parking_ceiling": "parking", "read_ceiling": "read",
         # the names of the benchmarks the side-by-side run replaced
         "booking_rush": "booking", "parking_rush": "parking", "cached_read": "read"}
ORDER = ("side_by_side", "statements", "costcentres")  # first these, then any other, alphabetically


def discover() -> list[str]:
    """Names of the benchmark modules in this package."""
    found = pkgutil.iter_modules([str(Path(__file__).parent)])
    names = sorted(m.name for m in found if not m.name.startswith("_") and m.name not in HELPERS)
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def _plan(names: list[str]) -> list[tuple[str, tuple]]:
    """(module, args) to run: pair names become one side_by_side run."""
    pairs = tuple(dict.fromkeys(PAIRS[n] for n in names if n in PAIRS))
    plan = [(n, ()) for n in names if n not in PAIRS]
    return ([("side_by_side", (pairs,))] if pairs else []) + plan


def main(names: list[str]) -> int:
    failed = 0
    for name, args in _plan(names or discover()):
        module = importlib.import_module(f"bench.{name}")
        if not callable(getattr(module, "main", None)):
            continue
        try:
            module.main(*args)
        except Exception:
            failed += 1
            print(f"\n== {name} FAILED")
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
