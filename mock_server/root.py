"""The app behind any host that is not a site (127.0.0.1, localhost):
an index of the sites and the control API."""

from __future__ import annotations

from flask import Flask, Response, render_template

from .config import MockConfig
from .context import attach
from .control import bp as control_bp
from .control.guard import init_guard
from .control.settings import remember_startup
from .errors import register_error_pages
from .favicon import add_favicon
from .french import register_filters
from .site_app import refuse_framing
from .store import MemoryStore


def create_app(config: MockConfig, store: MemoryStore) -> Flask:
    app = Flask(__name__, template_folder="root_templates", static_folder=None)
    app.config.update(SECRET_KEY=config.secret_key, MAX_CONTENT_LENGTH=64 * 1024)
    attach(app, config, store)
    remember_startup(app, config)
    app.json.ensure_ascii = False  # French messages readable in the control API's JSON
    init_guard(app, config)
    app.register_blueprint(control_bp)
    register_error_pages(app)
    add_favicon(app, "control")
    register_filters(app)
    app.after_request(refuse_framing)

    @app.get("/")
    def index() -> Response:
        page = render_template("index.html", sites=config.site_urls(), personas=store.list_personas())
        # It lists every persona's identifier and password: kept in no cache.
        return Response(page, headers={"Cache-Control": "no-store"})

    @app.context_processor
    def inject_texts() -> dict:
        from . import texts

        return {"texts": texts}

    return app
