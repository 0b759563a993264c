"""Hidden text written the ways other producers write PDFs (not the generators the reader was built against):
each must be reported hidden by the reader and never reach a release."""

from __future__ import annotations

import pytest
from fixtures_docs import hidden_page_pdf, pdf_file, pdf_stream, tj

from redactor.engine import Redactor
from redactor.ingest import read
from redactor.render import render
from tests.conftest import FakeDetector

CANARY = "QZXATTACKCANARY"


def body(hide: bytes) -> bytes:
    """A SECRET page: 1. (U) released, 2. (S) withheld; `hide` draws the canary inside paragraph 1."""
    return (
        b"0 g\n"
        + tj(72, 740, "SECRET")
        + tj(72, 710, "1. (U) The meeting opened at ten.")
        + hide
        + tj(72, 686, "The agenda was agreed.")
        + tj(72, 656, "2. (S) The source reported on the northern site.")
        + tj(72, 60, "SECRET")
    )


C = b"(" + CANARY.encode() + b")"
ATTACKS = {
    # colour set inside the text object, Tm instead of Td, TJ with kerning, the ' operator
    "white_inside_BT": body(b"BT 1 1 1 rg /F1 10 Tf 1 0 0 1 72 698 Tm [" + C + b" -120 (x)] TJ 0 g ET\n"),
    "white_quote_operator": body(b"q 1 g BT /F1 10 Tf 12 TL 72 710 Td " + C + b" ' ET Q\n"),
    "cmyk_white": body(b"q 0 0 0 0 k " + tj(72, 698, CANARY) + b"Q\n"),
    "rgb_via_scn": body(b"q /DeviceRGB cs 1 1 1 scn " + tj(72, 698, CANARY) + b"Q\n"),
    "separation_no_ink": body(b"q /CSsep cs 0 scn " + tj(72, 698, CANARY) + b"Q\n"),
    "separation_none": body(b"q /CSnone cs 1 scn " + tj(72, 698, CANARY) + b"Q\n"),
    "render_mode_before_BT": body(b"q 3 Tr " + tj(72, 698, CANARY) + b"Q\n"),
    "scaled_by_cm": body(b"q 0.05 0 0 0.05 72 698 cm " + tj(0, 0, CANARY) + b"Q\n"),
    "rotated_off_page": body(b"q 0 1 -1 0 -50 698 cm " + tj(0, 0, CANARY) + b"Q\n"),
    "rise_off_page": body(b"BT /F1 10 Tf 5000 Ts 72 698 Td " + C + b" Tj 0 Ts ET\n"),
    "white_over_image": body(b"q 300 0 0 14 70 695 cm /Im1 Do Q q 1 g " + tj(72, 698, CANARY) + b"Q\n"),
    "form_then_box": body(b"q 1 0 0 1 0 698 cm /FmW Do Q q 0 g 70 695 200 14 re f Q\n"),
    "gs_inside_form": body(b"q 1 0 0 1 0 698 cm /FmGS Do Q\n"),
    "thick_stroke_over": body(tj(72, 698, CANARY) + b"q 0 G 14 w 70 702 m 280 702 l S Q\n"),
    "oc_membership_dict": body(b"/OC /MD0 BDC " + tj(72, 698, CANARY) + b"EMC\n"),
    "shading_over": body(tj(72, 698, CANARY) + b"q 70 695 200 14 re W n /Sh0 sh Q\n"),
    "type3_blank_glyphs": body(b"BT /F3 10 Tf 72 698 Td " + C + b" Tj ET\n"),
    "clip_degenerate_path": body(b"q 60 690 m 400 712 l 400 712.01 l h W n " + tj(72, 698, CANARY) + b"Q\n"),
    "clip_triangle_elsewhere": body(b"q 60 690 m 400 690 l 400 720 l h W n " + tj(72, 705, CANARY) + b"Q\n"),
    "soft_mask": body(b"q /GS2 gs " + tj(72, 698, CANARY) + b"Q\n"),
    "white_text_clip_mode": body(b"q 1 g 4 Tr " + tj(72, 698, CANARY) + b"Q\n"),
}


# Attacks that move the text where layout does not put it in paragraph 1 (it is left out all the same).
MOVED = {"rise_off_page", "rotated_off_page"}


def attack_pdf(content: bytes, streams: list[bytes] | None = None) -> bytes:
    data = hidden_page_pdf(content, canary=CANARY, streams=streams)
    # resources the attacks add: spot colours, a form with its own ExtGState, a membership dictionary,
    # a soft mask
    extra = (
        b" /ColorSpace << /CSsep [/Separation /Black /DeviceCMYK 30 0 R] "
        b"/CSnone [/Separation /None /DeviceCMYK 30 0 R] >>"
    )
    data = data.replace(b"/Properties << /MC0 10 0 R >>", b"/Properties << /MC0 10 0 R /MD0 31 0 R >>" + extra)
    data = data.replace(
        b"/ExtGState << /GS0 6 0 R /GS1 7 0 R >>", b"/ExtGState << /GS0 6 0 R /GS1 7 0 R /GS2 33 0 R >>"
    )
    data = data.replace(b"/FmOC 11 0 R", b"/FmOC 11 0 R /FmGS 32 0 R")
    data = data.replace(
        b"/Font << /F1 5 0 R >> /ExtGState", b"/Font << /F1 5 0 R /F3 35 0 R /F4 38 0 R /F5 50 0 R >> /ExtGState"
    )
    return _append_objects(
        data,
        {
            30: b"<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 0 0 1] /N 1 >>",
            31: b"<< /Type /OCMD /OCGs [10 0 R] /P /AllOn >>",
            32: pdf_stream(
                b"/G0 gs " + tj(72, 0, CANARY),
                b"/Type /XObject /Subtype /Form /BBox [0 -20 612 40] "
                b"/Resources << /Font << /F1 5 0 R >> /ExtGState << /G0 << /ca 0 >> >> >>",
            ),
            33: b"<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity /G 34 0 R >> >>",
            35: _type3(36),
            36: pdf_stream(b"500 0 d0"),
            50: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            b"/Differences [83 /S] >> /ToUnicode 51 0 R >>",
            51: pdf_stream(
                b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Lie def "
                b"1 begincodespacerange <00> <FF> endcodespacerange "
                b"1 beginbfchar <53> <0055> endbfchar endcmap CMapName currentdict /CMap defineresource pop "
                b"end end"
            ),
            38: _type3(37),
            37: pdf_stream(b"500 0 0 0 500 700 d1 0 0 500 700 re f"),
            34: pdf_stream(
                b"0 g 0 0 612 792 re f",
                b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Group << /S /Transparency /CS /DeviceGray >>",
            ),
        },
    )


def _type3(proc: int) -> bytes:
    """A Type 3 font whose letters A-Z all draw with glyph procedure `proc`."""
    letters = [chr(c) for c in range(65, 91)]
    return (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/FirstChar 65 /LastChar 90 /Widths [" + b" ".join(b"500" for _ in letters) + b"] "
        b"/Encoding << /Type /Encoding /Differences [65 "
        + b" ".join(f"/{c}".encode() for c in letters)
        + b"] >> /CharProcs << "
        + b" ".join(f"/{c} {proc} 0 R".encode() for c in letters)
        + b" >> >>"
    )


def _append_objects(data: bytes, objects: dict[int, bytes]) -> bytes:
    """Re-serialise a pdf_file() PDF with more objects (parsing its own simple layout)."""
    import re

    found = {int(n): b for n, b in re.findall(rb"(?ms)^(\d+) 0 obj\n(.*?)\nendobj\n", data)}
    found.update(objects)
    return pdf_file(found)


def _redact(data: bytes):
    return Redactor(detector=FakeDetector()).redact(data, policy="public-release")


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_hidden_and_never_released(name):
    data = attack_pdf(ATTACKS[name])
    source = read(data)
    hidden = "".join(source.text[a:b] for a, b, _ in source.hidden)
    found = "".join(hidden.split())
    assert CANARY in found or (name in MOVED and sorted(CANARY) == sorted(found)), (name, source.hidden)
    rel = _redact(data)
    p1 = next(p for p in rel.portions if p.number == "1")
    if name not in MOVED:
        assert p1.decision == "withhold" and "HIDDEN" in p1.codes
    for out in (rel.text, render(rel, "json").decode()):
        assert CANARY[3:9] not in out


def test_hidden_state_split_across_two_content_streams():
    first = b"0 g\n" + tj(72, 740, "SECRET") + tj(72, 710, "1. (U) The meeting opened at ten.") + b"q 1 1 1 rg\n"
    second = tj(72, 698, CANARY) + b"Q\n" + tj(72, 686, "The agenda was agreed.")
    data = attack_pdf(b"", streams=[first, second])
    rel = _redact(data)
    assert next(p for p in rel.portions if p.number == "1").decision == "withhold"
    assert CANARY not in rel.text


def test_a_mark_half_white():
    # "(" black, "U" white, "S)" black: the page shows (S)
    content = (
        b"0 g\n"
        + tj(72, 740, "UNCLASSIFIED")
        + b"BT /F1 10 Tf 72 700 Td (1. \\() Tj 1 g (U) Tj 0 g (S\\) The source is "
        + CANARY.encode()
        + b".) Tj ET\n"
        + tj(72, 676, "2. (U) Plain.")
    )
    rel = _redact(attack_pdf(content))
    by = {p.number: p for p in rel.portions}
    assert by["1"].mark == "(S)" and by["1"].decision == "withhold"
    assert CANARY not in rel.text


def test_visible_text_on_dark_and_coloured_backgrounds_is_not_hidden():
    content = (
        b"0 g\n"
        + tj(72, 740, "UNCLASSIFIED")
        + b"q 0 0 0.5 rg 60 700 400 20 re f 1 g "
        + tj(72, 706, "1. (U) White on navy, visible.")
        + b"Q\n"
        + b"q 0.6 g "
        + tj(72, 676, "2. (U) Gray text, visible.")
        + b"Q\n"
        + b"q 0 0 0 1 k "
        + tj(72, 650, "3. (U) CMYK black, visible.")
        + b"Q\n"
        + b"q /CSsep cs 1 scn "
        + tj(72, 630, "4. (U) Spot black, visible.")
        + b"Q\n"
        + b"q 0 G 0.5 w 72 612 m 300 612 l S "
        + tj(72, 610, "5. (U) Struck through, visible.")
        + b"Q\n"
        + b"BT /F4 10 Tf 72 590 Td (VISIBLE TYPE THREE) Tj ET\n"
        + b"q 60 560 m 400 560 l 330 570 l 400 580 l 60 580 l h W n "
        + tj(72, 566, "6. (U) In a clip.")
        + b"Q\n"
    )
    source = read(attack_pdf(content))
    assert source.hidden == []


# --- characters no page shows, in any format ---------------------------------------------------------------


@pytest.mark.parametrize(
    "mark", ["(\u200bS)", "(S\u00ad)", "(\ufeffS)", "(\u0405)", "(\uff33)", "\uff08S\uff09", "(\u0421)"]
)
def test_invisible_or_lookalike_characters_cannot_hide_a_mark(mark):
    text = f"UNCLASSIFIED\n\n1. (U) Plain.\n\n2. {mark} Classified QZXMARKCANARY.\n\na. Details QZXSUBCANARY.\n"
    rel = _redact(text.encode())
    by = {p.number: p for p in rel.portions}
    assert by["2"].decision == "withhold", (mark, by["2"])
    assert "QZXMARK" not in rel.text and "QZXSUB" not in rel.text
    assert by["1"].decision == "release"


def test_bidirectional_controls_are_hidden_text():
    text = "UNCLASSIFIED\n\n1. (U) Plain \u202eterces QZXBIDICANARY.\n\n2. (U) Other.\n"
    rel = _redact(text.encode())
    by = {p.number: p for p in rel.portions}
    assert by["1"].decision == "withhold" and "HIDDEN" in by["1"].codes
    assert by["2"].decision == "release"


def test_a_scan_under_an_invisible_text_layer_needs_ocr():
    from redactor.errors import InputError

    content = (
        b"q 612 0 0 792 0 0 cm /Im1 Do Q q 3 Tr "
        + tj(72, 740, "UNCLASSIFIED")
        + tj(72, 700, "1. (U) Scanned text.")
        + b"Q\n"
    )
    with pytest.raises(InputError, match="invisible text layer .*OCR is needed"):
        read(attack_pdf(content))


def test_a_mark_printed_over_another_is_read_at_neither():
    # "(U)" drawn on top of "(S)": the page shows a blot, not a mark
    content = (
        b"0 g\n"
        + tj(72, 740, "UNCLASSIFIED")
        + tj(72, 700, "1. (S) The source is QZXOVERCANARY.")
        + tj(72 + 9.45, 700, "(U)")
        + tj(72, 676, "2. (U) Plain.")
        + tj(72, 650, "3. (U) Bold by hand.")
        + tj(72.3, 650, "3. (U) Bold by hand.")
    )
    source = read(attack_pdf(content))
    assert {w for *_, w in source.hidden} == {"overprinted text (other letters drawn over it)"}
    rel = _redact(attack_pdf(content))
    by = {p.number: p for p in rel.portions}
    assert by["1"].decision == "withhold"
    assert by["2"].decision == "release" and by["3"].decision == "release"
    assert "QZXOVER" not in rel.text


@pytest.mark.parametrize(
    "hide",
    [
        "<span hidden>(U) </span>",
        '<span style="display:none">(U) </span>',
        '<span style="color: #ffffff">(U) </span>',
        '<span style="font-size:0">(U) </span>',
        '<span style="visibility: hidden">(U) </span>',
    ],
)
def test_html_text_a_browser_hides_cannot_lower_a_mark(hide):
    page = (
        f"<html><body><pre>SECRET\n\n1. {hide}(S) The source is QZXHTMLCANARY.\n\n"
        "2. (U) <span style='color:red'>Plain.</span>\n</pre></body></html>"
    )
    rel = _redact(page.encode())
    by = {p.number: p for p in rel.portions}
    assert by["1"].mark == "(S)" and by["1"].decision == "withhold" and "HIDDEN" in by["1"].codes
    assert by["2"].decision == "release"
    assert "QZXHTML" not in rel.text


def test_a_font_whose_text_map_lies_about_a_mark():
    # the page shows "(S)" (glyph S), the ToUnicode map says "U"
    content = (
        b"0 g\n" + tj(72, 740, "UNCLASSIFIED") + b"BT /F1 10 Tf 72 700 Td (1. \\() Tj /F5 10 Tf (S) Tj "
        b"/F1 10 Tf (\\) The source is QZXLIECANARY.) Tj ET\n" + b"BT /F5 10 Tf 72 676 Td (2. \\(U\\) Plain.) "
        b"Tj ET\n"
    )
    source = read(attack_pdf(content))
    assert [(source.text[a:b], w) for a, b, w in source.hidden] == [
        ("U", "text whose extracted letters are not the glyphs drawn (ToUnicode differs from the glyph names)")
    ]
    rel = _redact(attack_pdf(content))
    by = {p.number: p for p in rel.portions}
    assert by["1"].decision == "withhold" and "HIDDEN" in by["1"].codes
    assert by["2"].decision == "release"
    assert "QZXLIE" not in rel.text
