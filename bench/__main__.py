"""Run every benchmark (``make bench``): each ``bench/<name>.py`` with a ``main()``; print its figures.

``python -m bench`` runs them all; ``python -m bench cached_read`` runs the ones named.
Exits non-zero when one fails.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path

HELPERS = {"server", "bare_app"}  # modules of the harness itself, not benchmarks


def discover() -> list[str]:
    """Names of the benchmark modules in this package, alphabetically."""
    found = pkgutil.iter_modules([str(Path(__file__).parent)])
    return sorted(m.name for m in found if not m.name.startswith("_") and m.name not in HELPERS)


def main(names: list[str]) -> int:
    failed = 0
    for name in names or discover():
        module = importlib.import_module(f"bench.{name}")
        if not callable(getattr(module, "main", None)):
            continue
        try:
            module.main()
        except Exception:
            failed += 1
            print(f"\n== {name} FAILED")
            traceback.print_exc()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
