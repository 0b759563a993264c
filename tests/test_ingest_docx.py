"""DOCX uploads: paragraphs in order, hidden content accounted for, bad files refused."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from fixtures_docs import MEMO, SEED, corpus_texts, hidden_docx, marks, paragraphs, seed_text, text_docx, zip_with

from redactor.errors import InputError, RedactorError, TooLarge
from redactor.ingest import read

CANARIES = {
    "hidden_run": ("CANARY-HIDDENRUN-8P", "hidden run"),
    "comment": ("CANARY-COMMENT-1J", "comment"),
    "deleted": ("CANARY-DELETED-6T", "deleted revision"),
}
VISIBLE = {
    "inserted": "CANARY-INSERTED-4D",
    "header": "CANARY-HEADER-2S",
    "footer": "CANARY-FOOTER-5B",
    "table": "CANARY-TABLE-3H",
}


def portions(source) -> list[tuple[str, str | None, str | None]]:
    from redactor.segment import segment

    return [(p.number, p.mark, p.marking.level if p.marking else None) for p in segment(source).portions]


SOURCES = {"seed": seed_text(), **corpus_texts(6)}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_round_trip_marks_and_paragraphs(name):
    text = SOURCES[name]
    source = read(text_docx(text))
    assert source.format == "docx"
    assert marks(source.text) == marks(text)
    assert paragraphs(source.text) == paragraphs(text)
    assert portions(source) == portions(read(text.encode()))


def test_memo_with_banner_header_and_footer_segments_like_its_text():
    body = MEMO.split("\n", 2)[2].rsplit("\n", 2)[0]
    source = read(text_docx(body, header="SECRET//NOFORN", footer="SECRET//NOFORN"))
    assert paragraphs(source.text) == paragraphs(MEMO)
    assert portions(source) == portions(read(MEMO.encode()))
    assert any(n == "headers: 1" for n in source.notes) and any(n == "footers: 1" for n in source.notes)


def test_seed_decisions_the_same_as_text(fake_redactor):
    r = fake_redactor()
    want = [(p.number, p.decision) for p in r.redact(SEED.read_bytes(), policy="public-release").portions]
    got = [(p.number, p.decision) for p in r.redact(text_docx(seed_text()), policy="public-release").portions]
    assert got == want


@pytest.mark.parametrize("kind", sorted(CANARIES))
def test_hidden_content_is_kept_in_its_paragraph_and_reported(kind):
    canary, why = CANARIES[kind]
    source = read(hidden_docx({kind: canary}))
    text = source.text
    assert text.index("2. (S)") < text.index(canary) < text.index("3. (U)")
    assert [(text[a:b].strip(), w) for a, b, w in source.hidden] == [(canary, why)]
    assert any(n.startswith("hidden text present: 1 span(s)") and why in n for n in source.notes)
    assert not any(canary in n for n in source.notes)
    from redactor.segment import segment

    portion = next(p for p in segment(source).portions if p.start <= text.index(canary) < p.end)
    assert (portion.number, portion.mark) == ("2", "(S)")


@pytest.mark.parametrize("kind", sorted(VISIBLE))
def test_visible_parts_are_read(kind):
    canary = VISIBLE[kind]
    source = read(hidden_docx({kind: canary}))
    text = source.text
    assert canary in text and source.hidden == []
    where = {
        "inserted": (text.index("2. (S)"), text.index("3. (U)")),
        "header": (-1, text.index("SECRET")),
        "footer": (text.index("3. (U)"), len(text)),
        "table": (text.index("2. (S)"), text.index("3. (U)")),
    }[kind]
    assert where[0] < text.index(canary) < where[1]


def test_everything_at_once_in_order():
    source = read(hidden_docx({**{k: c for k, (c, _) in CANARIES.items()}, **VISIBLE}))
    order = [
        VISIBLE["header"],
        "2. (S)",
        CANARIES["hidden_run"][0],
        CANARIES["deleted"][0],
        VISIBLE["inserted"],
        CANARIES["comment"][0],
        VISIBLE["table"],
        "3. (U)",
        VISIBLE["footer"],
    ]
    positions = [source.text.index(x) for x in order]
    assert positions == sorted(positions)
    assert {w for _, _, w in source.hidden} == {w for _, w in CANARIES.values()}


@pytest.mark.parametrize("kind", sorted(CANARIES))
def test_canary_in_withheld_paragraph_is_not_released(fake_redactor, kind):
    canary, _ = CANARIES[kind]
    release = fake_redactor().redact(hidden_docx({kind: canary}), policy="public-release")
    assert canary not in release.text
    assert "The meeting opened at ten." in release.text


@pytest.mark.model
def test_canaries_never_released_with_the_real_engine(redactor):
    release = redactor.redact(hidden_docx({k: c for k, (c, _) in CANARIES.items()}), policy="public-release")
    for canary, _ in CANARIES.values():
        assert canary not in release.text


def test_vanish_from_a_style_is_a_hidden_run():
    data = hidden_docx({})
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode()
    styles = styles.replace(
        "</w:styles>", '<w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style></w:styles>'
    )
    doc = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    doc = doc.replace("<w:t>3. (U)", '<w:rPr><w:rStyle w:val="Secret"/></w:rPr><w:t>3. (U)')
    source = read(zip_with({"word/styles.xml": styles.encode(), "word/document.xml": doc.encode()}, data))
    assert [w for _, _, w in source.hidden] == ["hidden run"]


def test_metadata_is_reported_and_only_included_on_request():
    import docx

    d = docx.Document()
    d.add_paragraph("1. (U) Text.")
    d.core_properties.title = "CANARY-TITLE-0L"
    buf = io.BytesIO()
    d.save(buf)
    source = read(buf.getvalue())
    assert "CANARY-TITLE-0L" not in source.text and not any("CANARY" in n for n in source.notes)
    assert any(n.startswith("document metadata: core (") and "title" in n for n in source.notes)
    source = read(buf.getvalue(), limits={"include_annotations": True})
    assert source.text.endswith("CANARY-TITLE-0L") or "CANARY-TITLE-0L" in source.text.split("Text.")[1]


# --- bad files and limits --------------------------------------------------------------------------


def test_corrupt_zip():
    with pytest.raises(InputError, match="corrupt"):
        read(b"PK\x03\x04" + bytes(range(256)) * 4)


def test_truncated_docx():
    data = text_docx(MEMO)
    with pytest.raises(InputError, match="corrupt or truncated"):
        read(data[: len(data) // 2])


def test_zip_that_is_not_word():
    with pytest.raises(InputError, match="not a Word document"):
        read(zip_with({"hello.txt": b"hello"}))


def test_malformed_xml():
    with pytest.raises(InputError, match="not well-formed"):
        read(zip_with({"word/document.xml": b"<w:document><w:body>"}, text_docx(MEMO)))


def test_external_entities_are_not_resolved():
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>1. (U) A &x; B</w:t></w:r></w:p></w:body></w:document>"
    )
    source = read(zip_with({"word/document.xml": doc}, text_docx(MEMO)))
    hostname = open("/etc/hostname").read().strip() if __import__("os").path.exists("/etc/hostname") else "x"
    assert hostname not in source.text


def test_zip_bomb_by_ratio():
    with pytest.raises(TooLarge, match="compressed .* to 1"):
        read(zip_with({"word/media/big.bin": b"\0" * 5_000_000}, text_docx(MEMO)))


def test_zip_bomb_by_total_size():
    with pytest.raises(TooLarge, match="unpacks to"):
        read(text_docx(MEMO), limits={"max_decompressed": 10_000})


def test_too_many_members():
    with pytest.raises(TooLarge, match="files; the limit is 5"):
        read(text_docx(MEMO), limits={"max_members": 5})


def test_too_many_bytes_and_time():
    with pytest.raises(TooLarge):
        read(text_docx(MEMO), limits={"max_bytes": 100})
    with pytest.raises(TooLarge, match="longer than"):
        read(text_docx(MEMO), limits={"max_seconds": -1})


def test_mangled_docx_never_crash():
    data = text_docx(MEMO)
    rng = random.Random(6)
    for _ in range(40):
        mangled = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            mangled[rng.randrange(4, len(mangled))] = rng.randrange(256)
        try:
            read(bytes(mangled))
        except RedactorError:
            pass


def renamed_header(new: str, content: bytes | None = None) -> bytes:
    """text_docx(MEMO) with its header part renamed to `new` (the relationship follows), and optionally
    replaced by `content`."""
    data = text_docx(MEMO, header="SECRET")
    src = zipfile.ZipFile(io.BytesIO(data))
    rels = src.read("word/_rels/document.xml.rels").decode()
    old = next(n for n in src.namelist() if n.startswith("word/header") and n.endswith(".xml"))
    rels = rels.replace(f'Target="{old.split("/", 1)[1]}"', f'Target="{new.split("/", 1)[1]}"')
    members = {n: src.read(n) for n in src.namelist() if n != old}
    members["word/_rels/document.xml.rels"] = rels.encode()
    members[new] = src.read(old) if content is None else content
    return zip_with(members)


PART_CANARY = "word/CANARY-PARTNAME-7Q.xml"


def test_part_names_from_the_file_never_reach_the_notes():
    source = read(renamed_header(PART_CANARY))
    assert "SECRET" in source.text
    assert not any("CANARY-PARTNAME" in n for n in source.notes)
    assert any("header" in n for n in source.notes)


def test_part_names_from_the_file_never_reach_an_error():
    with pytest.raises(InputError) as err:
        read(renamed_header(PART_CANARY, b"<w:hdr><w:p>"))
    assert "CANARY-PARTNAME" not in str(err.value) and "not well-formed" in str(err.value)
