"""The hostile-input matrix against the real server: each row is sent, answered with the right status
(4xx problem+json, or a release where a release is right) within its budget; /healthz answers after it;
no canary (file name, document text, part name), stack trace or server path is in the answer or the log."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import files
import pytest
from conftest import MAX_UPLOAD, Answer, Server, assert_nothing_leaks, assert_problem

pytestmark = [pytest.mark.server, pytest.mark.model]

NAME = "CANARY-FILENAME-Z3"
HEADER_CANARY = "CANARY-HEADER-W2"


@dataclass(frozen=True)
class Case:
    id: str
    send: Callable[[Server], Answer]
    statuses: tuple[int, ...]
    budget: float = 10.0
    never: tuple[str, ...] = ()  # more strings that must not be in the answer


def raw(request: bytes) -> Callable[[Server], Answer]:
    return lambda s: s.raw(request)


def upload(
    data: Callable[[], bytes], ext: str, ctype: str = "application/octet-stream", query: str = "?format=json"
) -> Callable[[Server], Answer]:
    return lambda s: s.post([("file", f"{NAME}.{ext}", ctype, data())], query)


def fields(*parts: tuple[str, str | None, str | None, bytes], query: str = "") -> Callable[[Server], Answer]:
    return lambda s: s.post(list(parts), query)


def json_body(text: str) -> Callable[[Server], Answer]:
    return lambda s: s.request("POST", "/v1/redact", text.encode(), {"Content-Type": "application/json"})


def chunked(total: int) -> bytes:
    piece = b"1. (U) " + b"x" * 65529
    chunks = b"".join(b"%x\r\n" % len(piece) + piece + b"\r\n" for _ in range(total // len(piece) + 1))
    return (
        b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunks
        + b"0\r\n\r\n"
    )


def multipart_flood(count: int) -> Callable[[Server], Answer]:
    return lambda s: s.post([("text", None, None, b"1. (U) Hi.")] + [("policy", None, None, b"x")] * count)


SEED_TEXT = b"UNCLASSIFIED\n\n1. (U) Hello.\n"
DEEP = "[" * 10_000 + "]" * 10_000
OVERRIDES_FORGED = json.dumps(
    {"fingerprint": "0" * 64, "overrides": [{"portion": "p1", "decision": "release", "justification": "forged"}]}
).encode()

CASES = [
    # ---- HTTP itself: gunicorn's parser and the front
    Case("garbage-request", raw(files.garbage(3000) + b"\r\n\r\n"), (400,)),
    Case("request-line-too-long", raw(b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"), (414, 400)),
    Case(
        "header-too-large",
        raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"),
        (431, 400),
    ),
    Case(
        "too-many-headers",
        raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(300)) + b"\r\n"),
        (431, 400),
    ),
    Case("bare-cr-in-header", raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\rX-B: c\r\n\r\n"), (400,)),
    Case("space-before-colon", raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n"), (400,)),
    Case("obs-fold", raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n"), (400,)),
    Case("nul-in-header", raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\x00c\r\n\r\n"), (400,)),
    Case("unknown-method", raw(b"BR%EW /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), (400, 405)),
    Case("http-version-9", raw(b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"), (400, 505)),
    Case(
        "content-length-and-chunked",
        raw(
            b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        ),
        (400,),
    ),
    Case("bad-content-length", raw(b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Length: 1e3\r\n\r\n"), (400,)),
    Case(
        "two-content-lengths",
        raw(
            b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
        ),
        (400,),
    ),
    Case(
        "bad-chunk-size",
        raw(
            b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"
        ),
        (400,),
    ),
    Case("chunked-over-limit", raw(chunked(MAX_UPLOAD + 100_000)), (413,)),
    Case(
        "sized-over-limit",
        raw(
            b"POST /v1/redact HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: %d\r\n\r\n1. (U) Hi" % (MAX_UPLOAD + 1)
        ),
        (413,),
        budget=3,
    ),
    Case("http2-preface", raw(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), (400, 505)),
    # ---- header injection: nothing the client sends becomes a response header
    Case(
        "response-header-injection",
        lambda s: s.request(
            "POST", "/v1/redact?format=%0d%0aSet-Cookie:%20" + HEADER_CANARY, SEED_TEXT, {"Content-Type": "text/plain"}
        ),
        (422,),
    ),
    Case(
        "request-id-injection",
        lambda s: s.request("GET", "/v1/redact", headers={"X-Request-ID": "a\x0b" + HEADER_CANARY}),
        (400, 405),
    ),
    Case(
        "filename-injection",
        lambda s: s.post([("file", NAME + '"\r\nContent-Type: image/png\r\nX: "', "text/plain", SEED_TEXT)]),
        (400, 415, 422),
    ),
    # ---- the request body and its parameters
    Case("empty-body", lambda s: s.request("POST", "/v1/redact", b"", {"Content-Type": "text/plain"}), (400,)),
    Case("deep-json-body", json_body('{"text": "x", "level": ' + DEEP + "}"), (400,)),
    Case("deep-overrides-json", json_body('{"text": "x", "overrides": {"a": ' + DEEP + "}}"), (400, 422)),
    Case(
        "deep-overrides-part",
        fields(
            ("text", None, None, SEED_TEXT),
            ("overrides", "o.json", "application/json", ('{"a": ' + DEEP + "}").encode()),
        ),
        (422,),
    ),
    Case(
        "overrides-part-forged",
        fields(
            ("file", f"{NAME}.txt", "text/plain", SEED_TEXT),
            ("overrides", "o.json", "application/json", OVERRIDES_FORGED),
        ),
        (409, 422),
    ),
    Case("unknown-part", fields(("text", None, None, SEED_TEXT), ("attachment", "a.bin", None, b"x")), (422,)),
    Case("unknown-field", fields(("text", None, None, SEED_TEXT), ("polcy", None, None, b"x")), (422,)),
    Case("unknown-query", fields(("text", None, None, SEED_TEXT), query="?debug=1"), (422,)),
    Case("bad-layout", fields(("text", None, None, SEED_TEXT), ("layout", None, None, b"burned")), (422,)),
    Case("multipart-flood", multipart_flood(5_000), (400, 413, 422)),
    Case(
        "multipart-part-flood",
        lambda s: s.request(
            "POST",
            "/v1/redact",
            b"".join(b'--b\r\nContent-Disposition: form-data; name="x%d"\r\n\r\n\r\n' % i for i in range(30_000))
            + b"--b--\r\n",
            {"Content-Type": "multipart/form-data; boundary=b"},
        ),
        (400, 413, 422),
    ),
    Case(
        "multipart-no-boundary",
        lambda s: s.request("POST", "/v1/redact", b"--x\r\n\r\n", {"Content-Type": "multipart/form-data"}),
        (400, 422),
    ),
    Case(
        "multipart-unterminated",
        lambda s: s.request(
            "POST",
            "/v1/redact",
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
            {"Content-Type": "multipart/form-data; boundary=b"},
        ),
        (400, 422),
    ),
    # ---- hostile documents
    Case("garbage-file", upload(files.garbage, "bin"), (415, 422)),
    Case("empty-file", upload(lambda: b"", "txt", "text/plain"), (400,)),
    Case("huge-line", upload(files.huge_line, "txt", "text/plain"), (200,), budget=60, never=(files.DOC_CANARY,)),
    Case(
        "deep-html", upload(files.deep_html, "html", "text/html"), (200, 413, 422), budget=30, never=(files.DOC_CANARY,)
    ),
    Case("entity-flood", upload(files.entity_flood, "html", "text/html"), (200, 413, 422), budget=30),
    Case("docx-xxe", upload(files.docx_xxe, "docx"), (200, 422), never=("root:x:0:0",)),
    Case("docx-billion-laughs", upload(files.docx_billion_laughs, "docx"), (422,), never=(files.DOC_CANARY * 3,)),
    Case("docx-zip-bomb", upload(files.docx_zip_bomb_ratio, "docx"), (422,)),
    Case("docx-decoder-bomb", upload(files.docx_decoder_bomb, "docx"), (422,)),
    Case("docx-lying-sizes", upload(files.docx_lying_sizes, "docx"), (422,)),
    Case("docx-zip-slip", upload(files.docx_zip_slip, "docx"), (200,)),
    Case("docx-many-members", upload(files.docx_many_members, "docx"), (422,)),
    Case("docx-part-name", upload(files.docx_part_name, "docx"), (200,)),
    Case("docx-part-name-broken", upload(files.docx_part_name_broken, "docx"), (422,)),
    Case("pdf-encrypted", upload(files.pdf_encrypted, "pdf", "application/pdf"), (422,)),
    Case("pdf-truncated", upload(files.pdf_truncated, "pdf", "application/pdf"), (422,)),
    Case("pdf-kids-loop", upload(files.pdf_kids_loop, "pdf", "application/pdf"), (422,)),
    Case("pdf-parent-loop", upload(files.pdf_parent_loop, "pdf", "application/pdf"), (422,)),
    Case("pdf-10000-pages", upload(files.pdf_pages, "pdf", "application/pdf"), (422,), budget=30),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile(server: Server, case: Case) -> None:
    mark = server.mark()
    answer = case.send(server)
    assert answer.seconds <= case.budget, f"{case.id} took {answer.seconds:.1f}s (budget {case.budget}s)"
    if answer.status >= 400:
        assert_problem(answer, case.statuses)
    else:
        assert answer.status in case.statuses, (answer.status, answer.body[:300])
    shown = json.dumps(answer.headers) + answer.body.decode("utf-8", "replace")
    assert_nothing_leaks(shown, also=case.never)
    assert not any(k in ("set-cookie", "x") for k in answer.headers)
    assert server.healthy(), f"/healthz did not answer after {case.id}"
    assert_nothing_leaks(server.log_since(mark), also=case.never)


def test_empty_connection_then_health(server: Server) -> None:
    answer = server.raw(b"")
    assert answer.status == 0 and answer.body == b""
    assert server.healthy()
