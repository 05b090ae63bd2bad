"""Console pages (served at /console)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")


@bp.route("/")
def index():
    """The console's single page; it talks to the JSON API with the operator's token."""
    return render_template("console/index.html")


def root_redirect():
    return redirect("/console/")
