"""PDF uploads: reading order and paragraphs, hidden content accounted for, bad files refused."""

from __future__ import annotations

import os
import random
import stat

import pytest
from fixtures_docs import (
    MEMO,
    SEED,
    corpus_texts,
    encrypted_pdf,
    extras_pdf,
    hidden_pdf,
    many_pages_pdf,
    marks,
    paragraphs,
    raw_pdf,
    scanned_pdf,
    seed_text,
    text_pdf,
    two_column_pdf,
)

from redactor.errors import InputError, RedactorError, TooLarge
from redactor.ingest import pdf as pdf_reader
from redactor.ingest import read

CANARIES = {
    "invisible": ("CANARY-INVISIBLE-7Q", "invisible text (render mode 3)"),
    "white": ("CANARY-WHITE-3K", "white text"),
    "offpage": ("CANARY-OFFPAGE-9Z", "off-page text"),
    "clipped": ("CANARY-CLIPPED-2W", "clipped text"),
    "covered": ("CANARY-COVERED-5X", "text under a filled shape"),
}


def portions(source) -> list[tuple[str, str | None, str | None]]:
    from redactor.segment import segment

    return [(p.number, p.mark, p.marking.level if p.marking else None) for p in segment(source).portions]


def split_at_pages_only(src: list[str], out: list[str], pages: int) -> bool:
    """Whether `out` is `src` with at most pages-1 paragraphs split in two (a page break inside them)."""
    i = splits = 0
    for para in src:
        joined = out[i] if i < len(out) else None
        i += 1
        while joined is not None and joined != para and i < len(out) and para.startswith(joined):
            joined += " " + out[i]
            i += 1
            splits += 1
        if joined != para:
            return False
    return i == len(out) and splits <= pages - 1


# --- round trips ---------------------------------------------------------------------------------

SOURCES = {"seed": seed_text(), "memo": MEMO, **corpus_texts(6)}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_round_trip_marks_and_paragraphs(name):
    text = SOURCES[name]
    source = read(text_pdf(text))
    assert source.format == "pdf"
    assert marks(source.text) == marks(text)
    pages = int(source.metadata["pages"])
    assert split_at_pages_only(paragraphs(text), paragraphs(source.text), pages)
    assert source.hidden == []


def test_two_page_document_reads_both_pages_in_order():
    text = "\n\n".join(f"{n}. ({'S' if n % 3 == 0 else 'U'}) Paragraph {n} of a long memo." for n in range(1, 41))
    data = text_pdf("SECRET\n\n" + text, leading=16)
    source = read(data)
    assert source.metadata["pages"] == "2"
    assert marks(source.text) == marks(text)
    assert paragraphs(source.text) == ["SECRET", *paragraphs(text)]
    # offsets map back to the page each piece came from
    assert source.source_offset(source.text.index("40. (U)")) // pdf_reader.PAGE == 2
    assert source.source_offset(source.text.index("1. (U)")) // pdf_reader.PAGE == 1


def test_two_column_page_is_read_column_by_column():
    left = [
        "1. (U) The first paragraph of the left column runs over a few lines of text so that it wraps.",
        "2. (S) The second paragraph is secret and also wraps onto more than one line in its column.",
        "3. (C) A third, confidential paragraph closes the left column after several lines of words.",
    ]
    right = [
        "4. (U) The right column opens with an unclassified paragraph that wraps as well, like the others.",
        "5. (S//NF) Then a secret paragraph not releasable to foreign nationals, long enough to wrap.",
        "6. (U) And a closing paragraph that is unclassified and runs over two or three lines too.",
    ]
    data = two_column_pdf(["SECRET", "", "SUBJECT: (U) Two columns"], left, right, ["SECRET"])
    source = read(data)
    assert paragraphs(source.text) == ["SECRET", "SUBJECT: (U) Two columns", *left, *right, "SECRET"]
    assert [n for n, _ in marks(source.text)] == ["1", "2", "3", "4", "5", "6"]


def test_form_like_rows_are_not_taken_for_columns():
    text = "TO:        Secretary of State\nFROM:      Embassy Lima\nSUBJECT:   (U) Visit\nDATE:      1 May"
    source = read(text_pdf(text))
    assert [" ".join(line.split()) for line in source.text.splitlines()] == [
        " ".join(line.split()) for line in text.splitlines()
    ]


def test_seed_segments_the_same_as_text_pdf_and_docx():
    from fixtures_docs import text_docx

    as_text = read(SEED.read_bytes())
    as_pdf = read(text_pdf(as_text.text))
    as_docx = read(text_docx(as_text.text))
    assert portions(as_pdf) == portions(as_text)
    assert portions(as_docx) == portions(as_text)


def test_seed_decisions_the_same_as_text(fake_redactor):
    r = fake_redactor()
    text = SEED.read_bytes()
    want = [(p.number, p.decision) for p in r.redact(text, policy="public-release").portions]
    got = [(p.number, p.decision) for p in r.redact(text_pdf(seed_text()), policy="public-release").portions]
    assert got == want


# --- hidden content --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(CANARIES))
def test_hidden_text_is_kept_in_place_and_reported(kind):
    canary, why = CANARIES[kind]
    source = read(hidden_pdf({kind: canary}))
    text = source.text
    assert text.index("2. (S)") < text.index(canary) < text.index("The site is active.") < text.index("3. (U)")
    assert [(text[a:b], w) for a, b, w in source.hidden] == [(canary, why)]
    assert any(n.startswith("hidden text present: 1 span(s)") and why in n for n in source.notes)
    assert not any(canary in n for n in source.notes)
    portion = next(p for p in _segment(source).portions if p.start <= text.index(canary) < p.end)
    assert (portion.number, portion.mark) == ("2", "(S)")


def _segment(source):
    from redactor.segment import segment

    return segment(source)


def test_all_hidden_kinds_together():
    source = read(hidden_pdf({k: c for k, (c, _) in CANARIES.items()}))
    found = {source.text[a:b]: w for a, b, w in source.hidden}
    assert found == dict(CANARIES.values())
    assert "1. (U) The meeting opened at ten." in source.text


def test_text_on_a_dark_box_is_visible_but_same_colour_is_not():
    ops = (
        b"0 0 0 rg 50 600 300 40 re f "
        b"1 1 1 rg BT /F1 12 Tf 60 615 Td (1. \\(U\\) White on black.) Tj ET "
        b"0 0 0 rg BT /F1 12 Tf 60 605 Td (BLACK-ON-BLACK) Tj ET "
        b"0 0 0 rg BT /F1 12 Tf 60 500 Td (2. \\(U\\) Plain.) Tj ET"
    )
    source = read(raw_pdf(ops))
    assert [(source.text[a:b], w) for a, b, w in source.hidden] == [("BLACK-ON-BLACK", "background-coloured text")]


@pytest.mark.parametrize("kind", ["invisible", "white", "covered"])
def test_canary_in_withheld_paragraph_is_not_released(fake_redactor, kind):
    canary, _ = CANARIES[kind]
    release = fake_redactor().redact(hidden_pdf({kind: canary}), policy="public-release")
    assert canary not in release.text
    assert "The meeting opened at ten." in release.text
    assert any(p.number == "2" and p.decision == "withhold" for p in release.portions)


@pytest.mark.model
def test_canary_never_released_with_the_real_engine(redactor):
    data = hidden_pdf({k: c for k, (c, _) in CANARIES.items()})
    release = redactor.redact(data, policy="public-release")
    for canary, _ in CANARIES.values():
        assert canary not in release.text
        for i in range(len(canary) - 5):
            assert canary[i : i + 6] not in release.text


def test_annotations_forms_bookmarks_metadata_attachments_reported_not_read():
    secret = "CANARY-EXTRA-4M"
    source = read(extras_pdf(secret))
    assert secret not in source.text
    assert not any(secret in n for n in source.notes)
    joined = "\n".join(source.notes)
    for word in (
        "annotations: 2",
        "form fields: 1 (1 filled in)",
        "attachments: 1",
        "bookmarks: 1",
        "document metadata: Info (",
        "Title",
    ):
        assert word in joined


def test_include_annotations_appends_them_unmarked_at_the_end():
    secret = "CANARY-EXTRA-4M"
    source = read(extras_pdf(secret), limits={"include_annotations": True})
    tail = source.text.split("The meeting opened at ten.", 1)[1]
    for what in ("note", "field", "outline", "title", "author"):
        assert f"{what} {secret}" in tail
    kinds = {w for _, _, w in source.hidden}
    assert {"annotation text", "form field value", "bookmark title", "document metadata"} <= kinds
    assert portions(source)[-1][1] is None  # unmarked: it takes the banner's level downstream


# --- bad files and limits --------------------------------------------------------------------------


def test_encrypted_pdf():
    with pytest.raises(InputError, match="encrypted PDF: remove the password first"):
        read(encrypted_pdf())


def test_corrupt_pdf():
    with pytest.raises(InputError, match="corrupt"):
        read(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")


def test_truncated_pdf():
    data = text_pdf(MEMO)
    with pytest.raises(InputError, match="truncated"):
        read(data[: len(data) // 2])


def test_scanned_pdf_needs_ocr():
    with pytest.raises(InputError, match="no text layer.*OCR"):
        read(scanned_pdf(2))


def test_ocr_option_without_tesseract(monkeypatch):
    monkeypatch.setattr(pdf_reader, "ocr_available", lambda: False)
    with pytest.raises(InputError, match="OCR is not installed"):
        read(scanned_pdf(), limits={"ocr": True})


@pytest.mark.skipif(not os.path.exists("/usr/bin/pdftoppm"), reason="poppler-utils not installed")
def test_ocr_with_tesseract_reports_confidence(tmp_path, monkeypatch):
    # A stand-in for tesseract that answers in its TSV format, so the pipeline is tested without it.
    fake = tmp_path / "tesseract"
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    for i, (word, conf) in enumerate([("1.", 90), ("(S)", 80), ("Scanned", 70), ("text.", 60)], 1):
        rows.append(f"5\t1\t1\t1\t1\t{i}\t0\t0\t1\t1\t{conf}\t{word}")
    fake.write_text("#!/bin/sh\ncat <<'EOF'\n" + "\n".join(rows) + "\nEOF\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    source = read(scanned_pdf(), limits={"ocr": True})
    assert source.text == "1. (S) Scanned text."
    assert any("mean word confidence 75%" in n for n in source.notes)


def test_too_many_pages():
    with pytest.raises(TooLarge, match="5 pages; the limit is 3"):
        read(many_pages_pdf(5), limits={"max_pages": 3})
    assert read(many_pages_pdf(3), limits={"max_pages": 3}).metadata["pages"] == "3"


def test_too_many_bytes():
    with pytest.raises(TooLarge):
        read(text_pdf(MEMO), limits={"max_bytes": 1000})


def test_time_limit():
    with pytest.raises(TooLarge, match="longer than"):
        read(text_pdf(MEMO), limits={"max_seconds": -1})


def test_compression_bomb():
    bomb = raw_pdf(b"q " + b" " * 5_000_000 + b"Q")
    assert len(bomb) < 20_000
    with pytest.raises(TooLarge, match="unpacks to more than the limit"):
        read(bomb, limits={"max_decompressed": 1_000_000})


def test_defaults_declared_once():
    from redactor.ingest.limits import DEFAULTS, SETTINGS, resolve

    assert resolve(None) == DEFAULTS
    assert resolve({"max_pages": 7, "unrelated": 1, "ocr": None})["max_pages"] == 7
    assert all(isinstance(help_, str) and help_ for _, help_ in SETTINGS.values())


def test_mangled_pdfs_never_crash():
    data = text_pdf(MEMO)
    rng = random.Random(6)
    for _ in range(40):
        mangled = bytearray(data)
        for _ in range(rng.randint(1, 30)):
            mangled[rng.randrange(len(mangled))] = rng.randrange(256)
        try:
            read(bytes(mangled))
        except RedactorError:
            pass


# --- decoder, parser and structure bombs: each a clear 422, fast --------------------------------------

BOMBS = {
    # kind, size, limits
    "runlength": (200_000, {"max_decompressed": 2_000_000}),
    "lzw": (2, {"max_decompressed": 5_000_000}),
    "hex_flate": (5_000_000, {"max_decompressed": 2_000_000}),
    "a85": (900_000, {"max_decompressed": 2_000_000}),
    "zeros": (20_000_000, {}),
    "numbers": (20_000_000, {"max_seconds": 1}),
    "inline": (10_000_000, {}),
}


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_decoder_and_parser_bombs_are_refused_fast(kind):
    import time

    from fixtures_docs import bomb_pdf

    from redactor.errors import OverLimit

    n, limits = BOMBS[kind]
    data = bomb_pdf(kind, n)
    assert len(data) < 1_000_000
    started = time.monotonic()
    with pytest.raises(OverLimit) as err:
        read(data, limits=limits)
    assert err.value.status == 422
    assert time.monotonic() - started < 10


def test_real_size_runlength_and_lzw_bombs_stay_under_the_default_budget():
    import time

    from fixtures_docs import bomb_pdf

    from redactor.errors import OverLimit

    for data in (bomb_pdf("runlength", 6_000_000), bomb_pdf("lzw", 40)):
        started = time.monotonic()
        with pytest.raises(OverLimit, match="unpacks to more than the limit"):
            read(data)
        assert time.monotonic() - started < 15


def test_unbalanced_saves_are_refused():
    import zlib

    from fixtures_docs import one_page_pdf, pdf_stream

    from redactor.errors import OverLimit

    for body in (b"q " * 100_000, b"/X BMC " * 100_000):
        with pytest.raises(OverLimit, match="more than 4096 deep"):
            read(one_page_pdf(pdf_stream(zlib.compress(body), b"/Filter /FlateDecode")))


def test_lzw_decoder_matches_pdfminer_and_reads_a_page():
    import io

    from fixtures_docs import one_page_pdf, pdf_stream
    from pdfminer.lzw import lzwdecode
    from PIL import Image

    def tiff_lzw(data: bytes) -> bytes:
        buf = io.BytesIO()
        Image.frombytes("L", (len(data), 1), data).save(buf, "TIFF", compression="tiff_lzw")
        tif = Image.open(io.BytesIO(buf.getvalue()))
        return buf.getvalue()[tif.tag_v2[273][0] :][: tif.tag_v2[279][0]]

    rng = random.Random(3)
    for n in (1, 300, 9000):
        data = bytes(rng.choice(b"abcdef ()") for _ in range(n))
        assert pdf_reader.lzw_decode(tiff_lzw(data)) == data == lzwdecode(tiff_lzw(data))
    content = b"BT /F1 10 Tf 72 700 Td (1. \\(U\\) Read through LZW.) Tj ET"
    source = read(one_page_pdf(pdf_stream(tiff_lzw(content), b"/Filter /LZWDecode")))
    assert source.text.strip() == "1. (U) Read through LZW."


def test_runlength_and_ascii_filters_still_decode():
    import base64

    from fixtures_docs import one_page_pdf, pdf_stream

    content = b"BT /F1 10 Tf 72 700 Td (1. \\(U\\) Filtered.) Tj ET"
    runs = bytes([len(content) - 1]) + content + b"\x80"
    for data, filt in (
        (runs, b"/Filter /RunLengthDecode"),
        (content.hex().encode() + b">", b"/Filter /ASCIIHexDecode"),
        (base64.a85encode(content, adobe=True), b"/Filter /ASCII85Decode"),
    ):
        assert read(one_page_pdf(pdf_stream(data, filt))).text.strip() == "1. (U) Filtered."


@pytest.mark.parametrize(
    "kind", ["self_reference", "reference_loop", "pages_loop", "parent_loop", "form_loop", "outline_loop"]
)
def test_self_referencing_object_graphs(kind):
    import time

    from fixtures_docs import cyclic_pdf

    started = time.monotonic()
    try:
        source = read(cyclic_pdf(kind))
    except InputError as exc:
        assert exc.status == 422
    else:
        assert "1. (U) Text." in source.text
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("declared", [10_000, 1, None])
def test_ten_thousand_pages_answer_the_page_limit_fast(declared):
    import time

    from fixtures_docs import pages_pdf

    from redactor.errors import OverLimit

    data = pages_pdf(10_000, declared=declared)
    started = time.monotonic()
    with pytest.raises(OverLimit, match="pages; the limit is 500") as err:
        read(data)
    assert err.value.status == 422
    assert time.monotonic() - started < 5


def test_names_from_inside_the_file_never_reach_the_notes():
    from fixtures_docs import pdf_file, pdf_stream

    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R 7 0 R] >>",
        4: pdf_stream(b"BT /F1 10 Tf 72 700 Td (1. \\(U\\) Text.) Tj ET"),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: b"<< /Type /Annot /Subtype /QZXSubtypeCanary /Rect [0 0 10 10] >>",
        7: b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] >>",
        8: b"<< /Title (t) /QZXKeyCanary (value) /Producer (p) >>",
    }
    source = read(pdf_file(objects, info=8))
    notes = "\n".join(source.notes)
    assert "QZX" not in notes
    assert "annotations: 2 (Text 1, other 1)" in notes
    assert "Info (Producer, Title, other)" in notes
