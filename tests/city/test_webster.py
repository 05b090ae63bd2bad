"""Webster's signal plan against textbook examples.  # SC-3"""

import pytest

from app.city.webster import Approach, signal_plan


def test_two_phase_textbook_example():
    # Khanna & Justo style example: flows 500 and 300 pcu/h, saturation 1600 pcu/h each, total lost time 16 s.
    # y1 = 500/1600 = 0.3125, y2 = 300/1600 = 0.1875, Y = 0.5; C0 = (1.5*16 + 5) / (1 - 0.5) = 58 s.
    # Effective green 58 - 16 = 42 s: g1 = 42 * 0.3125/0.5 = 26.25 s, g2 = 42 * 0.1875/0.5 = 15.75 s.
    plan = signal_plan([Approach("north", 1, 500, 1600), Approach("east", 2, 300, 1600)], lost_time_per_phase_s=8)
    assert plan.lost_time_s == 16
    assert plan.flow_ratio_sum == pytest.approx(0.5)
    assert plan.cycle_s == pytest.approx(58.0)
    assert [p.green_s for p in plan.phases] == pytest.approx([26.25, 15.75])


def test_critical_approach_of_each_phase_decides():
    # Phase 1 N 800/2000 = 0.40 beats S 600/2000 = 0.30; phase 2 E 600/1800 = 0.333; lost 3 s per phase (L = 6 s).
    # C0 = (1.5*6 + 5) / (1 - 0.7333) = 14 / 0.26667 = 52.5 s; greens (52.5 - 6) split 0.4 : 0.3333.
    plan = signal_plan([Approach("N", 1, 800, 2000), Approach("S", 1, 600, 2000), Approach("E", 2, 600, 1800)],
                       lost_time_per_phase_s=3)
    assert [p.critical_approach for p in plan.phases] == ["N", "E"]
    assert plan.cycle_s == pytest.approx(52.5)
    assert plan.phases[0].green_s == pytest.approx(46.5 * 0.4 / 0.73333, rel=1e-4)
    assert sum(p.green_s for p in plan.phases) + plan.lost_time_s == pytest.approx(plan.cycle_s)


def test_light_traffic_gets_the_shortest_practical_cycle():
    plan = signal_plan([Approach("a", 1, 50, 1800), Approach("b", 2, 50, 1800)])
    assert plan.optimum_cycle_s < 30
    assert plan.cycle_s == 30


def test_over_capacity_is_flagged_with_the_longest_cycle():
    plan = signal_plan([Approach("a", 1, 1200, 1800), Approach("b", 2, 700, 1800)])
    assert plan.oversaturated and plan.optimum_cycle_s is None
    assert plan.cycle_s == 180
