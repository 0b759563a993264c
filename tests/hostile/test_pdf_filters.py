"""PDF rows of the hostile matrix whose fix lives in the PDF reader (redactor/ingest/pdf.py): decoders
without a budget (RunLength, LZW) and an object that is its own reference. They run against their own
server, so a worker they hold cannot slow the other rows."""

from __future__ import annotations

import functools
import zlib
from collections.abc import Iterator

import files
import pytest
from conftest import Server, assert_nothing_leaks, assert_problem, start_server, stop_server

pytestmark = [pytest.mark.server, pytest.mark.model]

BUDGET = 20.0
DECODED = 300 * 1024 * 1024  # past the reader's 256 MB unpacked budget


def _lzw_zeros(total: int) -> bytes:
    """PDF LZW (EarlyChange 1) codes that decode to `total` zero bytes: each code names the one before it
    plus a byte, so a 12-bit code yields up to ~4000 bytes."""
    bits: list[tuple[int, int]] = []
    produced = 0
    nbits = 9
    while produced < total:
        bits.append((256, nbits))  # clear, at the width the decoder is reading
        nbits, size = 9, 258
        bits.append((0, nbits))
        produced += 1
        run = 1
        while size < 4000 and produced < total:
            bits.append((size, nbits))
            size += 1
            run += 1
            produced += run
            nbits = 10 if size >= 511 else nbits
            nbits = 11 if size >= 1023 else nbits
            nbits = 12 if size >= 2047 else nbits
    bits.append((257, nbits))
    acc, n, out = 0, 0, bytearray()
    for code, width in bits:
        acc = (acc << width) | code
        n += width
        while n >= 8:
            n -= 8
            out.append((acc >> n) & 0xFF)
        acc &= (1 << n) - 1
    if n:
        out.append((acc << (8 - n)) & 0xFF)
    return bytes(out)


def _stream_pdf(filters: bytes, stream: bytes) -> bytes:
    return files._pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Filter " + filters + b" /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )


@functools.cache
def runlength_bomb() -> bytes:
    # RunLength codes (`\x81\x00`: 128 zeros) behind Flate, so the file is small and Flate's output is
    # well under the budget; only RunLength's output passes it.
    code = b"\x81\x00" * (DECODED // 128) + b"\x80"
    return _stream_pdf(b"[/FlateDecode /RunLengthDecode]", zlib.compress(code, 9))


@functools.cache
def lzw_bomb() -> bytes:
    return _stream_pdf(b"/LZWDecode", _lzw_zeros(DECODED))


ROWS = {
    "runlength-bomb": runlength_bomb,
    "lzw-bomb": lzw_bomb,
    "object-is-its-own-reference": files.pdf_object_is_its_own_reference,
}
# A document over a reading limit is unreadable (422); 413 is for a request over the upload limit.
STATUSES = {"runlength-bomb": (422,), "lzw-bomb": (422,), "object-is-its-own-reference": (422,)}


@pytest.fixture(scope="module")
def pdf_server(tmp_path_factory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("pdf-filters"))
    try:
        yield srv
    finally:
        stop_server(srv)


def test_the_bombs_fit_an_upload() -> None:
    assert len(runlength_bomb()) < 2 * 1024 * 1024 and len(lzw_bomb()) < 2 * 1024 * 1024


@pytest.mark.parametrize("row", sorted(ROWS))
def test_pdf_filter_row(pdf_server: Server, row: str) -> None:
    mark = pdf_server.mark()
    answer = pdf_server.post([("file", "CANARY-FILENAME-Z3.pdf", "application/pdf", ROWS[row]())], timeout=BUDGET + 5)
    assert answer.seconds <= BUDGET
    assert_problem(answer, STATUSES[row])
    assert_nothing_leaks(answer.body.decode("utf-8", "replace"))
    assert pdf_server.healthy()
    assert_nothing_leaks(pdf_server.log_since(mark))
