"""The upload page at `/`: one static HTML template; static/app.js does the work through the API."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

import redactor

bp = Blueprint("page", __name__)


@bp.get("/")
def index() -> str:
    return render_template(
        "index.html", version=redactor.__version__, keys_required=bool(current_app.config["REDACTOR_API_KEYS"])
    )
