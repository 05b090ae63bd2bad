"""A new domain goes live from its own package alone: the registry does the wiring (docs/architecture.md).

The test writes a throw-away domain ``app/example`` (its template files and a ``Domain(...)``) and its
task module ``tasks/example.py`` into a temporary folder added to the ``app`` and ``tasks`` packages,
then builds the app in a fresh process: the blueprint, the task, the beat entry, the demo seeder, the
export dataset, the KPI and the Socket.IO channel all work, with no edit anywhere else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EXAMPLE = {
    "example/__init__.py": '''
        from app.core.domain import Beat, Channel, Domain

        DOMAIN = Domain(name="example", title="Example", tasks="tasks.example",
                        beat={"example-tick": Beat("tasks.example.tick", 60.0)},
                        channels=(Channel("example", events=("example_update",), snapshot="service:snapshot"),),
                        requires=("auth",))
    ''',
    "example/models.py": '''
        from sqlalchemy import Integer, String
        from sqlalchemy.orm import Mapped, mapped_column

        from app.extensions import db


        class Thing(db.Model):
            __tablename__ = "example_things"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            name: Mapped[str] = mapped_column(String(40))
    ''',
    "example/schemas.py": '''
        from marshmallow import fields

        from app.core.schemas import Schema


        class ThingSchema(Schema):
            id = fields.Integer()
            name = fields.String()
    ''',
    "example/errors.py": '''
        from app.core.errors import Conflict


        class ThingClash(Conflict):
            """Two things clash."""

            error = "thing_clash"
    ''',
    "example/events.py": '''
        from app.core.events import Event, publish


        def thing_created(thing):
            publish(Event(name="example.thing_created", payload={"id": thing.id}, channel="example",
                          socket_event="example_update", entity="thing", entity_id=thing.id, action="create"))
    ''',
    "example/service.py": '''
        from sqlalchemy import func, select

        from app.core.events import transactional
        from app.extensions import db
        from app.example import events
        from app.example.models import Thing


        def list_things():
            return list(db.session.scalars(select(Thing).order_by(Thing.id)))


        @transactional
        def add_thing(*, name):
            thing = Thing(name=name)
            db.session.add(thing)
            db.session.flush()
            events.thing_created(thing)
            return thing


        def count_now():
            return db.session.scalar(select(func.count(Thing.id)))


        def snapshot(_scope):
            return {"snapshot": True, "things": count_now()}


        def rows(*, owner_id, is_admin, filters):
            for thing in list_things():
                yield {"id": thing.id, "name": thing.name}
    ''',
    "example/api.py": '''
        from flask_smorest import Blueprint

        from app.example import schemas as s
        from app.example import service

        blp = Blueprint("example", __name__, url_prefix="/api/v1/example", description="Example")


        @blp.route("/things", methods=["GET"])
        @blp.response(200, s.ThingSchema(many=True))
        def list_things():
            """List the things."""
            return service.list_things()
    ''',
    "example/datasets.py": '''
        from app.core.datasets import Column, Dataset
        from app.example import service

        DATASETS = [Dataset(name="things", title="Things", columns=[Column("id", "ID"), Column("name", "Name")],
                            rows=service.rows, roles=("admin",))]
    ''',
    "example/kpis.py": '''
        from app.core.metrics import Metric
        from app.example import service

        METRICS = [Metric("example.things", "Things now", "example", "count", current=service.count_now)]
    ''',
    "example/seed.py": '''
        from app.example import service


        def seed_demo():
            if not service.list_things():
                service.add_thing(name="seeded")
    ''',
    "tasks_extra/example.py": '''
        from app.example import service
        from app.extensions import celery


        @celery.task(name="tasks.example.tick", acks_late=True)
        def tick():
            """Count the things."""
            return service.count_now()
    ''',
}

SCRIPT = r'''
import json, sys
import app, tasks
app.__path__.append(sys.argv[1])
tasks.__path__.append(sys.argv[1] + "/tasks_extra")
from flask_migrate import upgrade
from app import create_app
from app.extensions import celery, db, socketio
from tasks.schedule import build_schedule

flask_app = create_app(json.loads(sys.argv[2]))
out = {}
with flask_app.app_context():
    upgrade()
    from app.example.models import Thing
    Thing.__table__.create(db.engine)  # what its migration would do
    from app.auth import service as auth
    admin = auth.register_user(email="admin@example.test", password="Example-passw0rd", full_name="A", role="admin")
    token = auth.issue_tokens(admin)["access_token"]
    result = flask_app.test_cli_runner().invoke(args=["seed-demo"])
    out["seed_output"] = result.output
    client = flask_app.test_client()
    headers = {"Authorization": "Bearer " + token}
    out["things"] = client.get("/api/v1/example/things").get_json()
    out["in_openapi"] = "/api/v1/example/things" in client.get("/api/openapi.json").get_json()["paths"]
    out["task"] = celery.tasks["tasks.example.tick"].delay().get()
    out["beat"] = build_schedule()["example-tick"]["task"]
    job = client.post("/api/v1/reports/exports", json={"dataset": "things", "format": "csv"}, headers=headers)
    out["export"] = client.get(f"/api/v1/reports/exports/{job.get_json()['id']}", headers=headers).get_json()["rows"]
    kpis = client.get("/api/v1/reports/kpis", headers=headers).get_json()["kpis"]
    out["kpi"] = [k["value"] for k in kpis if k["name"] == "example.things"]
    sock = socketio.test_client(flask_app)
    out["subscribe"] = sock.emit("subscribe", {"channel": "example"}, callback=True)
    out["snapshot"] = [e["args"][0] for e in sock.get_received()]
print("RESULT " + json.dumps(out))
'''


def test_a_throw_away_domain_goes_live_from_its_own_package(tmp_path):
    for rel, text in EXAMPLE.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(textwrap.dedent(text).lstrip())
    config = {"TESTING": True, "SECRET_KEY": "example-secret-key-0123456789",
              "JWT_SECRET_KEY": "example-jwt-0123456789",
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'example.db'}", "PASSWORD_HASH_TIME_COST": 1,
              "PASSWORD_HASH_MEMORY_KIB": 8, "EXPORT_DIR": str(tmp_path / "exports"), "LOG_LEVEL": "WARNING"}
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["SANGAM_INSTANCE_DIR"] = str(tmp_path / "instance")
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), json.dumps(config)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.split("RESULT ", 1)[1])
    assert "Example" in out["seed_output"]
    assert out["things"] == [{"id": 1, "name": "seeded"}] and out["in_openapi"]
    assert out["task"] == 1 and out["beat"] == "tasks.example.tick"
    assert out["export"] == 1 and out["kpi"] == [1]
    assert out["subscribe"] == {"ok": True, "room": "example"}
    assert out["snapshot"] == [{"snapshot": True, "things": 1}]
