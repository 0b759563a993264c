"""Case packages: a batch's releases assembled into one PDF and its JSON twin.

`redactor package BATCH_OUT_DIR -o case.pdf [--bates-prefix PFX] [--bates-start N]` reads the batch's
manifest and, for each document in input order, its release PDF and the JSON twin beside it, and writes:

- a cover sheet: case number, requester, dates, counts by disposition, the exemption codes used, the Bates range;
- every document's release, its pages as they were rendered, with a Bates number (prefix + six-digit
  sequence, e.g. `F-2026-0001-000123`) stamped on every page of the package, continuous from the start;
- the list of documents and one consolidated Vaughn index (document, Bates page, paragraph, codes,
  justification, who decided), then the consistency report: paragraphs shared by several documents whose
  treatment was harmonised or still differs, for a second look.

The package is made in two passes over the manifest, so nothing grows with the case in memory: the first
reads the JSON twins for the cover's figures, the second copies each document's pages into the output as
it goes (redactor.pdf_stream) and spills the list of documents, the index rows and the paragraph digests
to a temporary SQLite file, from which the back matter and the JSON twin are then written. The batch folder
and the outputs may be local or at fsspec URLs.

Bates numbers are drawn over the finished pages (a reportlab overlay's content added as one more content
stream), so the document pages' content is the bytes the batch rendered. Nothing here sees withheld text: the JSON
twins hold none, and the consistency report names paragraphs by number, never by content. The file follows
the PDF safety rules of the releases (fixed metadata, one revision, no outline, links or XObjects, embedded
fonts) and its bytes depend only on its inputs.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redactor import __version__
from redactor.errors import RedactorError

BATES_DIGITS = 6


def bates(prefix: str, n: int) -> str:
    return f"{prefix}{n:0{BATES_DIGITS}d}"


class _Batch:
    """A batch's output folder, local or at an fsspec URL: its files by name."""

    def __init__(self, location: str, storage_options: dict | None) -> None:
        from redactor.batch.inputs import _fs, local_path

        self.location = location
        path = local_path(location)
        self.root = Path(path) if path is not None else None
        if self.root is None:
            self.fs, self.prefix = _fs(location, storage_options)

    def read(self, name: str) -> bytes | None:
        if self.root is not None:
            path = self.root / name
            return path.read_bytes() if path.is_file() else None
        remote = f"{self.prefix.rstrip('/')}/{name}"
        return self.fs.cat_file(remote) if self.fs.exists(remote) else None

    def exists(self, name: str) -> bool:
        if self.root is not None:
            return (self.root / name).is_file()
        return bool(self.fs.exists(f"{self.prefix.rstrip('/')}/{name}"))

    def fetch(self, name: str, dest: Path) -> bool:
        """Copy one file to a local path (the manifest, which is read twice); False if there is none."""
        if self.root is not None:
            if not (self.root / name).is_file():
                return False
            shutil.copyfile(self.root / name, dest)
            return True
        remote = f"{self.prefix.rstrip('/')}/{name}"
        if not self.fs.exists(remote):
            return False
        self.fs.get_file(remote, str(dest))
        return True


class _Entries:
    """The manifest's last line for each input, in input order, read one at a time from a local copy.

    Only each input's name and the place of its line are kept, not the lines (a resumed batch can have
    several lines for one input; the last wins)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        last: dict[str, tuple[int, int]] = {}
        with path.open("rb") as f:
            offset = 0
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    e = None
                if isinstance(e, dict) and "input" in e:
                    last[e["input"]] = (e.get("index", 0), offset)
                offset += len(line)
        in_order = sorted(last.items(), key=lambda item: (item[1][0], item[0]))  # by index, then name
        self.offsets = [offset for _, (_, offset) in in_order]

    def __iter__(self) -> Iterator[dict]:
        with self.path.open("rb") as f:
            for offset in self.offsets:
                f.seek(offset)
                yield json.loads(f.readline())


def _twin(batch: _Batch, e: dict) -> dict:
    output = e.get("output") or ""
    twin = batch.read(output[:-4] + ".json") if output.endswith(".pdf") else None
    if twin is None or not batch.exists(output):
        raise RedactorError(
            f"{e['input']}: its release PDF or JSON twin is missing from {batch.location}; "
            "run the batch with --format pdf (and --resume to finish it)"
        )
    return json.loads(twin)


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
    storage_options: dict | None = None,
) -> dict:
    """Write the case PDF and its JSON twin (a folder or an fsspec URL each); returns the twin's head and its
    `summary`: everything but the lists of documents, index rows and second looks, which are in the file.

    The PDF is written page by page (pdf_stream); the lists are spilled to a temporary SQLite file as they
    are made, so memory does not grow with the pages, the documents or the index."""
    from redactor.batch.manifest import MANIFEST, STATE
    from redactor.render.pdf import _register_fonts

    _register_fonts()
    if bates_start < 0:
        raise RedactorError("--bates-start must be 0 or more")
    batch = _Batch(batch_dir, storage_options)
    with tempfile.TemporaryDirectory(prefix="redactor-package-") as tmp:
        work = Path(tmp)
        if not batch.fetch(MANIFEST, work / MANIFEST):
            raise RedactorError(f"no batch here: {batch_dir} has no {MANIFEST}")
        entries = _Entries(work / MANIFEST)
        state_bytes = batch.read(STATE)
        state = json.loads(state_bytes) if state_bytes else {}
        if state.get("format") not in (None, "pdf"):
            raise RedactorError(
                f"the batch in {batch_dir} made {state['format']} releases; a package needs the "
                "PDF releases: run the batch with --format pdf"
            )
        figures = _figures(batch, entries)
        if not figures["documents"]:
            raise RedactorError(f"no released documents in {batch_dir}")
        settings = figures["settings"]
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
        spill = _Spill(work / "lists.sqlite")
        pdf_path = work / "case.pdf"
        with pdf_path.open("wb") as f:
            report = _write_pdf(f, info, batch, entries, figures, spill, bates_start)
        report["summary"] = {"output": output, **report["summary"]}
        twin_path = work / "case.json"
        with twin_path.open("w", encoding="utf-8") as f:
            _write_twin(f, report, spill)
        spill.close()
        twin_out = json_output or _with_suffix(output, ".json")
        _put(pdf_path, output, storage_options)
        _put(twin_path, twin_out, storage_options)
    return report


def _with_suffix(location: str, suffix: str) -> str:
    head, _, name = location.rpartition("/")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{head}/{stem}{suffix}" if head or location.startswith("/") else f"{stem}{suffix}"


def _put(local: Path, location: str, storage_options: dict | None) -> None:
    """Move a finished file into place: renamed into a folder, or uploaded (whole) to a URL."""
    from redactor.batch.inputs import _fs, local_path

    path = local_path(location)
    if path is None:
        fs, remote = _fs(location, storage_options)
        fs.put_file(str(local), remote)
        return
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".tmp-{dest.name}")
    shutil.copyfile(local, tmp)
    os.replace(tmp, dest)


def _figures(batch: _Batch, entries: _Entries) -> dict:
    """The first pass: what the cover sheet says (counters only), and that every release is there."""
    dispositions: Counter = Counter()
    codes: list[str] = []
    days: list[str] = []
    figures: dict[str, Any] = {"documents": 0, "pages": 0, "skipped": 0, "failed": 0, "settings": {}}
    for e in entries:
        if e.get("status") == "skipped":
            figures["skipped"] += 1
        elif e.get("status") == "error":
            figures["failed"] += 1
        if e.get("status") != "ok":
            continue
        twin = _twin(batch, e)
        if not figures["documents"]:
            figures["settings"] = twin["release"].get("settings", {})
        figures["documents"] += 1
        figures["pages"] += int(twin.get("pages") or 0)
        dispositions[twin["release"]["disposition"]] += 1
        codes.extend(c for c in twin["release"]["codes"] if c not in codes)
        day = twin.get("document", {}).get("date")
        if day:
            days = [min([day, *days[:1]]), max([day, *days[1:]])]
    figures.update(dispositions=dict(sorted(dispositions.items())), codes=codes, days=days)
    return figures


class _Spill:
    """The package's lists, kept on disk as they are made: the documents, the index rows, the paragraphs
    (to find the shared ones) and the second looks."""

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.db = sqlite3.connect(str(path))
        self.db.executescript(
            """
            CREATE TABLE documents (no INTEGER PRIMARY KEY, row TEXT, entry TEXT, input TEXT);
            CREATE INDEX documents_input ON documents (input);
            CREATE TABLE items (item INTEGER PRIMARY KEY, row TEXT);
            CREATE TABLE paragraphs (key TEXT, no INTEGER, paragraph TEXT);
            CREATE TABLE looks (n INTEGER PRIMARY KEY, row TEXT);
            """
        )

    def add(self, table: str, *values: object) -> None:
        marks = ", ".join("?" for _ in values)
        self.db.execute(f"INSERT INTO {table} VALUES ({marks})", values)  # noqa: S608 - our table names

    def rows(self, table: str, order: str) -> Iterator[dict]:
        for (row,) in self.db.execute(f"SELECT row FROM {table} ORDER BY {order}"):  # noqa: S608
            yield json.loads(row)

    def count(self, table: str) -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608

    def shared(self) -> Iterator[list[dict]]:
        """For each paragraph digest found more than once (in digest order): the documents' entries that
        have it, each with only those paragraphs, in document order (what consistency.differences reads)."""
        self.db.execute("CREATE INDEX paragraphs_key ON paragraphs (key)")
        keys = self.db.execute("SELECT key FROM paragraphs GROUP BY key HAVING COUNT(*) > 1 ORDER BY key")
        for (key,) in keys.fetchall():
            members: dict[int, dict] = {}
            query = (
                "SELECT p.no, d.entry, p.paragraph FROM paragraphs p JOIN documents d ON d.no = p.no "
                "WHERE p.key = ? ORDER BY p.rowid"
            )
            for no, entry, paragraph in self.db.execute(query, (key,)):
                e = members.setdefault(no, {**json.loads(entry), "status": "ok", "paragraphs": []})
                e["paragraphs"].append(json.loads(paragraph))
            yield list(members.values())

    def close(self) -> None:
        self.db.close()


class _Stamps:
    """The Bates number of each page as content to draw over it, typeset STAMPS_AT_ONCE numbers at a time with
    reportlab (one small font subset each), on letter pages: a page of another width gets the label moved
    along, so it stays at the foot on the right."""

    WIDTH, HEIGHT = 612.0, 792.0
    FONT = "/FBates"

    def __init__(self, info: _Info, out) -> None:
        self.info, self.out = info, out
        self.first = 0
        self.contents: list[bytes] = []
        self.font = 0

    def get(self, n: int, width: float) -> tuple[bytes, tuple[str, int]]:
        if not self.first <= n < self.first + len(self.contents):
            self._typeset(n)
        move = b"q 1 0 0 1 %.2f 0 cm\n" % (width - self.WIDTH)
        return move + self.contents[n - self.first] + b"\nQ\n", (self.FONT, self.font)

    def _typeset(self, n: int) -> None:
        import re

        from pypdf import PdfReader
        from pypdf.generic import DictionaryObject

        labels = [(self.WIDTH, self.HEIGHT, bates(self.info.prefix, k)) for k in range(n, n + STAMPS_AT_ONCE)]
        reader = PdfReader(io.BytesIO(_overlay(self.info, labels)))
        resources = reader.pages[0]["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        fonts = resources["/Font"].get_object()
        assert isinstance(fonts, DictionaryObject)
        (name, ref), *others = fonts.items()
        assert not others, "a Bates overlay uses one font"
        tf = re.compile(re.escape(name.encode()) + rb"(?=\s+[\d.]+\s+Tf)")
        self.contents = []
        for page in reader.pages:
            content = page.get_contents()
            assert content is not None, "a Bates overlay page has its label"
            self.contents.append(tf.sub(self.FONT.encode(), content.get_data()))
        self.font = self.out.copy_resource(ref)
        self.first = n


STAMPS_AT_ONCE = 500


def _write_pdf(f, info: _Info, batch: _Batch, entries: _Entries, figures: dict, spill: _Spill, first: int) -> dict:
    """The second pass: the cover, each document's stamped pages, then the back matter, page by page."""
    from pypdf import PdfReader

    from redactor.batch import consistency
    from redactor.pdf_stream import StreamedPdf

    out = StreamedPdf(f)
    stamps = _Stamps(info, out)

    def add(pdf: bytes) -> int:
        """Every page of one PDF, each with its Bates number; returns the number of pages."""
        out.new_source()
        pages = PdfReader(io.BytesIO(pdf)).pages
        for page in pages:
            stamp, font = stamps.get(first + out.pages, float(page.mediabox.width))
            out.add_page(page, stamp, font)
        return len(pages)

    cover_pdf, cover_pages = _cover(info, figures, first)
    add(cover_pdf)
    no = harmonised = items = looks = 0
    for e in entries:
        if e.get("status") != "ok":
            continue
        twin = _twin(batch, e)
        pdf = batch.read(e["output"])
        assert pdf is not None  # _twin checked it is there
        start = first + out.pages
        pages = add(pdf)
        if pages != int(twin.get("pages") or 0):
            raise RedactorError(
                f"{e['input']}: its release PDF has {pages} pages, its JSON twin says {twin.get('pages')}"
            )
        no += 1
        reference = twin.get("document", {}).get("reference") or e.get("reference") or ""
        row = {
            "index": e["index"],
            "input": e["input"],
            "output": e["output"],
            "reference": reference,
            "date": twin.get("document", {}).get("date"),
            "disposition": twin["release"]["disposition"],
            "codes": twin["release"]["codes"],
            "pages": pages,
            "bates_first": bates(info.prefix, start),
            "bates_last": bates(info.prefix, start + pages - 1),
        }
        small = {k: e.get(k) for k in ("input", "output", "reference", "harmonised")}
        spill.add(
            "documents", no, json.dumps(row, ensure_ascii=False), json.dumps(small, ensure_ascii=False), e["input"]
        )
        for item in twin.get("index") or []:
            page = item.get("page")
            entry = {
                "item": items + 1,
                "document_no": no,
                "document": reference or e["input"],
                "bates": bates(info.prefix, start + page - 1) if page else None,
                "paragraph": item["paragraph"],
                "withheld": item["withheld"],
                "codes": item["codes"],
                "justification": item["justification"],
                "decided": item.get("decided", "machine"),
            }
            spill.add("items", entry["item"], json.dumps(entry, ensure_ascii=False))
            items += 1
        for p in e.get("paragraphs") or []:
            spill.add("paragraphs", p["key"], no, json.dumps(p, ensure_ascii=False))
        harmonised += len(e.get("harmonised") or [])
    first_of = {}  # input -> its first Bates number, for the second looks (documents in conflict only)
    shared = 0
    for members in spill.shared():
        shared += 1
        for group in consistency.differences(members):
            for place in group["places"]:
                if place["input"] not in first_of:
                    row = spill.db.execute("SELECT row FROM documents WHERE input = ?", (place["input"],)).fetchone()
                    first_of[place["input"]] = json.loads(row[0])["bates_first"] if row else None
                place["bates_first"] = first_of[place["input"]]
            looks += 1
            spill.add("looks", looks, json.dumps(group, ensure_ascii=False))
    report: dict[str, Any] = {
        "case": {"number": info.case, "requester": info.requester, "date": info.date, "agency": info.agency},
        "bates": {
            "prefix": info.prefix,
            "start": first,
            "first": bates(info.prefix, first),
            "last": None,
            "cover_pages": cover_pages,
        },
        "counts": {
            "documents": figures["documents"],
            "pages": figures["pages"],
            "dispositions": figures["dispositions"],
            "not_released": {"skipped": figures["skipped"], "failed": figures["failed"]},
        },
        "codes": figures["codes"],
        "dates": {"earliest": figures["days"][0], "latest": figures["days"][1]}
        if figures["days"]
        else {"earliest": None, "latest": None},
        "consistency": {
            "rule": "a paragraph withheld in any document of the case is withheld in every document "
            "that has it (the batch harmonises, failing closed); what still differs is listed "
            "for a second look",
            "shared_paragraphs": shared,
            "harmonised": harmonised,
        },
    }
    for part in _back_parts(info, report, spill):
        add(part)
    report["bates"]["last"] = bates(info.prefix, first + out.pages - 1)
    report["bates"]["total_pages"] = out.pages
    day = _pdf_date_of(info)
    out.close(
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
    report["summary"] = {
        "documents": figures["documents"],
        "pages": out.pages,
        "bates_first": report["bates"]["first"],
        "bates_last": report["bates"]["last"],
        "index_entries": items,
        "second_look": looks,
    }
    return report


def _pdf_date_of(info: _Info) -> str:
    from redactor.render.pdf import _pdf_date, _release_date

    return _pdf_date(_release_date(info.date))


def _write_twin(f, report: dict, spill: _Spill) -> None:
    """The JSON twin, its lists streamed from the spill: the same document json.dump would write."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")

    def stream(table: str, order: str, indent: str) -> None:
        f.write("[")
        for n, row in enumerate(spill.rows(table, order)):
            f.write(("," if n else "") + "\n" + indent + "  " + json.dumps(row, ensure_ascii=False))
        f.write(("\n" + indent) if spill.count(table) else "")
        f.write("]")

    f.write("{\n")
    for key in ("case", "bates", "counts", "codes", "dates"):
        f.write(f"  {json.dumps(key)}: {dump(report[key])},\n")
    f.write('  "documents": ')
    stream("documents", "no", "  ")
    f.write(',\n  "index": ')
    stream("items", "item", "  ")
    c = report["consistency"]
    f.write(',\n  "consistency": {\n')
    for key in ("rule", "shared_paragraphs", "harmonised"):
        f.write(f"    {json.dumps(key)}: {json.dumps(c[key], ensure_ascii=False)},\n")
    f.write('    "second_look": ')
    stream("looks", "n", "    ")
    f.write(f'\n  }},\n  "summary": {dump(report["summary"])}\n}}\n')


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


def _cover_story(info: _Info, figures: dict, first: int, cover_pages: int) -> list:
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer

    st = _styles()
    days = figures["days"]
    last = first + cover_pages + figures["pages"] - 1
    rows = [
        ["Item", "Value"],
        ["Case number", info.case or "not set"],
        ["Requester", info.requester or "not set"],
        ["Date of release", info.date or "not set"],
        ["Documents dated", f"{days[0]} to {days[-1]}" if days else "not known"],
        ["Documents released", str(figures["documents"])],
        *[[f"  {k.capitalize() if k.isupper() else k}", str(v)] for k, v in figures["dispositions"].items()],
        [
            "Not released (not documents, or failed)",
            f"{figures['skipped']} skipped, {figures['failed']} failed",
        ],
        ["Pages in this package", f"{cover_pages + figures['pages']} and the index that follows the documents"],
        ["Bates numbers", f"{bates(info.prefix, first)} to {bates(info.prefix, last)} and on through the index"],
        ["Exemption codes used", " ".join(figures["codes"]) or "none"],
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


def _cover(info: _Info, figures: dict, first: int) -> tuple[bytes, int]:
    """The cover sheet and its page count (it names the last Bates number, which depends on its own length)."""
    from pypdf import PdfReader

    n = 1
    for _ in range(3):
        pdf = _render(info, _cover_story(info, figures, first, n), "Cover sheet")
        got = len(PdfReader(io.BytesIO(pdf)).pages)
        if got == n:
            return pdf, n
        n = got
    raise RuntimeError("the cover sheet does not settle on a length")


# Rows of the list of documents, the index and the second looks typeset at a time: each part is a small
# reportlab document of its own (reportlab keeps a whole document in memory until it is saved).
ROWS_PER_PART = 200
ROWS_PER_TABLE = 25


def _parts(rows: Iterator[list[str]], header: list[str], widths: list[float], title: str, st) -> Iterator[list]:
    """Stories of at most ROWS_PER_PART rows each; the first under `title`, the others "(continued)"."""
    from reportlab.platypus import Paragraph

    part = 0
    while True:
        chunk = list(itertools.islice(rows, ROWS_PER_PART))
        if not chunk and part:
            return
        heading = title if not part else f"{title} (continued)"
        story: list = [Paragraph(_m(heading), st["heading"])]
        for at in range(0, len(chunk), ROWS_PER_TABLE):  # small tables: reportlab splits a long one slowly
            story.append(_table([header, *chunk[at : at + ROWS_PER_TABLE]], widths, st))
        yield story
        part += 1
        if len(chunk) < ROWS_PER_PART:
            return


def _back_parts(info: _Info, report: dict, spill: _Spill) -> Iterator[bytes]:
    """The back matter as a few PDFs of at most ROWS_PER_PART rows each: the list of documents, the index
    of withholdings, the consistency report and its second looks."""
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, Spacer

    st = _styles()
    documents = (
        [
            str(n),
            f"{d['bates_first']} – {d['bates_last']}",
            d["reference"] or d["input"],
            d["date"] or "—",
            d["disposition"],
            str(d["pages"]),
            " ".join(d["codes"]) or "—",
        ]
        for n, d in enumerate(spill.rows("documents", "no"), 1)
    )
    header = ["No.", "Bates", "Document", "Date", "Disposition", "Pages", "Codes"]
    widths = [w * inch for w in (0.4, 1.55, 1.35, 0.8, 1.2, 0.5, 1.2)]
    for story in _parts(documents, header, widths, "Documents in this package", st):
        yield _render(info, story, "Index")
    index = (
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
        for i in spill.rows("items", "item")
    )
    header = ["No.", "Document", "Bates page", "Paragraph", "Withheld", "Exemptions", "Decided by", "Justification"]
    widths = [w * inch for w in (0.45, 0.95, 1.3, 0.8, 0.85, 0.75, 0.7, 1.2)]
    for n, story in enumerate(_parts(index, header, widths, "Index of withholdings (all documents)", st)):
        if not n and len(story) == 1:
            story.append(Paragraph("No information was withheld from these documents.", st["body"]))
        yield _render(info, story, "Index")
    c = report["consistency"]
    looks = (
        [
            str(g),
            f"{place.get('reference') or place['input']} ({place.get('bates_first') or '—'})",
            place["number"] or place["portion"],
            place["decision"],
            " ".join(place["codes"]) or "—",
            place["decided_by"],
            group["why"],
        ]
        for g, group in enumerate(spill.rows("looks", "n"), 1)
        for place in group["places"]
    )
    header = ["Group", "Document (first Bates)", "Paragraph", "Decision", "Codes", "Decided by", "For a second look"]
    widths = [w * inch for w in (0.45, 1.7, 0.7, 0.7, 0.9, 0.95, 1.6)]
    for n, story in enumerate(_parts(looks, header, widths, "Paragraphs in more than one document", st)):
        if not n:
            story[1:1] = [
                Paragraph(
                    _m(
                        f"{c['shared_paragraphs']} paragraph(s) occur in more than one document. Rule: "
                        f"{c['rule']}. {c['harmonised']} portion(s) were withheld for consistency."
                    ),
                    st["body"],
                ),
                Spacer(1, 6),
            ]
        yield _render(info, story, "Index")


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


__all__ = ["build_package", "bates"]
