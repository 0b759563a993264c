"""Open leaks found by the adversarial passes of stops 17 and 18, not yet fixed: reproductions, not part of the
suite (pytest collects test_*.py only). Run `pytest tests/known_leaks_s17.py`: every row fails (a Type 3 font
whose glyphs draw other letters than the reader reads, on the original pages), as README "Known limits" says.
The fixed rows of the same passes are tests/test_attack_s17.py, whose helpers these use; when a row here is
fixed, move it there.
"""

from __future__ import annotations

from tests.test_attack_s17 import assert_no_canary, engine

__all__ = ["engine"]  # the module-scoped fixture, shared with tests/test_attack_s17.py


def test_type3_glyphs_draw_other_letters_than_their_codes(engine) -> None:
    """Open (session 18): the released short line `meeting abcdefghi.` is set in a Type 3 font whose glyph
    procedures for `a`..`i` draw `Z E B R A F I S H` (glyph names /g97.. name no letters, so the mismatch
    is not detected). The reader reads `abcdefghi` (released, in the text and text layer); pdfium draws
    ZEBRAFISH where the reader placed those characters, so each glyph passes the rule of _unreleased_glyphs
    and the page image shows the word (OCR reads it). The class of README "Known limits" (a ToUnicode or an
    encoding that extracts other letters than the glyphs show): judging it needs the glyphs' shapes."""
    import io

    import pypdf
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from tests.test_attack_s17 import _helvetica, _numbers, _pdf_dict, _resource, banner, make_pdf, original_outputs

    def build(c):
        banner(c)
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, "SUBJECT: (U) Quarterly review of the northern program")
        c.drawString(72, 650, "1. (U) The review was held in the main conference room and it was a long")
        c.drawString(72, 636, "meeting abcdefghi.")
        c.drawString(72, 622, "And on into the day.")
        c.drawString(72, 590, "2. (S) The source KUMQUAT reported on the facility.")

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf(build))))
    page = writer.pages[0]
    shown = dict(zip("abcdefghi", "ZEBRAFISH", strict=True))
    procs, differences, widths = DictionaryObject(), ArrayObject([NumberObject(32)]), ArrayObject()
    for code in range(32, 127):
        letter = shown.get(chr(code), chr(code))
        literal = letter.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        width = round(stringWidth(letter, "Helvetica-Bold", 1000))
        proc = DecodedStreamObject()
        proc.set_data(f"{width} 0 d0 BT /H 1000 Tf ({literal}) Tj ET".encode())
        procs[NameObject(f"/g{code}")] = writer._add_object(proc)
        differences.append(NameObject(f"/g{code}"))
        widths.append(NumberObject(width))
    font = _pdf_dict(
        Type=NameObject("/Font"),
        Subtype=NameObject("/Type3"),
        FontBBox=_numbers(0, -200, 1000, 900),
        FontMatrix=_numbers(0.001, 0, 0, 0.001, 0, 0),
        CharProcs=procs,
        Encoding=_pdf_dict(Type=NameObject("/Encoding"), Differences=differences),
        FirstChar=NumberObject(32),
        LastChar=NumberObject(126),
        Widths=widths,
        Resources=_pdf_dict(Font=_pdf_dict(H=_helvetica(writer))),
    )
    _resource(page, "/Font", "/T3", writer._add_object(font))
    data = page.get_contents().get_data()
    assert b"BT 1 0 0 1 72 636 Tm " in data
    contents = DecodedStreamObject()
    contents.set_data(data.replace(b"BT 1 0 0 1 72 636 Tm ", b"BT 1 0 0 1 72 636 Tm /T3 11 Tf "))
    page[NameObject("/Contents")] = writer._add_object(contents)
    buf = io.BytesIO()
    writer.write(buf)
    out = original_outputs(engine, buf.getvalue())
    assert "abcdefghi" in out["text"]  # the reader's letters are released
    assert_no_canary(out, "ZEBRAFISH")
