"""The beat job and the ``flask city`` commands call the same services.  # SC-8"""

from app.city.cli import city
from tests.city.conftest import hours_ago


def test_roll_up_task_is_idempotent(app, make_sensor, ingest, monkeypatch):
    from tasks.city import roll_up_readings

    monkeypatch.setitem(app.config, "READING_RETENTION_DAYS", 0)
    ingest(make_sensor("weather"), [("temperature", 21, hours_ago(3)), ("temperature", 23, hours_ago(2.9))])
    assert roll_up_readings() == {"readings": 2, "hours": 1}
    assert roll_up_readings() == {"readings": 0, "hours": 0}


def test_flask_city_roll_up(app, make_sensor, ingest, monkeypatch):
    monkeypatch.setitem(app.config, "READING_RETENTION_DAYS", 0)
    ingest(make_sensor("noise"), [("noise_db", 55, hours_ago(5))])
    result = app.test_cli_runner().invoke(city, ["roll-up"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Rolled 1 readings into 1 hourly rows")


def test_flask_city_lists_its_commands(app):
    result = app.test_cli_runner().invoke(city, ["--help"])
    assert "ingest-mqtt" in result.output and "roll-up" in result.output
