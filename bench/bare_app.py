"""A bare Flask app served the same way as Sangam: the baseline for per-request overhead."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.get("/bare")
def bare():
    return jsonify([{"id": 1, "title": "Heat", "severity": "info"}])
