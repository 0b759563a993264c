"""The HTTP API: POST /v1/redact and GET /v1/policies (behind the API keys), /healthz and /openapi.json.

A request's parameters (`policy`, `level`, `format`, `overrides`) come from form fields or JSON keys, then
from the query string. The document comes from a multipart `file` part, a `text` field, JSON `{"text": …}`
or, for `curl --data-binary`, a raw body of a document type. Everything stays in memory.
"""

from __future__ import annotations

import hmac
import json
import os
import re
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

import redactor
from redactor import policy as policies
from redactor.engine import layout_for
from redactor.errors import PolicyError, UnknownPolicy, UnsupportedType
from redactor.render import FORMATS, LAYOUTS, MEDIA_TYPES, render
from redactor.web.openapi import spec
from redactor.web.problems import Problem

v1 = Blueprint("v1", __name__, url_prefix="/v1")
service = Blueprint("service", __name__)

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# Raw request bodies taken as the document itself; the reader decides the format from the bytes.
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RAW_TYPES = ("text/plain", "text/html", "application/pdf", "application/octet-stream", DOCX)
# Declared types of an uploaded part that may be a document; the bytes still decide the reader. Anything
# else (image/png, application/zip, application/msword…) is refused with 415 before any parsing.
PART_TYPES = ("", "application/pdf", "application/x-pdf", "application/octet-stream", "application/xhtml+xml",
              DOCX)
PARAMS = ("policy", "level", "format", "overrides", "date", "layout", "ocr")
# Ask-by-Accept when no `format` is given; JSON first so `Accept: */*` gets JSON.
ACCEPTABLE = {"application/json": "json", "text/plain": "text", "application/pdf": "pdf"}
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
        raise Problem(401, "Unauthorized", "this service needs an API key: send `Authorization: Bearer KEY`",
                      {"WWW-Authenticate": 'Bearer realm="redactor"'})


# ----------------------------------------------------------------------------------------- policies
def _policy_dir() -> str | None:
    return current_app.config["REDACTOR_POLICY_DIR"]


def _load_policy(name: str) -> policies.Policy:
    """A policy by name from the service's list; a path is never read on a client's behalf."""
    known = policies.available(_policy_dir())
    if name not in known:
        raise UnknownPolicy(f"unknown policy {name!r}; known: {', '.join(sorted(known)) or 'none'} "
                            "(GET /v1/policies lists them)")
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


def _document() -> tuple[bytes, str | None, dict[str, Any]]:
    """The uploaded document, its file name and the parameters sent alongside it."""
    mimetype = request.mimetype
    if mimetype in FORM_TYPES:
        upload = request.files.get("file")
        text = request.form.get("text", "")
        params: dict[str, Any] = {k: request.form[k] for k in PARAMS if k in request.form}
        if upload is not None and text:
            raise Problem(400, "Bad request", "send either a `file` part or a `text` field, not both")
        if upload is not None:
            name = _clean_name(upload.filename)
            if not (upload.mimetype in PART_TYPES or upload.mimetype.startswith("text/")):
                raise UnsupportedType(f"unsupported document type {upload.mimetype}: "
                                      "upload text, WikiLeaks HTML, PDF or DOCX")
            return upload.read(), name, params
        return text.encode("utf-8"), None, params
    if mimetype == "application/json":
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise Problem(400, "Bad request", 'the JSON body must be an object like {"text": "..."}')
        text = body.get("text", "")
        if not isinstance(text, str):
            raise Problem(400, "Bad request", "`text` must be a string")
        return text.encode("utf-8"), None, {k: body[k] for k in PARAMS if k in body}
    if mimetype in RAW_TYPES:
        return request.get_data(cache=False), None, {}
    if not mimetype and not request.content_length:
        return b"", None, {}
    raise Problem(415, "Unsupported media type",
                  f"send multipart/form-data, application/json or a raw document "
                  f"({', '.join(RAW_TYPES)}), not {mimetype}")


def _param(params: dict[str, Any], key: str) -> Any:
    if params.get(key) not in (None, ""):
        return params[key]
    return request.args.get(key) or None


def _format(params: dict[str, Any]) -> str:
    fmt = _param(params, "format")
    if fmt is None:
        best = request.accept_mimetypes.best_match(list(ACCEPTABLE), default="application/json")
        return ACCEPTABLE[best or "application/json"]
    if not isinstance(fmt, str) or fmt.lower() not in FORMATS:
        raise Problem(422, "Unknown format", f"format must be one of: {', '.join(FORMATS)}")
    return fmt.lower()


def _overrides(params: dict[str, Any]) -> dict | None:
    raw = _param(params, "overrides")
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise Problem(422, "Invalid overrides", "`overrides` must be a JSON object") from None
    if not isinstance(raw, dict):
        raise Problem(422, "Invalid overrides", "`overrides` must be a JSON object")
    return raw


def _text_param(params: dict[str, Any], key: str) -> str | None:
    value = _param(params, key)
    if value is not None and not isinstance(value, str):
        raise Problem(422, f"Invalid {key}", f"`{key}` must be a string")
    return value


def _flag(params: dict[str, Any], key: str) -> bool:
    value = _param(params, key)
    if value is None or isinstance(value, bool):
        return bool(value)
    if str(value).lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).lower() in ("0", "false", "no", "off"):
        return False
    raise Problem(422, f"Invalid {key}", f"`{key}` must be true or false")


def _with_blocks(release: Any) -> bytes:
    """The JSON release plus its reading-order layout (`blocks`), which the page draws. Blocks hold only
    released text and placeholders, like the rest of a Release."""
    data = release.to_dict()
    data.setdefault("blocks", [{**asdict(b), "prefix": b.prefix} for b in release.blocks])
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@v1.post("/redact")
def redact() -> Response:
    data, name, params = _document()
    if not data:
        raise Problem(400, "No document", 'send a `file` part, a `text` field or JSON {"text": "..."}')
    fmt = _format(params)
    g.format = fmt
    pol = _load_policy(_text_param(params, "policy") or current_app.config["REDACTOR_DEFAULT_POLICY"])
    g.policy = pol.name
    level = _text_param(params, "level")
    g.level = pol.with_level(level).level   # an unknown level fails here, before any work
    overrides = _overrides(params)

    engine = current_app.extensions["redactor"]
    layout = _text_param(params, "layout")
    if layout is not None and layout not in LAYOUTS:
        raise Problem(422, "Unknown layout", f"layout must be one of: {', '.join(LAYOUTS)}")
    layout = layout_for(data, fmt, layout)
    if _flag(params, "ocr"):
        engine = engine.with_options(ocr=True)
    # Only a release on the original pages needs the engine to keep them (the typeset one is the default).
    extra = {"layout": layout} if layout == "original" else {}
    release = engine.redact(data, policy=pol, level=level, name=name, overrides=overrides,
                            date=_text_param(params, "date"), **extra)
    g.disposition = release.disposition.value
    g.withheld = len(release.withheld())
    g.masked = len(release.redactions)

    if fmt == "json" and request.args.get("include") == "blocks":
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
