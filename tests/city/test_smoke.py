from tests.city.conftest import hours_ago


def test_ingest_smoke(make_sensor, ingest):
    sensor = make_sensor("air")
    result = ingest(sensor, [("pm25", 42.0, hours_ago(1)), ("pm25", 5000.0, hours_ago(1))])
    assert result["accepted"] == 1
    assert result["rejected"][0]["error"] == "out_of_range"
