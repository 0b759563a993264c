"""The Flask service through its test client: every route, every error status, the no-leak rules.

Unit tests hand create_app a fake engine (no spaCy); the few marked `model` use the real Redactor.
"""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from redactor.engine import Redactor
from redactor.errors import InputError
from redactor.release import Release
from redactor.web import SECURITY_HEADERS, create_app
from redactor.web.openapi import spec
from redactor.web.settings import SETTINGS, from_env

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-09STATE103113.txt"
CANARY = "QUOKKA-CANARY-5521"


FAKE_CABLE = b"S E C R E T STATE 000001\n\n1. (U) Met Li Wu.\n\n2. (S) Closed.\n"


class FakeRedactor:
    """Answers a fixed two-portion release; remembers what it was asked. Binary input is unreadable."""

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.options: list[dict] = []

    def with_options(self, **options) -> FakeRedactor:
        """The engine with reader options (OCR) for one request: the fake records them and answers alike."""
        self.options.append(options)
        return self

    def redact(
        self, data: bytes | str, *, policy=None, level=None, name=None, overrides=None, date=None, layout=None
    ) -> Release:
        self.calls.append(
            {"data": data, "policy": policy, "level": level, "name": name, "overrides": overrides, "layout": layout}
        )
        if isinstance(data, bytes) and b"\x00" in data:
            raise InputError(f"{name or 'the document'} is not text: it holds NUL bytes")
        # The release of a fixed two-portion cable, made by the engine (a detector that finds one name). The
        # overrides are only recorded: these tests check what HTTP hands the engine, not the review itself.
        from tests.conftest import FakeDetector

        return Redactor(detector=FakeDetector(["Li Wu"])).redact(FAKE_CABLE, policy=policy, level=level, date=date)


def make_app(engine: object | None = None, **config):
    """An app with every setting at its default (whatever this shell's environment says), then `config`."""
    defaults = {s.name: s.default for s in SETTINGS}
    return create_app({**defaults, "TESTING": True, "REDACTOR_ENGINE": engine, **config})


@pytest.fixture
def engine() -> FakeRedactor:
    return FakeRedactor()


@pytest.fixture
def app(engine: FakeRedactor):
    return make_app(engine)


@pytest.fixture
def client(app):
    return app.test_client()


def upload(client, data: bytes = b"1. (U) Hello.", name: str = "cable.txt", query: str = "", **fields):
    form = {"file": (io.BytesIO(data), name), **fields}
    return client.post("/v1/redact" + query, data=form, content_type="multipart/form-data")


def assert_problem(resp, status: int) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    raw = resp.get_data(as_text=True)
    assert "Traceback" not in raw and 'File "' not in raw
    return body


# ------------------------------------------------------------------------------------------- routes
def test_healthz(client) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "ok"


def test_policies_lists_shipped_policies_with_levels(client) -> None:
    body = client.get("/v1/policies").get_json()
    names = [p["name"] for p in body["policies"]]
    assert body["default"] == "public-release" and "public-release" in names
    public = next(p for p in body["policies"] if p["name"] == "public-release")
    assert public["level"] == "UNCLASSIFIED"
    assert public["levels"][:3] == ["UNCLASSIFIED", "CONFIDENTIAL", "SECRET"]


def test_page_is_static_html_with_strict_csp(client) -> None:
    resp = client.get("/")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html  # CSP forbids inline
    assert "/static/app.js" in html and "/static/app.css" in html
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for path in ("/static/app.js", "/static/app.css"):
        assert client.get(path).status_code == 200


def test_page_script_never_writes_html() -> None:
    js = (ROOT / "redactor" / "web" / "static" / "app.js").read_text()
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", js)
    assert "http://" not in js and "https://" not in js  # no CDN, works offline


@pytest.mark.parametrize("path", ["/", "/healthz", "/v1/policies", "/openapi.json", "/nope"])
def test_security_headers_on_every_response(client, path: str) -> None:
    resp = client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert resp.headers[name] == value
    assert resp.headers["X-Request-ID"]


def test_unknown_route_and_method_are_problems(client) -> None:
    assert_problem(client.get("/nope"), 404)
    body = assert_problem(client.get("/v1/redact"), 405)
    assert body["title"] == "Method Not Allowed"


# ------------------------------------------------------------------------------------------ /redact
def test_redact_json_matches_contract(client, engine: FakeRedactor) -> None:
    resp = upload(client, query="?format=json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.headers["Cache-Control"] == "no-store"
    body = resp.get_json()
    assert set(body) >= {"document", "policy", "release", "portions", "redactions", "text"}
    assert "blocks" not in body
    assert {k: body["policy"][k] for k in ("name", "level")} == {"name": "public-release", "level": "UNCLASSIFIED"}
    assert body["release"]["disposition"] == "RELEASE IN PART"
    p2 = body["portions"][1]
    assert {k: p2[k] for k in ("id", "number", "mark", "level", "decision", "codes")} == {
        "id": "p2",
        "number": "2",
        "mark": "(S)",
        "level": "SECRET",
        "decision": "withhold",
        "codes": ["B1"],
    }
    r = body["redactions"][0]
    assert body["text"][r["start"] : r["end"]] == "[B6]"
    assert engine.calls[0]["name"] == "cable.txt"


def test_redact_json_with_blocks_for_the_page(client) -> None:
    body = upload(client, query="?format=json&include=blocks").get_json()
    assert [b["kind"] for b in body["blocks"]] == ["struck", "portion", "withheld"]


def test_redact_text(client) -> None:
    resp = upload(client, format="text")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "[WITHHELD B1]" in resp.get_data(as_text=True)


def test_redact_pdf_opens_with_pypdf(client) -> None:
    resp = upload(client, format="pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="release.pdf"'
    reader = PdfReader(io.BytesIO(resp.data))
    assert len(reader.pages) >= 1
    assert "UNCLASSIFIED" in "".join(page.extract_text() for page in reader.pages)


def test_accept_header_chooses_format_when_none_given(client) -> None:
    resp = client.post("/v1/redact", data={"text": "1. (U) Hi."}, headers={"Accept": "text/plain"})
    assert resp.mimetype == "text/plain"
    resp = client.post("/v1/redact", data={"text": "1. (U) Hi."})
    assert resp.mimetype == "application/json"


@pytest.mark.parametrize("how", ["form", "json", "raw", "query"])
def test_input_and_parameter_forms(client, engine: FakeRedactor, how: str) -> None:
    params = {"policy": "cleared-us-confidential", "level": "confidential", "format": "text"}
    if how == "form":
        resp = client.post("/v1/redact", data={"text": "1. (U) Hi.", **params})
    elif how == "json":
        resp = client.post("/v1/redact", json={"text": "1. (U) Hi.", **params})
    elif how == "raw":
        resp = client.post(
            "/v1/redact?policy=cleared-us-confidential&level=confidential&format=text",
            data=b"1. (U) Hi.",
            content_type="text/plain",
        )
    else:
        resp = client.post(
            "/v1/redact?policy=cleared-us-confidential&level=confidential&format=text", data={"text": "1. (U) Hi."}
        )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.mimetype == "text/plain"
    call = engine.calls[-1]
    assert call["data"] == b"1. (U) Hi."
    assert call["policy"].name == "cleared-us-confidential" and call["level"] == "confidential"


def test_form_fields_win_over_query(client, engine: FakeRedactor) -> None:
    client.post("/v1/redact?policy=nato-unclassified", data={"text": "x", "policy": "public-release"})
    assert engine.calls[-1]["policy"].name == "public-release"


@pytest.mark.parametrize("send", ["form", "json"])
def test_overrides_pass_through(client, engine: FakeRedactor, send: str) -> None:
    overrides = {"p2": {"decision": "release", "justification": "declassified 2019"}}
    if send == "form":
        resp = client.post("/v1/redact", data={"text": "x", "overrides": json.dumps(overrides)})
    else:
        resp = client.post("/v1/redact", json={"text": "x", "overrides": overrides})
    assert resp.status_code == 200
    assert engine.calls[-1]["overrides"] == overrides


# ------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": {}},
        {"data": {"text": ""}},
        {"data": {"file": (io.BytesIO(b""), "empty.txt")}, "content_type": "multipart/form-data"},
        {"json": {"text": ""}},
        {"json": ["not", "an", "object"]},
        {"data": b"{broken", "content_type": "application/json"},
        {"data": {"text": "a", "file": (io.BytesIO(b"b"), "b.txt")}, "content_type": "multipart/form-data"},
        {},
    ],
    ids=["no-field", "empty-text", "empty-file", "empty-json", "json-array", "bad-json", "both", "no-body"],
)
def test_400_no_or_bad_input(client, kwargs: dict) -> None:
    assert_problem(client.post("/v1/redact", **kwargs), 400)


def test_404_unknown_policy(client) -> None:
    body = assert_problem(client.post("/v1/redact", data={"text": "x", "policy": "nope"}), 404)
    assert "public-release" in body["detail"]


@pytest.mark.parametrize(
    "policy", ["/etc/passwd", "../policies/public-release.yaml", str(ROOT / "policies" / "public-release.yaml")]
)
def test_policy_paths_are_never_read_over_http(client, policy: str) -> None:
    assert_problem(client.post("/v1/redact", data={"text": "x", "policy": policy}), 404)


def test_413_over_the_upload_limit(engine: FakeRedactor) -> None:
    client = make_app(engine, REDACTOR_MAX_UPLOAD=1024).test_client()
    assert upload(client, data=b"1. (U) ok").status_code == 200
    assert_problem(upload(client, data=b"x" * 2048), 413)
    assert_problem(client.post("/v1/redact", data={"text": "x" * 2048}), 413)
    body = assert_problem(client.post("/v1/redact", json={"text": "x" * 2048}), 413)
    assert "1024 bytes" in body["detail"] and "REDACTOR_MAX_UPLOAD" in body["detail"]
    assert not engine.calls[1:]


def test_default_upload_limit_is_10_mb() -> None:
    assert from_env({})["REDACTOR_MAX_UPLOAD"] == 10 * 1024 * 1024
    assert from_env({"REDACTOR_MAX_UPLOAD": "2M"})["REDACTOR_MAX_UPLOAD"] == 2 * 1024 * 1024
    with pytest.raises(ValueError, match="REDACTOR_MAX_UPLOAD"):
        from_env({"REDACTOR_MAX_UPLOAD": "lots"})


@pytest.mark.parametrize("content_type", ["application/xml", "image/png", "text/csv"])
def test_415_unsupported_request_type(client, content_type: str) -> None:
    assert_problem(client.post("/v1/redact", data=b"<x/>", content_type=content_type), 415)


@pytest.mark.parametrize("part_type", ["image/png", "application/zip", "application/msword"])
def test_415_unsupported_upload_type(client, engine: FakeRedactor, part_type: str) -> None:
    form = {"file": (io.BytesIO(b"\x89PNG\r\n"), "scan.png", part_type)}
    assert_problem(client.post("/v1/redact", data=form, content_type="multipart/form-data"), 415)
    assert not engine.calls


def test_422_unreadable_document_without_echoing_the_file_name(client) -> None:
    name = f"<script>{CANARY}</script>.txt"
    resp = upload(client, data=b"\x00\x01\x02 binary", name=name)
    body = assert_problem(resp, 422)
    raw = resp.get_data(as_text=True)
    assert CANARY not in raw and "<script>" not in raw
    assert body["title"] == "Unreadable document"


@pytest.mark.parametrize(
    "fields,title",
    [
        ({"level": "COSMIC ULTRA"}, "Unknown level"),
        ({"format": "docx"}, "Unknown format"),
        ({"overrides": "{not json"}, "Invalid overrides"),
        ({"overrides": "[1, 2]"}, "Invalid overrides"),
    ],
)
def test_422_bad_parameters(client, fields: dict, title: str) -> None:
    body = assert_problem(client.post("/v1/redact", data={"text": "1. (U) x", **fields}), 422)
    assert body["title"] == title


def test_422_invalid_policy_file_names_the_key_not_the_server_path(engine: FakeRedactor, tmp_path) -> None:
    (tmp_path / "broken.yaml").write_text("name: broken\nlevel: MEGA\n")
    client = make_app(engine, REDACTOR_POLICY_DIR=str(tmp_path)).test_client()
    body = assert_problem(client.post("/v1/redact", data={"text": "x", "policy": "broken"}), 422)
    assert "level" in body["detail"] and str(tmp_path) not in body["detail"]
    listed = client.get("/v1/policies").get_json()["policies"]
    assert any(p["name"] == "broken" and "error" in p for p in listed)


def test_500_is_generic_and_logged_without_content(engine: FakeRedactor, caplog) -> None:
    def explode(data, **kw):
        raise RuntimeError(f"boom while reading {data!r}")

    engine.redact = explode
    client = make_app(engine).test_client()
    with _capture() as lines:
        resp = client.post("/v1/redact", data={"text": CANARY})
    body = assert_problem(resp, 500)
    assert CANARY not in resp.get_data(as_text=True) and "boom" not in body["detail"]
    logged = "\n".join(lines)
    assert "RuntimeError" in logged and CANARY not in logged and "boom" not in logged


# --------------------------------------------------------------------------------------------- auth
@pytest.fixture
def keyed(engine: FakeRedactor):
    return make_app(engine, REDACTOR_API_KEYS=("k-one", "k-two")).test_client()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic k-one", "Bearer ", "k-one"])
def test_401_without_a_valid_key(keyed, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    for resp in (
        keyed.post("/v1/redact", data={"text": "x"}, headers=headers),
        keyed.get("/v1/policies", headers=headers),
    ):
        assert_problem(resp, 401)
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("key", ["k-one", "k-two"])
def test_any_configured_key_is_accepted(keyed, key: str) -> None:
    resp = keyed.post("/v1/redact", data={"text": "x"}, headers={"Authorization": f"Bearer {key}"})
    assert resp.status_code == 200


def test_open_routes_stay_open_with_keys(keyed) -> None:
    for path in ("/", "/healthz", "/openapi.json", "/static/app.js"):
        assert keyed.get(path).status_code == 200


# ------------------------------------------------------------------------------------------ openapi
def _routes(app) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        out |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_openapi_matches_the_routes(app, client) -> None:
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert documented == _routes(app)


@pytest.mark.parametrize(
    "config,message",
    [
        ({"REDACTOR_DEFAULT_POLICY": "nope"}, "REDACTOR_DEFAULT_POLICY"),
        ({"REDACTOR_POLICY_DIR": "/nonexistent/policies"}, "REDACTOR_POLICY_DIR"),
    ],
)
def test_bad_settings_fail_at_start(engine: FakeRedactor, config: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_app(engine, **config)


@pytest.mark.parametrize(
    "env",
    [
        {"REDACTOR_API_KEYS": ""},
        {"REDACTOR_API_KEYS": ","},
        {"REDACTOR_API_KEYS": " , "},
        {"REDACTOR_API_KEYS": "good-key-1,,good-key-2"},
        {"REDACTOR_API_KEYS": "short"},
        {"REDACTOR_API_KEYS": "has a space"},
        {"REDACTOR_MAX_UPLOAD": "0"},
        {"REDACTOR_MAX_UPLOAD": "2G"},
    ],
)
def test_unusable_settings_refuse_to_start(env: dict) -> None:
    with pytest.raises(ValueError, match=next(iter(env))):
        from_env(env)


def test_usable_keys_parse() -> None:
    assert from_env({"REDACTOR_API_KEYS": "key-one-1, key-two-2"})["REDACTOR_API_KEYS"] == ("key-one-1", "key-two-2")


@pytest.mark.parametrize("workers,port", [(0, 8000), (-1, 8000), (2, 0), (2, 70000)])
def test_unusable_server_options_refuse_to_start(workers: int, port: int) -> None:
    from redactor.serve import options

    with pytest.raises(ValueError):
        options("127.0.0.1", port, workers)


def test_readme_documents_every_setting_and_endpoint(app) -> None:
    readme = ROOT / "README.md"
    if not readme.exists() or "REDACTOR_" not in readme.read_text():
        pytest.skip("README.md has no service section yet")
    text = readme.read_text()
    for s in SETTINGS:
        assert s.name in text
    for path, _ in _routes(app):
        assert path in text


def test_every_setting_is_documented_in_openapi() -> None:
    description = spec()["info"]["description"]
    for s in SETTINGS:
        assert s.name in description and s.help


# ------------------------------------------------------------------------------------------ logging
class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class _capture:
    """Every log line of every logger (including `redactor.web`, which does not propagate) at DEBUG."""

    def __enter__(self) -> list[str]:
        self.handler = _Lines()
        self.loggers = [logging.getLogger(), logging.getLogger("redactor.web")]
        self.levels = [lg.level for lg in self.loggers]
        for lg in self.loggers:
            lg.addHandler(self.handler)
            lg.setLevel(logging.DEBUG)
        return self.handler.lines

    def __exit__(self, *exc) -> None:
        for lg, level in zip(self.loggers, self.levels, strict=True):
            lg.removeHandler(self.handler)
            lg.setLevel(level)


def _canary_requests(client) -> list:
    doc = f"SECRET\n1. (U) Meeting with {CANARY} today.\n2. (S) {CANARY} said more.\n".encode()
    return [
        upload(client, data=doc, name=f"{CANARY}.txt", query="?format=json"),
        upload(client, data=doc, name=f"{CANARY}.txt", query="?format=pdf"),
        client.post("/v1/redact", json={"text": doc.decode(), "format": "text"}),
        upload(client, data=b"\x00" + doc, name=f"{CANARY}.bin"),
        client.post("/v1/redact", data={"text": doc.decode(), "level": CANARY}),
        client.post("/v1/redact", data={"text": doc.decode(), "policy": CANARY}),
    ]


def test_one_json_log_line_per_request_and_no_canary(client) -> None:
    with _capture() as lines:
        statuses = [r.status_code for r in _canary_requests(client)]
    assert statuses == [200, 200, 200, 422, 422, 404]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    requests = [r for r in records if r.get("event") == "request"]
    assert len(requests) == len(statuses)
    first = requests[0]
    assert first["route"] == "/v1/redact" and first["status"] == 200 and first["policy"] == "public-release"
    assert first["withheld"] == 1 and first["masked"] == 1 and first["duration_ms"] >= 0
    assert first["request_bytes"] > 0 and re.fullmatch(r"[0-9a-f]{32}", first["request_id"])
    assert all(CANARY not in line for line in lines)


def test_request_id_is_taken_from_the_gateway_only_when_it_is_an_id(client) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "gw-123"}).headers["X-Request-ID"] == "gw-123"
    bad = client.get("/healthz", headers={"X-Request-ID": "a b<c>"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", bad)


# ------------------------------------------------------------------------------------- real engine
@pytest.fixture(scope="module")
def real_client():
    return make_app().test_client()


@pytest.mark.model
def test_seed_with_the_real_engine(real_client) -> None:
    resp = upload(real_client, data=SEED.read_bytes(), name="seed.txt", query="?format=json")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["document"]["reference"] == "STATE 103113"
    assert body["release"]["disposition"] == "RELEASE IN PART"
    withheld = {p["number"] for p in body["portions"] if p["decision"] == "withhold"}
    assert {"3", "4", "5", "6", "8", "10", "11"} <= withheld
    pdf = upload(real_client, data=SEED.read_bytes(), name="seed.txt", format="pdf")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) >= 1


@pytest.mark.model
@pytest.mark.parametrize("fmt", ["json", "pdf", "text"])
def test_http_gives_the_same_bytes_as_the_engine(real_client, fmt: str) -> None:
    from redactor.engine import Redactor
    from redactor.render import render

    expected = render(Redactor().redact(SEED.read_bytes(), policy="public-release", level=None, name="seed.txt"), fmt)
    assert upload(real_client, data=SEED.read_bytes(), name="seed.txt", format=fmt).data == expected


@pytest.mark.model
def test_no_canary_in_logs_with_the_real_engine(real_client) -> None:
    with _capture() as lines:
        statuses = [r.status_code for r in _canary_requests(real_client)]
    assert statuses[:3] == [200, 200, 200] and statuses[4:] == [422, 404]
    assert lines and all(CANARY not in line for line in lines)


# ------------------------------------------------------------------------------------------- docker
def test_dockerfile_is_slim_non_root_with_healthcheck() -> None:
    text = (ROOT / "Dockerfile").read_text()
    joined = re.sub(r"\\\n\s*", " ", text)  # continuation lines make one instruction
    lines = [ln.strip() for ln in joined.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    froms = [ln.split()[1] for ln in lines if ln.upper().startswith("FROM ")]
    assert froms and all(re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", f) for f in froms)
    assert not re.search(r":latest\b", text)
    users = [ln.split()[1] for ln in lines if ln.upper().startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(ln.upper().startswith("HEALTHCHECK ") and "/healthz" in ln for ln in lines)
    entry = next(ln for ln in lines if ln.upper().startswith(("ENTRYPOINT ", "CMD ")))
    assert "redactor" in entry and "serve" in entry and "0.0.0.0" in entry
    assert "REDACTOR_POLICY_DIR=/policies" in text and "VOLUME" in text
    assert "curl" not in text and "wget" not in text
    ignore = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignore and ".git" in ignore


# ------------------------------------------------------------------------ parameters: the allow-list
@pytest.mark.parametrize("how", ["form", "part", "query", "json"])
def test_unknown_parameters_and_parts_are_422(client, engine: FakeRedactor, how: str) -> None:
    if how == "form":
        resp = client.post("/v1/redact", data={"text": "1. (U) Hi.", "polcy": "public-release"})
    elif how == "part":
        resp = client.post(
            "/v1/redact",
            data={"text": "1. (U) Hi.", "attachment": (io.BytesIO(b"x"), "a.txt")},
            content_type="multipart/form-data",
        )
    elif how == "query":
        resp = client.post("/v1/redact?fromat=pdf", data={"text": "1. (U) Hi."})
    else:
        resp = client.post("/v1/redact", json={"text": "1. (U) Hi.", "levle": "SECRET"})
    body = assert_problem(resp, 422)
    assert body["title"] == "Unknown parameter"
    assert not engine.calls


def test_unknown_parameter_name_is_not_echoed_raw(client) -> None:
    body = assert_problem(client.post("/v1/redact", data={"text": "x", f"<script>{CANARY}": "1"}), 422)
    assert "<script>" not in body["detail"]


@pytest.mark.parametrize(
    "fields",
    [
        {"layout": "original"},
        {"layout": "typeset"},
        {"ocr": "true"},
        {"ocr": "false"},
        {"layout": "TYPESET", "ocr": "1"},
    ],
)
def test_layout_and_ocr_are_accepted(client, engine, fields: dict) -> None:
    assert client.post("/v1/redact", data={"text": "1. (U) Hi.", **fields}).status_code == 200
    query = "&".join(f"{k}={v}" for k, v in fields.items())
    assert client.post(f"/v1/redact?{query}", data={"text": "1. (U) Hi."}).status_code == 200
    assert client.post("/v1/redact", json={"text": "1. (U) Hi.", **fields}).status_code == 200
    ocr = str(fields.get("ocr", "false")).lower() in ("true", "1")
    assert engine.options == ([{"ocr": True}] * 3 if ocr else [])


@pytest.mark.parametrize("fields", [{"layout": "burned"}, {"ocr": "maybe"}, {"format": "docx"}])
def test_bad_layout_ocr_format_are_422(client, fields: dict) -> None:
    assert_problem(client.post("/v1/redact", data={"text": "1. (U) Hi.", **fields}), 422)


def test_json_ocr_must_be_a_boolean(client) -> None:
    assert_problem(client.post("/v1/redact", json={"text": "1. (U) Hi.", "ocr": 3}), 422)


def test_the_allow_list_is_the_openapi_list() -> None:
    from redactor.web.params import BY_NAME

    redact = spec()["paths"]["/v1/redact"]["post"]
    assert {p["name"] for p in redact["parameters"]} == {*BY_NAME, "include"}
    multipart = redact["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert set(multipart) == {*BY_NAME, "file", "text"}


def test_overrides_as_a_file_part_are_honoured(client, engine: FakeRedactor) -> None:
    overrides = {"fingerprint": "forged", "p2": {"decision": "release", "justification": "x"}}
    resp = client.post(
        "/v1/redact",
        data={
            "file": (io.BytesIO(b"1. (U) Hi."), "c.txt"),
            "overrides": (io.BytesIO(json.dumps(overrides).encode()), "overrides.json", "application/json"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200
    assert engine.calls[-1]["overrides"] == overrides


def test_overrides_sent_twice_are_400(client) -> None:
    resp = client.post(
        "/v1/redact",
        data={"text": "1. (U) Hi.", "overrides": ["{}", (io.BytesIO(b"{}"), "o.json")]},
        content_type="multipart/form-data",
    )
    assert_problem(resp, 400)


@pytest.mark.parametrize("where", ["body", "overrides-json", "overrides-form", "overrides-part"])
def test_deep_json_is_a_4xx_problem(client, engine: FakeRedactor, where: str) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    middling = '{"a":' * 40 + "1" + "}" * 40
    for nested in (deep, middling):
        if where == "body":
            resp = client.post(
                "/v1/redact", data='{"text": "x", "level": ' + nested + "}", content_type="application/json"
            )
            assert_problem(resp, 400)
            continue
        if where == "overrides-json":
            resp = client.post(
                "/v1/redact", data='{"text": "x", "overrides": {"p1": ' + nested + "}}", content_type="application/json"
            )
        elif where == "overrides-form":
            resp = client.post("/v1/redact", data={"text": "x", "overrides": '{"p1": ' + nested + "}"})
        else:
            resp = client.post(
                "/v1/redact",
                data={"text": "x", "overrides": (io.BytesIO(('{"p1": ' + nested + "}").encode()), "o.json")},
                content_type="multipart/form-data",
            )
        assert resp.status_code in (400, 422)
        assert_problem(resp, resp.status_code)
    assert not engine.calls


def test_chunked_body_over_the_limit_is_413(engine: FakeRedactor) -> None:
    client = make_app(engine, REDACTOR_MAX_UPLOAD=1024).test_client()
    for size in (1024, 4096):
        resp = client.post(
            "/v1/redact",
            input_stream=io.BytesIO(b"1. (U) ok " + b"x" * (size - 10)),
            content_type="text/plain",
            environ_overrides={"wsgi.input_terminated": True},
        )
        if size <= 1024:
            assert resp.status_code == 200
            assert len(engine.calls[-1]["data"]) == size
        else:
            assert_problem(resp, 413)


def test_a_flood_of_parts_is_413_saying_so(client) -> None:
    data = {"text": "1. (U) Hi.", **{f"f{i}": "x" for i in range(100)}}
    body = assert_problem(client.post("/v1/redact", data=data, content_type="multipart/form-data"), 413)
    assert body["title"] == "Too many parts"


# --------------------------------------------------------------------- the front before the workers
def _through_front(app, messages: list[dict], headers: list[tuple[bytes, bytes]], limits=None) -> list[dict]:
    """Drive BufferedWSGI with ASGI messages, as gunicorn's asyncio worker does; return what it sent."""
    import asyncio

    from redactor.web.front import BufferedWSGI, Limits

    front = BufferedWSGI(app, limits or Limits(max_body=1024))
    sent: list[dict] = []
    queue = list(messages)

    async def receive() -> dict:
        if not queue:
            await asyncio.sleep(3600)
        return queue.pop(0)

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/redact",
        "query_string": b"format=text",
        "headers": headers,
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
    }
    asyncio.run(front(scope, receive, send))
    return sent


def test_front_passes_a_chunked_body_whole_with_its_length(engine: FakeRedactor) -> None:
    app = make_app(engine)
    chunks = [
        {"type": "http.request", "body": b"1. (U) ", "more_body": True},
        {"type": "http.request", "body": b"Hello.", "more_body": False},
    ]
    sent = _through_front(app, chunks, [(b"content-type", b"text/plain"), (b"transfer-encoding", b"chunked")])
    assert sent[0]["status"] == 200
    assert engine.calls[-1]["data"] == b"1. (U) Hello."


def test_front_refuses_a_chunked_body_over_the_limit(engine: FakeRedactor) -> None:
    app = make_app(engine)
    chunks = [
        {"type": "http.request", "body": b"x" * 1000, "more_body": True},
        {"type": "http.request", "body": b"x" * 1000, "more_body": True},
    ]
    sent = _through_front(app, chunks, [(b"content-type", b"text/plain")])
    assert sent[0]["status"] == 413
    assert dict(sent[0]["headers"])[b"content-type"] == b"application/problem+json"
    assert not engine.calls


def test_front_refuses_a_declared_length_over_the_limit_before_reading(engine: FakeRedactor) -> None:
    sent = _through_front(make_app(engine), [], [(b"content-length", b"5000")])
    assert sent[0]["status"] == 413 and not engine.calls


def test_front_gives_up_on_a_body_that_never_arrives(engine: FakeRedactor) -> None:
    from redactor.web.front import Limits

    sent = _through_front(
        make_app(engine),
        [{"type": "http.request", "body": b"1.", "more_body": True}],
        [(b"content-type", b"text/plain")],
        Limits(max_body=1024, body_seconds=0.2),
    )
    assert sent[0]["status"] == 408 and not engine.calls
