"""Case packages: a batch's releases assembled into one PDF and its JSON twin.

`redactor package BATCH_OUT_DIR -o case.pdf [--bates-prefix PFX] [--bates-start N]` reads the batch's
manifest and, for each document in input order, its release PDF and the JSON twin beside it, and writes:

- a cover sheet: case number, requester, dates, counts by disposition, the exemption codes used, the Bates range;
- every document's release, its pages as they were rendered, with a Bates number (prefix + six-digit
  sequence, e.g. `F-2026-0001-000123`) stamped on every page of the package, continuous from the start;
- the list of documents and one consolidated Vaughn index (document, Bates page, paragraph, codes,
  justification, who decided), then the consistency report: paragraphs shared by several documents whose
  treatment was harmonised or still differs, for a second look.

Bates numbers are drawn onto the finished pages (a reportlab overlay merged into each page's content with
pypdf), so the document pages are the bytes the batch rendered. Nothing here sees withheld text: the JSON
twins hold none, and the consistency report names paragraphs by number, never by content. The file follows
the PDF safety rules of the releases (fixed metadata, one revision, no outline, links or XObjects, embedded
fonts) and its bytes depend only on its inputs.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from redactor import __version__
from redactor.errors import RedactorError

BATES_DIGITS = 6


def bates(prefix: str, n: int) -> str:
    return f"{prefix}{n:0{BATES_DIGITS}d}"


def _load(batch_dir: Path) -> tuple[list[dict], dict]:
    from redactor.batch.manifest import MANIFEST, STATE

    manifest = batch_dir / MANIFEST
    if not manifest.is_file():
        raise RedactorError(f"no batch here: {batch_dir} has no {MANIFEST}")
    latest: dict[str, dict] = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue
        if isinstance(e, dict) and "input" in e:
            latest[e["input"]] = e
    entries = sorted(latest.values(), key=lambda e: (e.get("index", 0), e["input"]))
    state_path = batch_dir / STATE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.is_file() else {}
    return entries, state


def build_package(
    batch_dir: str,
    output: str,
    *,
    bates_prefix: str = "",
    bates_start: int = 1,
    case_number: str | None = None,
    requester: str = "",
    date: str | None = None,
    json_output: str | None = None,
) -> dict:
    """Write the case PDF and its JSON twin; returns the JSON twin (with a `summary`)."""
    from pypdf import PdfReader

    from redactor.batch import consistency
    from redactor.render.pdf import _register_fonts

    _register_fonts()
    if bates_start < 0:
        raise RedactorError("--bates-start must be 0 or more")
    root = Path(batch_dir)
    entries, state = _load(root)
    if state.get("format") not in (None, "pdf"):
        raise RedactorError(
            f"the batch in {batch_dir} made {state['format']} releases; a package needs the "
            "PDF releases: run the batch with --format pdf"
        )
    docs = []
    for e in entries:
        if e.get("status") != "ok":
            continue
        pdf_path = root / e["output"]
        twin_path = pdf_path.with_suffix(".json")
        if pdf_path.suffix != ".pdf" or not pdf_path.is_file() or not twin_path.is_file():
            raise RedactorError(
                f"{e['input']}: its release PDF or JSON twin is missing from {batch_dir}; "
                "run the batch with --format pdf (and --resume to finish it)"
            )
        twin = json.loads(twin_path.read_text(encoding="utf-8"))
        docs.append({"entry": e, "pdf": pdf_path.read_bytes(), "twin": twin})
    if not docs:
        raise RedactorError(f"no released documents in {batch_dir}")

    settings = docs[0]["twin"]["release"].get("settings", {})
    case = case_number if case_number is not None else (settings.get("case_number") or "")
    day = date or state.get("date") or settings.get("release_date") or ""
    if day:
        from redactor.policy import check_date

        try:
            day = check_date(day)
        except ValueError as exc:
            raise RedactorError(str(exc)) from None
    info = _Info(
        case=case,
        requester=requester,
        date=day,
        agency=settings.get("agency") or "Declassified release",
        prefix=bates_prefix,
    )

    readers = [PdfReader(io.BytesIO(d["pdf"])) for d in docs]
    counts = [len(r.pages) for r in readers]
    cover_pdf, cover_pages = _cover(info, docs, entries, bates_start, sum(counts))
    n = bates_start + cover_pages
    listing = []
    for d, pages in zip(docs, counts, strict=True):
        e, twin = d["entry"], d["twin"]
        listing.append(
            {
                "index": e["index"],
                "input": e["input"],
                "output": e["output"],
                "reference": twin.get("document", {}).get("reference") or e.get("reference") or "",
                "date": twin.get("document", {}).get("date"),
                "disposition": twin["release"]["disposition"],
                "codes": twin["release"]["codes"],
                "pages": pages,
                "bates_first": bates(bates_prefix, n),
                "bates_last": bates(bates_prefix, n + pages - 1),
                "_first": n,
            }
        )
        n += pages
    index: list[dict[str, Any]] = []
    for no, (doc, d) in enumerate(zip(listing, docs, strict=True), 1):
        for item in d["twin"].get("index") or []:
            page = item.get("page")
            index.append(
                {
                    "item": len(index) + 1,
                    "document_no": no,
                    "document": doc["reference"] or doc["input"],
                    "bates": bates(bates_prefix, doc["_first"] + page - 1) if page else None,
                    "paragraph": item["paragraph"],
                    "withheld": item["withheld"],
                    "codes": item["codes"],
                    "justification": item["justification"],
                    "decided": item.get("decided", "machine"),
                }
            )
    ok_entries = [d["entry"] for d in docs]
    second_look = consistency.differences(ok_entries)
    by_input = {d["input"]: d for d in listing}
    for group in second_look:
        for place in group["places"]:
            listed = by_input.get(place["input"])
            place["bates_first"] = listed["bates_first"] if listed else None
    summary_counts = Counter(d["disposition"] for d in listing)
    codes: list[str] = []
    for d in listing:
        codes.extend(c for c in d["codes"] if c not in codes)
    report: dict[str, Any] = {
        "case": {"number": case, "requester": requester, "date": day, "agency": info.agency},
        "bates": {
            "prefix": bates_prefix,
            "start": bates_start,
            "first": bates(bates_prefix, bates_start),
            "last": None,
            "cover_pages": cover_pages,
        },
        "counts": {
            "documents": len(listing),
            "pages": sum(counts),
            "dispositions": dict(sorted(summary_counts.items())),
            "not_released": {
                "skipped": sum(e.get("status") == "skipped" for e in entries),
                "failed": sum(e.get("status") == "error" for e in entries),
            },
        },
        "codes": codes,
        "dates": _date_range(listing),
        "documents": [{k: v for k, v in d.items() if not k.startswith("_")} for d in listing],
        "index": index,
        "consistency": {
            "rule": "a paragraph withheld in any document of the case is withheld in every document "
            "that has it (the batch harmonises, failing closed); what still differs is listed "
            "for a second look",
            "shared_paragraphs": consistency.shared_count(ok_entries),
            "harmonised": sum(len(e.get("harmonised") or []) for e in ok_entries),
            "second_look": second_look,
        },
    }
    pdf = _assemble(info, cover_pdf, readers, report, bates_start)
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    report["summary"] = {
        "output": str(out),
        "documents": len(listing),
        "pages": report["bates"]["total_pages"],
        "bates_first": report["bates"]["first"],
        "bates_last": report["bates"]["last"],
        "index_entries": len(index),
        "second_look": len(second_look),
    }
    twin_out = Path(json_output) if json_output else out.with_suffix(".json")
    twin_out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report


def _date_range(listing: list[dict]) -> dict:
    days = sorted(d["date"] for d in listing if d.get("date"))
    return {"earliest": days[0] if days else None, "latest": days[-1] if days else None}


class _Info:
    def __init__(self, *, case: str, requester: str, date: str, agency: str, prefix: str) -> None:
        self.case, self.requester, self.date, self.agency, self.prefix = case, requester, date, agency, prefix

    def title(self) -> str:
        return f"Case release {self.case}".strip() if self.case else "Case release"


# -------------------------------------------------------------------------------------------- typeset
def _styles():
    from reportlab.lib.styles import ParagraphStyle

    from redactor.render.pdf import FONT, FONT_BOLD

    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5, spaceAfter=6)
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=14),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=8),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "cellhead": ParagraphStyle("cellhead", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10, spaceAfter=0),
    }


def _doc(out: io.BytesIO, info: _Info, subject: str):
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import SimpleDocTemplate

    from redactor.render.pdf import FONT, MARGIN

    return SimpleDocTemplate(
        out,
        pagesize=letter,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 0.3 * 72,
        title=info.title(),
        author=info.agency,
        subject=subject,
        creator=f"redactor {__version__}",
        producer=f"redactor {__version__}",
        invariant=1,
        pageCompression=1,
        initialFontName=FONT,
        initialFontSize=10,
    )


def _m(text: object) -> str:
    from redactor.render.pdf import _markup

    return _markup(str(text))


def _table(rows: list[list[str]], widths: list[float], st) -> object:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    from redactor.render.pdf import _TABLE_FONT

    data = [[Paragraph(_m(c), st["cellhead"]) for c in rows[0]]]
    data += [[Paragraph(_m(c), st["cell"]) for c in r] for r in rows[1:]]
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                *_TABLE_FONT,
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def _render(info: _Info, story: list, subject: str) -> bytes:
    from redactor.render.pdf import _register_fonts

    _register_fonts()
    out = io.BytesIO()
    doc = _doc(out, info, subject)
    doc.build(story, canvasmaker=_canvas(info))
    return out.getvalue()


def _canvas(info: _Info):
    from reportlab.pdfgen.canvas import Canvas

    from redactor.render.pdf import _pdf_date, _release_date

    day = _release_date(info.date)

    class _Fixed(Canvas):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._doc.signature = hashlib.md5(b"redactor package " + _pdf_date(day).encode(), usedforsecurity=False)
            self._doc.setDateFormatter(lambda *_: _pdf_date(day))

    return _Fixed


def _cover_story(info: _Info, docs: list[dict], entries: list[dict], first: int, pages: int, cover_pages: int) -> list:
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer

    st = _styles()
    dispositions = Counter(d["twin"]["release"]["disposition"] for d in docs)
    codes: list[str] = []
    for d in docs:
        codes.extend(c for c in d["twin"]["release"]["codes"] if c not in codes)
    days = sorted(day for d in docs if (day := d["twin"].get("document", {}).get("date")))
    last = first + cover_pages + pages - 1
    rows = [
        ["Item", "Value"],
        ["Case number", info.case or "not set"],
        ["Requester", info.requester or "not set"],
        ["Date of release", info.date or "not set"],
        ["Documents dated", f"{days[0]} to {days[-1]}" if days else "not known"],
        ["Documents released", str(len(docs))],
        *[[f"  {k.capitalize() if k.isupper() else k}", str(v)] for k, v in sorted(dispositions.items())],
        [
            "Not released (not documents, or failed)",
            f"{sum(e.get('status') == 'skipped' for e in entries)} skipped, "
            f"{sum(e.get('status') == 'error' for e in entries)} failed",
        ],
        ["Pages in this package", f"{cover_pages + pages} and the index that follows the documents"],
        ["Bates numbers", f"{bates(info.prefix, first)} to {bates(info.prefix, last)} and on through the index"],
        ["Exemption codes used", " ".join(codes) or "none"],
    ]
    return [
        Paragraph(_m(info.agency), st["heading"]),
        Paragraph(_m(info.title()), st["title"]),
        _table(rows, [2.4 * inch, 4.6 * inch], st),
        Spacer(1, 14),
        Paragraph(
            "Each document follows in order with its own release pages. A Bates number is printed at the "
            "foot of every page. The list of documents and one index of every withholding, with its "
            "Bates page, follow the last document.",
            st["body"],
        ),
    ]


def _cover(info: _Info, docs: list[dict], entries: list[dict], first: int, pages: int) -> tuple[bytes, int]:
    """The cover sheet and its page count (it names the last Bates number, which depends on its own length)."""
    from pypdf import PdfReader

    n = 1
    for _ in range(3):
        pdf = _render(info, _cover_story(info, docs, entries, first, pages, n), "Cover sheet")
        got = len(PdfReader(io.BytesIO(pdf)).pages)
        if got == n:
            return pdf, n
        n = got
    raise RuntimeError("the cover sheet does not settle on a length")


def _back_story(report: dict) -> list:
    from reportlab.lib.units import inch
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    st = _styles()
    story: list = [Paragraph("Documents in this package", st["heading"])]
    rows = [["No.", "Bates", "Document", "Date", "Disposition", "Pages", "Codes"]]
    for n, d in enumerate(report["documents"], 1):
        rows.append(
            [
                str(n),
                f"{d['bates_first']} – {d['bates_last']}",
                d["reference"] or d["input"],
                d["date"] or "—",
                d["disposition"],
                str(d["pages"]),
                " ".join(d["codes"]) or "—",
            ]
        )
    story.append(_table(rows, [w * inch for w in (0.4, 1.55, 1.35, 0.8, 1.2, 0.5, 1.2)], st))
    story += [PageBreak(), Paragraph("Index of withholdings (all documents)", st["heading"])]
    rows = [["No.", "Document", "Bates page", "Paragraph", "Withheld", "Exemptions", "Decided by", "Justification"]]
    for i in report["index"]:
        rows.append(
            [
                str(i["item"]),
                f"{i['document_no']}. {i['document']}",
                i["bates"] or "—",
                i["paragraph"],
                i["withheld"],
                " ".join(i["codes"]) or "—",
                i["decided"],
                i["justification"],
            ]
        )
    if len(rows) == 1:
        story.append(Paragraph("No information was withheld from these documents.", st["body"]))
    else:
        story.append(_table(rows, [w * inch for w in (0.45, 0.95, 1.3, 0.8, 0.85, 0.75, 0.7, 1.2)], st))
    story += [Spacer(1, 14), Paragraph("Paragraphs in more than one document", st["heading"])]
    c = report["consistency"]
    story.append(
        Paragraph(
            _m(
                f"{c['shared_paragraphs']} paragraph(s) occur in more than one document. Rule: "
                f"{c['rule']}. {c['harmonised']} portion(s) were withheld for consistency."
            ),
            st["body"],
        )
    )
    if c["second_look"]:
        rows = [
            ["Group", "Document (first Bates)", "Paragraph", "Decision", "Codes", "Decided by", "For a second look"]
        ]
        for g, group in enumerate(c["second_look"], 1):
            for place in group["places"]:
                rows.append(
                    [
                        str(g),
                        f"{place.get('reference') or place['input']} ({place.get('bates_first') or '—'})",
                        place["number"] or place["portion"],
                        place["decision"],
                        " ".join(place["codes"]) or "—",
                        place["decided_by"],
                        group["why"],
                    ]
                )
        story.append(_table(rows, [w * inch for w in (0.45, 1.7, 0.7, 0.7, 0.9, 0.95, 1.6)], st))
    return story


def _overlay(info: _Info, labels: list[tuple[float, float, str]]) -> bytes:
    """One page per label, with only the Bates number at the foot (drawn where no release prints anything)."""

    from redactor.render.pdf import FONT_BOLD, MARGIN, _register_fonts

    _register_fonts()
    out = io.BytesIO()
    c = _canvas(info)(out, invariant=1, pageCompression=1, initialFontName=FONT_BOLD, initialFontSize=9)
    for width, height, label in labels:
        c.setPageSize((width, height))
        c.setFont(FONT_BOLD, 9)
        c.drawRightString(width - MARGIN, MARGIN / 2 - 6, label)
        c.showPage()
    c.save()
    return out.getvalue()


def _assemble(info: _Info, cover_pdf: bytes, readers: list, report: dict, first: int) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    from redactor.render.pdf import _pdf_date, _release_date

    cover = PdfReader(io.BytesIO(cover_pdf))
    back = PdfReader(io.BytesIO(_render(info, _back_story(report), "Index")))
    pages = list(cover.pages)
    for r in readers:
        pages.extend(r.pages)
    pages.extend(back.pages)
    labels = [
        (float(p.mediabox.width), float(p.mediabox.height), bates(info.prefix, first + i)) for i, p in enumerate(pages)
    ]
    stamps = PdfReader(io.BytesIO(_overlay(info, labels)))
    writer = PdfWriter()
    for page, stamp in zip(pages, stamps.pages, strict=True):
        added = writer.add_page(page)
        added.merge_page(stamp)
        for key in list(added.keys()):
            if key not in ("/Type", "/Parent", "/Resources", "/Contents", "/MediaBox", "/Rotate"):
                del added[key]
    report["bates"]["last"] = bates(info.prefix, first + len(pages) - 1)
    report["bates"]["total_pages"] = len(pages)
    day = _pdf_date(_release_date(info.date))
    writer.add_metadata(
        {
            "/Title": info.title(),
            "/Author": info.agency,
            "/Subject": "Case package",
            "/Creator": f"redactor {__version__}",
            "/Producer": f"redactor {__version__}",
            "/CreationDate": day,
            "/ModDate": day,
            "/Keywords": "",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject("en")
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    body = out.getvalue()
    digest = hashlib.md5(body, usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


__all__ = ["build_package", "bates"]
