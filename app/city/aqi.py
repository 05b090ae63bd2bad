"""India's National Air Quality Index (CPCB, IND-AQI, 2014): sub-indices, the AQI and its category.

A pollutant's sub-index is linear between the health breakpoints of its band,
``I = (I_hi - I_lo) / (C_hi - C_lo) * (C - C_lo) + I_lo`` (CPCB's own example: PM2.5 at 31 µg/m³ is 51,
at 45 is 75, at 60 is 100). Concentrations are averaged over 24 hours (8 hours for CO and O3) and
rounded to the table's precision first — whole µg/m³, tenths of mg/m³ for CO — so no value falls in
the gaps between printed bands (30 | 31). The AQI is the highest sub-index, and exists only when at
least three pollutants are known, one of them PM2.5 or PM10. CPCB prints the Severe band open-ended
("250+"); its upper concentrations here are those of CPCB's AQI calculator, and the index stops at 500.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# (C_lo, C_hi) per band Good, Satisfactory, Moderately polluted, Poor, Very poor, Severe
INDEX_BANDS = ((0, 50), (51, 100), (101, 200), (201, 300), (301, 400), (401, 500))
BREAKPOINTS: dict[str, tuple[tuple[float, float], ...]] = {
    "pm10": ((0, 50), (51, 100), (101, 250), (251, 350), (351, 430), (431, 510)),
    "pm25": ((0, 30), (31, 60), (61, 90), (91, 120), (121, 250), (251, 380)),
    "no2": ((0, 40), (41, 80), (81, 180), (181, 280), (281, 400), (401, 520)),
    "o3": ((0, 50), (51, 100), (101, 168), (169, 208), (209, 748), (749, 1000)),
    "co": ((0, 1.0), (1.1, 2.0), (2.1, 10), (10.1, 17), (17.1, 34), (34.1, 51)),
    "so2": ((0, 40), (41, 80), (81, 380), (381, 800), (801, 1600), (1601, 2400)),
    "nh3": ((0, 200), (201, 400), (401, 800), (801, 1200), (1201, 1800), (1801, 2400)),
}
DECIMALS = {"co": 1}
AVERAGING_HOURS = {"pm10": 24, "pm25": 24, "no2": 24, "so2": 24, "nh3": 24, "co": 8, "o3": 8}
# CPCB: a 24-hour sub-index needs at least 16 hours of data; the same two thirds of an 8-hour window is 6 hours
MIN_HOURS = {name: (16 if hours == 24 else 6) for name, hours in AVERAGING_HOURS.items()}
MIN_POLLUTANTS = 3


@dataclass(frozen=True)
class Category:
    name: str
    rank: int
    colour: str
    health_advice: str
    severity: str  # of the live alert raised when a zone rises into this category


CATEGORIES = (
    Category("Good", 0, "#00B050", "Minimal impact.", "info"),
    Category("Satisfactory", 1, "#92D050", "May cause minor breathing discomfort to sensitive people.", "info"),
    Category("Moderately polluted", 2, "#FFFF00",
             "May cause breathing discomfort to the people with lung disease such as asthma, and discomfort to people "
             "with heart disease, children and older adults.", "info"),
    Category("Poor", 3, "#FF9900",
             "May cause breathing discomfort to the people on prolonged exposure, and discomfort to people "
             "with heart disease.",
             "warning"),
    Category("Very Poor", 4, "#FF0000",
             "May cause respiratory illness to the people on prolonged exposure. Effect may be more pronounced "
             "in people with lung and heart diseases.", "critical"),
    Category("Severe", 5, "#C00000",
             "May cause respiratory effects even on healthy people, and serious health impacts on people with "
             "lung/heart disease. The health impacts may be experienced even during light physical activity.",
             "critical"),
)
POOR = CATEGORIES[3]


def half_up(value: float, decimals: int = 0) -> float:
    """Round halves up (30.5 → 31), as the printed tables are read, not to even."""
    scale = 10 ** decimals
    return math.floor(value * scale + 0.5 + 1e-9) / scale


def category_for(aqi: int) -> Category:
    """The CPCB category of an AQI value (0–50 Good … 401–500 Severe)."""
    for category, (_low, high) in zip(CATEGORIES, INDEX_BANDS, strict=True):
        if aqi <= high:
            return category
    return CATEGORIES[-1]


def sub_index(pollutant: str, concentration: float) -> int:
    """The sub-index (0–500) of one pollutant's averaged concentration."""
    c = half_up(max(0.0, concentration), DECIMALS.get(pollutant, 0))
    bands = BREAKPOINTS[pollutant]
    for (c_lo, c_hi), (i_lo, i_hi) in zip(bands, INDEX_BANDS, strict=True):
        if c <= c_hi:
            return int(half_up((i_hi - i_lo) / (c_hi - c_lo) * (max(c, c_lo) - c_lo) + i_lo))
    return 500


@dataclass(frozen=True)
class AirQuality:
    aqi: int | None
    category: Category | None
    dominant_pollutant: str | None
    sub_indices: dict[str, int]

    @property
    def known(self) -> bool:
        return self.aqi is not None


def air_quality(averages: dict[str, float]) -> AirQuality:
    """The AQI from averaged concentrations; ``aqi`` is None when CPCB's data rule is not met."""
    subs = {p: sub_index(p, c) for p, c in averages.items() if p in BREAKPOINTS and c is not None}
    enough = len(subs) >= MIN_POLLUTANTS and ("pm25" in subs or "pm10" in subs)
    if not enough:
        return AirQuality(None, None, None, subs)
    dominant = max(subs, key=lambda p: (subs[p], p in ("pm25", "pm10")))
    return AirQuality(subs[dominant], category_for(subs[dominant]), dominant, subs)


def window_mean(pollutant: str, hourly_means: list[float]) -> float | None:
    """The averaging-window mean of a pollutant's hourly means, or None with too few hours of data."""
    if len(hourly_means) < MIN_HOURS[pollutant]:
        return None
    return sum(hourly_means) / len(hourly_means)
