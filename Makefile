# Sangam — every set-up step lives here (a fresh machine needs only Python 3.11).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: help venv install install-dev run serve worker beat ingest migrate seed test lint bench screenshot clean

help:
	@echo "make run    - embedded demo on http://127.0.0.1:$(PORT) (SQLite, no Redis, Celery eager)"
	@echo "make test   - install dev requirements and run the whole suite"
	@echo "make serve  - production server (gunicorn) with the environment's settings"
	@echo "make worker / make beat - Celery worker / the one beat scheduler"
	@echo "make ingest - the MQTT consumer of sensor readings (MQTT_URL)"
	@echo "make lint   - ruff + the architecture test;  make bench - benchmarks"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

venv: $(BIN)/python

# requirements-biometrics.txt is the optional face-biometrics extra (dlib and its model files, ~100 MB);
# `make run` and the tests install it. Without it the face endpoints answer 503 biometrics_unavailable.
$(VENV)/.installed: requirements.txt requirements-biometrics.txt | venv
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-biometrics.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-biometrics.txt requirements-dev.txt | venv
	$(BIN)/pip install --quiet -r requirements-dev.txt -r requirements-biometrics.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

run: seed
	$(BIN)/python run.py --host 127.0.0.1 --port $(PORT)

serve: migrate
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

worker: install
	$(BIN)/celery -A celery_worker.celery worker --loglevel=INFO -Q default,notifications,exports,releases

ingest: install
	$(BIN)/flask city ingest-mqtt

beat: install
	$(BIN)/celery -A celery_worker.celery beat --loglevel=INFO --schedule instance/celerybeat-schedule

# Two workers (pytest-xdist), each with its own database and Redis db number (tests/conftest.py).
test: install-dev
	$(BIN)/pytest -n $(or $(TEST_WORKERS),2)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/pytest -q tests/test_architecture.py

bench: install-dev
	@# wrk drives the side-by-side pairs (Debian's package; without it the slower asyncio client is used)
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1; } || echo "wrk not installed: asyncio load generator"
	$(BIN)/python -m bench

# docs/screenshots/console.png: the console's overview with its map (the demo served, Chromium, 1300 px)
screenshot: install-dev
	$(BIN)/python -m tests.screenshot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
