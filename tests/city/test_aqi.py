"""CPCB National AQI against hand-computed values at the breakpoint edges.  # SC-4

Hand computation: I = (I_hi - I_lo) / (C_hi - C_lo) * (C - C_lo) + I_lo with the CPCB bands.
"""

import pytest

from app.city import aqi


@pytest.mark.parametrize(("pollutant", "concentration", "expected"), [
    # PM2.5 (24 h, µg/m³): 0–30 | 31–60 | 61–90 | 91–120 | 121–250 | 250+
    ("pm25", 0, 0), ("pm25", 30, 50), ("pm25", 31, 51), ("pm25", 45, 75), ("pm25", 60, 100),
    ("pm25", 61, 101), ("pm25", 90, 200), ("pm25", 91, 201), ("pm25", 120, 300), ("pm25", 121, 301),
    ("pm25", 250, 400), ("pm25", 251, 401), ("pm25", 380, 500), ("pm25", 999, 500),
    # PM10: 0–50 | 51–100 | 101–250 | 251–350 | 351–430 | 430+
    ("pm10", 50, 50), ("pm10", 51, 51), ("pm10", 100, 100), ("pm10", 101, 101), ("pm10", 175, 150),
    ("pm10", 250, 200), ("pm10", 251, 201), ("pm10", 350, 300), ("pm10", 351, 301), ("pm10", 430, 400),
    # NO2: 0–40 | 41–80 | 81–180 | 181–280 | 281–400
    ("no2", 40, 50), ("no2", 41, 51), ("no2", 80, 100), ("no2", 81, 101), ("no2", 180, 200), ("no2", 181, 201),
    ("no2", 400, 400),
    # O3 (8 h): 0–50 | 51–100 | 101–168 | 169–208 | 209–748
    ("o3", 100, 100), ("o3", 101, 101), ("o3", 168, 200), ("o3", 169, 201), ("o3", 208, 300), ("o3", 209, 301),
    ("o3", 748, 400),
    # CO (8 h, mg/m³, tenths): 0–1.0 | 1.1–2.0 | 2.1–10 | 10.1–17 | 17.1–34
    ("co", 1.0, 50), ("co", 1.1, 51), ("co", 2.0, 100), ("co", 2.1, 101), ("co", 10, 200), ("co", 10.1, 201),
    ("co", 17, 300), ("co", 17.1, 301), ("co", 34, 400),
    # SO2: 0–40 | 41–80 | 81–380 | 381–800 | 801–1600
    ("so2", 80, 100), ("so2", 81, 101), ("so2", 380, 200), ("so2", 381, 201), ("so2", 1600, 400),
    # NH3: 0–200 | 201–400 | 401–800 | 801–1200 | 1200–1800
    ("nh3", 200, 50), ("nh3", 201, 51), ("nh3", 400, 100), ("nh3", 401, 101), ("nh3", 800, 200), ("nh3", 801, 201),
])
def test_sub_index_at_breakpoint_edges(pollutant, concentration, expected):
    assert aqi.sub_index(pollutant, concentration) == expected


def test_cpcb_worked_example_pm25():
    # CPCB: "the sub-index for PM2.5 will be 51 at concentration 31, 100 at 60 and 75 at 45"
    assert [aqi.sub_index("pm25", c) for c in (31, 60, 45)] == [51, 100, 75]


def test_mid_band_hand_computed():
    # PM10 300 µg/m³: (300-201)/(350-251) * (300-251) + 201 = 99/99 * 49 + 201 = 250
    assert aqi.sub_index("pm10", 300) == 250
    # O3 120 µg/m³: (200-101)/(168-101) * (120-101) + 101 = 99/67 * 19 + 101 = 129.07 → 129
    assert aqi.sub_index("o3", 120) == 129
    # CO 5.5 mg/m³: (200-101)/(10-2.1) * (5.5-2.1) + 101 = 12.53 * 3.4 + 101 = 143.6 → 144
    assert aqi.sub_index("co", 5.5) == 144


def test_concentrations_are_rounded_to_the_table_precision_halves_up():
    assert aqi.sub_index("pm25", 30.4) == 50
    assert aqi.sub_index("pm25", 30.5) == 51  # 31 µg/m³ once rounded: Satisfactory
    assert aqi.sub_index("co", 1.04) == 50
    assert aqi.sub_index("co", 1.05) == 51


@pytest.mark.parametrize(("value", "name"), [
    (0, "Good"), (50, "Good"), (51, "Satisfactory"), (100, "Satisfactory"), (101, "Moderately polluted"),
    (200, "Moderately polluted"), (201, "Poor"), (300, "Poor"), (301, "Very Poor"), (400, "Very Poor"),
    (401, "Severe"), (500, "Severe"),
])
def test_categories(value, name):
    assert aqi.category_for(value).name == name


def test_aqi_is_the_highest_sub_index_with_its_category_and_advice():
    result = aqi.air_quality({"pm25": 45, "no2": 30, "o3": 120, "co": 0.8})
    assert result.sub_indices == {"pm25": 75, "no2": 38, "o3": 129, "co": 40}
    assert (result.aqi, result.dominant_pollutant) == (129, "o3")
    assert result.category.name == "Moderately polluted"
    assert result.category.health_advice.startswith("May cause breathing discomfort to the people with lung disease")


def test_aqi_needs_three_pollutants():
    result = aqi.air_quality({"pm25": 200, "no2": 30})
    assert result.aqi is None and result.category is None
    # PM2.5 200: 99/129 * (200-121) + 301 = 361.6 → 362; sub-indices are given even without an AQI
    assert result.sub_indices == {"pm25": 362, "no2": 38}


def test_aqi_needs_pm25_or_pm10():
    assert aqi.air_quality({"no2": 30, "o3": 120, "co": 1.5}).aqi is None
    assert aqi.air_quality({"pm10": 30, "o3": 120, "co": 1.5}).aqi == 129


def test_window_needs_enough_hours():
    # 24-hour pollutants need 16 hours of data, 8-hour ones 6
    assert aqi.window_mean("pm25", [40.0] * 15) is None
    assert aqi.window_mean("pm25", [40.0] * 8 + [20.0] * 8) == 30.0
    assert aqi.window_mean("co", [1.0] * 5) is None
    assert aqi.window_mean("co", [1.0] * 6) == 1.0
