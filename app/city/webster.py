"""Webster's method (Road Research Technical Paper 39, 1958) for a fixed-time signal.

Optimum cycle ``C0 = (1.5 L + 5) / (1 - Y)``, with ``L`` the total lost time per cycle and ``Y`` the
sum over phases of the critical flow ratio ``y = q / s`` (flow over saturation flow of the most
loaded approach of the phase). The effective green ``C0 - L`` is shared in proportion to ``y``.
The cycle is kept between practical bounds; with ``Y`` at or above ``MAX_Y`` the junction is over
capacity and gets the longest cycle, flagged so an operator looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_CYCLE_S, MAX_CYCLE_S = 30.0, 180.0
MAX_Y = 0.95


@dataclass(frozen=True)
class Approach:
    name: str
    phase: int
    flow_vph: float
    saturation_vph: float


@dataclass(frozen=True)
class PhasePlan:
    phase: int
    critical_approach: str
    flow_ratio: float
    green_s: float


@dataclass(frozen=True)
class SignalPlan:
    cycle_s: float
    optimum_cycle_s: float | None
    lost_time_s: float
    flow_ratio_sum: float
    oversaturated: bool
    phases: list[PhasePlan]


def critical_ratios(approaches: list[Approach]) -> dict[int, tuple[str, float]]:
    """Per phase, the approach with the highest q/s and that ratio."""
    best: dict[int, tuple[str, float]] = {}
    for a in approaches:
        y = a.flow_vph / a.saturation_vph
        if a.phase not in best or y > best[a.phase][1]:
            best[a.phase] = (a.name, y)
    return dict(sorted(best.items()))


def signal_plan(approaches: list[Approach], *, lost_time_per_phase_s: float = 4.0) -> SignalPlan:
    """Cycle length and effective green per phase for these approaches."""
    critical = critical_ratios(approaches)
    lost = lost_time_per_phase_s * len(critical)
    total_y = sum(y for _name, y in critical.values())
    oversaturated = total_y >= MAX_Y
    optimum = None if oversaturated else (1.5 * lost + 5) / (1 - total_y)
    cycle = MAX_CYCLE_S if optimum is None else min(MAX_CYCLE_S, max(MIN_CYCLE_S, optimum))
    green_total = cycle - lost
    phases = [PhasePlan(phase, name, y, green_total * y / total_y if total_y else green_total / len(critical))
              for phase, (name, y) in critical.items()]
    return SignalPlan(cycle, optimum, lost, total_y, oversaturated, phases)
