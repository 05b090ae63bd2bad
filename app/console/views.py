"""Console pages (served at /console): the overview and one page per screen a domain declares.

Pages are static shells; they talk to the JSON API with the logged-in user's token. Which links a
user sees follows the screens' roles (the API enforces them anyway).
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, redirect, render_template

from app.core.domain import screens
from app.core.security import STAFF

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")


def _render(template: str, screen: str):
    return render_template(template, screen=screen, screens=[s for _d, s in screens()], staff=STAFF)


@bp.route("/")
def index():
    """The overview: KPIs, crowds, alerts and parking."""
    return _render("console/index.html", "overview")


@bp.route("/<slug>")
def screen(slug: str):
    """One domain's console screen."""
    if slug not in {s.slug for _d, s in screens()}:
        abort(404)
    return _render(f"console/{slug}.html", slug)


# The console loads only its own scripts, styles and images and talks only to this origin (HTTP and WebSocket).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                           "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")


@bp.after_request
def _content_security_policy(response):
    response.headers.setdefault("Content-Security-Policy", current_app.config.get("CONSOLE_CSP") or
                                CONTENT_SECURITY_POLICY)
    return response


def root_redirect():
    return redirect("/console/")


def init_console(app: Flask) -> None:
    """Serve the console and send / there."""
    app.register_blueprint(bp)
    app.add_url_rule("/", "root", root_redirect)
