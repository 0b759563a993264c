"""The HTTP API: POST /v1/redact and GET /v1/policies (behind the API keys), /healthz and /openapi.json.

A request's parameters (`policy`, `level`, `format`, `overrides`) come from form fields or JSON keys, then
from the query string. The document comes from a multipart `file` part, a `text` field, JSON `{"text": …}`
or, for `curl --data-binary`, a raw body of a document type. Everything stays in memory.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import re
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

import redactor
from redactor import policy as policies
from redactor.engine import layout_for
from redactor.errors import PolicyError, UnknownPolicy, UnsupportedType
from redactor.render import MEDIA_TYPES, render
from redactor.web.openapi import spec
from redactor.web.params import BY_NAME, DOCUMENT_FIELDS, FILE_PARTS, QUERY_ONLY, loads, unknown
from redactor.web.problems import Problem

v1 = Blueprint("v1", __name__, url_prefix="/v1")
service = Blueprint("service", __name__)

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Raw request bodies taken as the document itself; the reader decides the format from the bytes.
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RAW_TYPES = ("text/plain", "text/html", "application/pdf", "application/octet-stream", DOCX)
# Declared types of an uploaded part that may be a document; the bytes still decide the reader. Anything
# else (image/png, application/zip, application/msword…) is refused with 415 before any parsing.
PART_TYPES = ("", "application/pdf", "application/x-pdf", "application/octet-stream", "application/xhtml+xml", DOCX)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# --------------------------------------------------------------------------------------------- auth
@v1.before_request
def _require_key() -> None:
    keys: tuple[str, ...] = current_app.config["REDACTOR_API_KEYS"]
    if not keys:
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip()
    ok = False
    if scheme.lower() == "bearer" and given:
        # Compare with every key, without stopping early, so timing says nothing about which matched.
        for key in keys:
            ok |= hmac.compare_digest(given.encode(), key.encode())
    if not ok:
        raise Problem(
            401,
            "Unauthorized",
            "this service needs an API key: send `Authorization: Bearer KEY`",
            {"WWW-Authenticate": 'Bearer realm="redactor"'},
        )


# ----------------------------------------------------------------------------------------- policies
def _policy_dir() -> str | None:
    return current_app.config["REDACTOR_POLICY_DIR"]


def _load_policy(name: str) -> policies.Policy:
    """A policy by name from the service's list; a path is never read on a client's behalf."""
    known = policies.available(_policy_dir())
    if name not in known:
        raise UnknownPolicy(
            f"unknown policy {name!r}; known: {', '.join(sorted(known)) or 'none'} (GET /v1/policies lists them)"
        )
    try:
        return policies.load_file(known[name])
    except PolicyError as exc:
        # The message names the server's file path; the client only needs the policy's name.
        raise PolicyError(str(exc).replace(str(known[name]), f"policy {name}")) from None


@v1.get("/policies")
def list_policies() -> Response:
    out: list[dict[str, Any]] = []
    for name in sorted(policies.available(_policy_dir())):
        try:
            pol = _load_policy(name)
        except PolicyError as exc:
            out.append({"name": name, "error": str(exc)})
            continue
        out.append({**pol.summary(), "levels": pol.scheme_obj.level_names})
    resp = jsonify({"default": current_app.config["REDACTOR_DEFAULT_POLICY"], "policies": out})
    return resp


# ------------------------------------------------------------------------------------------- redact
def _clean_name(filename: str | None) -> str | None:
    """The upload's base name without control characters, for the engine only (never logged)."""
    if not filename:
        return None
    name = _CONTROL.sub("", os.path.basename(filename.replace("\\", "/")))[:200]
    g.upload_names = tuple({filename, name})
    return name or None


def _raw_body() -> bytes:
    """The request body, whole: a body over the limit is a 413 even without a Content-Length (chunked)."""
    limit = current_app.config["REDACTOR_MAX_UPLOAD"]
    if request.content_length is not None:
        return request.get_data(cache=False)
    data = (
        request.environ["wsgi.input"].read(limit + 1)
        if request.environ.get("wsgi.input_terminated")
        else request.get_data(cache=False)
    )
    if len(data) > limit:
        raise RequestEntityTooLarge()
    return data


def _form_document() -> tuple[bytes, str | None, dict[str, Any]]:
    unknown(set(request.form), "form field", (*DOCUMENT_FIELDS, *BY_NAME))
    unknown(set(request.files), "file part", FILE_PARTS)
    params: dict[str, Any] = {k: request.form[k] for k in BY_NAME if k in request.form}
    if "overrides" in request.files:
        if "overrides" in params:
            raise Problem(400, "Bad request", "send `overrides` once: as a field or as a file part")
        params["overrides"] = request.files["overrides"].read()
    upload = request.files.get("file")
    text = request.form.get("text", "")
    if upload is not None and text:
        raise Problem(400, "Bad request", "send either a `file` part or a `text` field, not both")
    if upload is None:
        return text.encode("utf-8"), None, params
    name = _clean_name(upload.filename)
    if not (upload.mimetype in PART_TYPES or upload.mimetype.startswith("text/")):
        raise UnsupportedType(f"unsupported document type {upload.mimetype}: upload text, WikiLeaks HTML, PDF or DOCX")
    return upload.read(), name, params


def _document() -> tuple[bytes, str | None, dict[str, Any]]:
    """The uploaded document, its file name and the parameters sent alongside it."""
    mimetype = request.mimetype
    if mimetype in FORM_TYPES:
        return _form_document()
    if mimetype == "application/json":
        body = loads(_raw_body(), what="the JSON body", status=400)
        if not isinstance(body, dict):
            raise Problem(400, "Bad request", 'the JSON body must be an object like {"text": "..."}')
        unknown(set(body), "JSON key", (*DOCUMENT_FIELDS, *BY_NAME))
        text = body.get("text", "")
        if not isinstance(text, str):
            raise Problem(400, "Bad request", "`text` must be a string")
        return text.encode("utf-8"), None, {k: body[k] for k in BY_NAME if k in body}
    if mimetype in RAW_TYPES:
        return _raw_body(), None, {}
    if not mimetype and not request.content_length:
        return _raw_body(), None, {}
    raise Problem(
        415,
        "Unsupported media type",
        f"send multipart/form-data, application/json or a raw document ({', '.join(RAW_TYPES)}), not {mimetype}",
    )


def _parameters(params: dict[str, Any]) -> dict[str, Any]:
    """Every known parameter, checked: the body's value, else the query string's. Unknown ones are 422."""
    unknown(set(request.args), "query parameter", (*BY_NAME, *QUERY_ONLY))
    for key, allowed in QUERY_ONLY.items():
        if key in request.args and request.args[key] not in allowed:
            raise Problem(422, f"Unknown {key}", f"{key} must be one of: {', '.join(allowed)}")
    out: dict[str, Any] = {}
    for name, param in BY_NAME.items():
        value = params.get(name)
        if value in (None, "", b""):
            value = request.args.get(name) or None
        if value is not None:
            out[name] = param.check(name, value)
    return out


def _format(params: dict[str, Any]) -> str:
    fmt = params.get("format")
    if fmt is None:
        acceptable = _acceptable()
        best = request.accept_mimetypes.best_match(list(acceptable), default="application/json")
        return acceptable[best or "application/json"]
    return fmt


def _acceptable() -> dict[str, str]:
    """Ask-by-Accept when no `format` is given: each registered format by its media type (without
    parameters), JSON first so `Accept: */*` gets JSON."""
    out = {"application/json": "json"}
    for name, media_type in MEDIA_TYPES.items():
        out.setdefault(media_type.split(";")[0].strip(), name)
    return out


def _with_blocks(release: Any) -> bytes:
    """The JSON release plus its reading-order layout (`blocks`), which the page draws, and for a release
    on the original pages each page's image (`pages[].image`, a PNG data URL) for the review view. Blocks
    hold only released text and placeholders, like the rest of a Release; the images are rendered from the
    release's own PDF (withheld regions already burned in), never from the upload."""
    data = release.to_dict()
    data.setdefault("blocks", [{**b.model_dump(), "prefix": b.prefix} for b in release.blocks])
    if release.pages:
        from redactor.render.pages import preview

        for page, png in zip(data["pages"], preview(release), strict=True):
            page["image"] = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@v1.post("/redact")
def redact() -> Response:
    data, name, sent = _document()
    params = _parameters(sent)
    if not data:
        raise Problem(400, "No document", 'send a `file` part, a `text` field or JSON {"text": "..."}')
    fmt = _format(params)
    g.format = fmt
    pol = _load_policy(params.get("policy") or current_app.config["REDACTOR_DEFAULT_POLICY"])
    g.policy = pol.name
    level = params.get("level")
    g.level = pol.with_level(level).level  # an unknown level fails here, before any work
    overrides = params.get("overrides")

    engine = current_app.extensions["redactor"]
    include = request.args.get("include")
    # The review view (`include=pages`) shows the pages a PDF download would have.
    layout = layout_for(data, "pdf" if include == "pages" else fmt, params.get("layout"))
    if params.get("ocr"):
        engine = engine.with_options(ocr=True)
    # Only a release on the original pages needs the engine to keep them (the typeset one is the default).
    extra = {"layout": layout} if layout == "original" else {}
    release = engine.redact(
        data, policy=pol, level=level, name=name, overrides=overrides, date=params.get("date"), **extra
    )
    g.disposition = release.disposition.value
    g.withheld = len(release.withheld())
    g.masked = len(release.redactions)

    if fmt == "json" and include in ("blocks", "pages"):
        body = _with_blocks(release)
    else:
        body = render(release, fmt, layout)
    resp = Response(body, content_type=MEDIA_TYPES[fmt])
    if fmt == "pdf":
        # A fixed name: the upload's own name is the client's business and may itself be sensitive.
        resp.headers["Content-Disposition"] = 'attachment; filename="release.pdf"'
    return resp


# ------------------------------------------------------------------------------------------ service
@service.get("/healthz")
def healthz() -> Response:
    """Liveness for load balancers and the Docker HEALTHCHECK: cheap, never loads the model."""
    return jsonify({"status": "ok", "version": redactor.__version__})


@service.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())
