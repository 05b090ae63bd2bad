"""Console pages (served at /console): the overview and one page per screen a domain declares.

Pages are static shells; they talk to the JSON API with the logged-in user's token. Which links a
user sees follows the screens' roles (the API enforces them anyway).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, redirect, render_template

from app.core.datasets import all_datasets
from app.core.domain import screens
from app.core.security import STAFF

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates", static_folder="static")


def _render(template: str, screen: str, roles: tuple[str, ...]):
    return render_template(template, screen=screen, screen_roles=roles, screens=[s for _d, s in screens()],
                           staff=STAFF, map_tiles=current_app.config.get("CONSOLE_MAP_TILES", ""),
                           map_attribution=current_app.config.get("CONSOLE_MAP_ATTRIBUTION", ""),
                           datasets=[all_datasets()[name] for name in sorted(all_datasets())])


@bp.route("/")
def index():
    """The overview: the map, KPIs, crowds, alerts and parking."""
    return _render("console/index.html", "overview", STAFF)


@bp.route("/<slug>")
def screen(slug: str):
    """One domain's console screen (the page is served to anyone; it shows itself only to the screen's roles)."""
    found = {s.slug: s for _d, s in screens()}
    if slug not in found:
        abort(404)
    return _render(f"console/{slug}.html", slug, found[slug].roles)


# The console loads only its own scripts, styles and images and talks only to this origin (HTTP and WebSocket);
# map tiles, when CONSOLE_MAP_TILES names a tile server, are the one outside image source.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data: blob:{tiles}; connect-src 'self' ws: wss:; font-src 'self'; "
                           "object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")


def tile_source(template: str) -> str:
    """The CSP source of a tile URL template: ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` →
    ``https://*.tile.example.org`` (empty for no template or a relative one, already covered by 'self')."""
    if not template:
        return ""
    parts = urlsplit(template.replace("{s}", "x-subdomain"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("x-subdomain", "*")
    return f"{parts.scheme}://{host}"


@bp.after_request
def _content_security_policy(response):
    source = tile_source(current_app.config.get("CONSOLE_MAP_TILES", ""))
    response.headers.setdefault("Content-Security-Policy", current_app.config.get("CONSOLE_CSP") or
                                CONTENT_SECURITY_POLICY.format(tiles=f" {source}" if source else ""))
    return response


def root_redirect():
    return redirect("/console/")


def init_console(app: Flask) -> None:
    """Serve the console and send / there."""
    app.register_blueprint(bp)
    app.add_url_rule("/", "root", root_redirect)
