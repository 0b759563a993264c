"""Word (DOCX) uploads: every piece of text the file holds, in reading order.

Read with zipfile and lxml (python-docx hides tracked changes, comments in place and vanished runs). The
text is: headers (each once) as blocks at the start, then the body's paragraphs and tables in document
order, then footnotes and endnotes, then footers. One paragraph per Word paragraph (a table cell's
paragraphs each on their own: cells can carry their own marks), a blank line between paragraphs, so a memo
whose paragraphs start with "(S)" segments like a cable.

Hidden content stays in place and is listed in `SourceText.hidden`: vanished runs ("hidden run"), tracked
deletions ("deleted revision") and moves ("moved-from revision"), comments (inline where they are
anchored, so they share their paragraph's portion), field codes, white and tiny text. Tracked insertions
are kept as ordinary text. Metadata, images, embedded objects and macros are counted in `notes`; with the
option `include_annotations` metadata and image descriptions are appended as an unmarked block.

Source offsets (`SourceText.anchors`) are `part * 1_000_000 + paragraph index` within the part; the parts
are numbered in the order a note lists them (0 is word/document.xml).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from lxml import etree

from redactor.errors import InputError, OverLimit, RedactorError
from redactor.ingest.limits import MB, Deadline, check_size, resolve
from redactor.ingest.source import SourceText, TextBuilder

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PART = 1_000_000

HIDDEN_RUN = "hidden run"
DELETED = "deleted revision"
MOVED = "moved-from revision"
COMMENT = "comment"
FIELD = "field code"
WHITE = "white text"
TINY = "tiny text"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_OFF = {"0", "false", "off"}
_SKIP = {w("pPr"), w("rPr"), w("tblPr"), w("trPr"), w("tcPr"), w("sectPr"), w("tblGrid"), f"{{{MC}}}Fallback"}


def _on(el: Any, tag: str) -> bool:
    """Whether a toggle property (w:vanish, w:b...) is set in the properties element `el`."""
    prop = el.find(w(tag)) if el is not None else None
    return prop is not None and prop.get(w("val"), "true").lower() not in _OFF


@dataclass
class Piece:
    text: str
    src: int
    why: str | None = None


@dataclass
class _Zip:
    zf: zipfile.ZipFile
    limit: int
    read_total: int = 0

    def names(self) -> set[str]:
        return set(self.zf.namelist())

    def xml(self, name: str) -> Any:
        if name not in self.names():
            return None
        info = self.zf.getinfo(name)
        if info.flag_bits & 0x1:
            raise InputError("encrypted Word document: remove the password first")
        with self.zf.open(info) as f:
            data = f.read(self.limit - self.read_total + 1)
        self.read_total += len(data)
        if self.read_total > self.limit:
            raise OverLimit("the Word document unpacks to more than the limit (a zip bomb?)")
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            raise InputError(f"the Word document is corrupt: {_standard(name)} is not well-formed XML") from None


# Part names a Word document has by the standard; any other name is the file's own and is never reported.
_STANDARD = re.compile(
    r"(\[Content_Types\]\.xml|word/(document|styles|comments|footnotes|endnotes|settings|numbering)"
    r"\.xml|word/_rels/document\.xml\.rels|docProps/(core|app|custom)\.xml)"
)


def _standard(name: str) -> str:
    """`name` if the standard defines it, else a description that quotes nothing from the file."""
    return name if _STANDARD.fullmatch(name) else "a part the document refers to"


def _check_zip(zf: zipfile.ZipFile, opts: dict[str, Any]) -> None:
    infos = zf.infolist()
    if len(infos) > opts["max_members"]:
        raise OverLimit(f"the Word document holds {len(infos)} files; the limit is {opts['max_members']}")
    total = sum(i.file_size for i in infos)
    if total > opts["max_decompressed"]:
        raise OverLimit(f"the Word document unpacks to {total} bytes; the limit is {opts['max_decompressed']}")
    for i in infos:
        if i.file_size > MB and i.file_size > opts["max_ratio"] * max(i.compress_size, 1):
            ratio = i.file_size // max(i.compress_size, 1)
            raise OverLimit(
                f"a file in the Word document is compressed {ratio} to 1; "
                f"the limit is {opts['max_ratio']} (a zip bomb?)"
            )


def _rels(z: _Zip, part: str) -> dict[str, tuple[str, str]]:
    """rId -> (relationship type's last word, target part name) for `part`."""
    folder, base = posixpath.split(part)
    root = z.xml(posixpath.join(folder, "_rels", base + ".rels"))
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for rel in root:
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        name = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], name)
    return out


def _vanish_styles(styles: Any) -> set[str]:
    """Ids of styles that hide their text, following basedOn."""
    if styles is None:
        return set()
    based: dict[str, str] = {}
    hidden: set[str] = set()
    for st in styles.iter(w("style")):
        sid = st.get(w("styleId"), "")
        base = st.find(w("basedOn"))
        if base is not None:
            based[sid] = base.get(w("val"), "")
        if _on(st.find(w("rPr")), "vanish"):
            hidden.add(sid)
    out = set()
    for sid in based.keys() | hidden:
        seen, cur = set(), sid
        while cur and cur not in seen:
            if cur in hidden:
                out.add(sid)
                break
            seen.add(cur)
            cur = based.get(cur, "")
    return out


@dataclass
class _Doc:
    z: _Zip
    deadline: Deadline
    hidden_styles: set[str]
    comments: dict[str, list[Any]] = field(default_factory=dict)
    used_comments: set[str] = field(default_factory=set)
    paragraphs: list[list[Piece]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    alt_texts: list[str] = field(default_factory=list)
    part: int = 0
    index: int = 0

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    # blocks: paragraphs and tables, in order
    def blocks(self, el: Any) -> None:
        for child in el:
            if child.tag in _SKIP or not isinstance(child.tag, str):
                continue
            if child.tag == w("p"):
                self.paragraph(child)
            elif child.tag == w("altChunk"):
                self.count("embedded chunks (altChunk), not read")
            else:
                # tables, rows, cells, content controls, custom XML: their paragraphs in order
                self.blocks(child)

    def paragraph(self, p: Any) -> None:
        if self.index % 200 == 0:
            self.deadline.check()
        ppr = p.find(w("pPr"))
        pstyle = ppr.find(w("pStyle")) if ppr is not None else None
        why = HIDDEN_RUN if pstyle is not None and pstyle.get(w("val")) in self.hidden_styles else None
        pieces: list[Piece] = []
        nested: list[Any] = []
        self.inline(p, pieces, nested, why)
        if "".join(x.text for x in pieces).strip():
            self.paragraphs.append(pieces)
        self.index += 1
        for inner in nested:
            self.paragraph(inner)

    def inline(self, el: Any, out: list[Piece], nested: list[Any], why: str | None) -> None:
        src = self.part * PART + self.index
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == w("p"):
                nested.append(child)  # a text box's paragraph, read after this one
            elif tag == w("r"):
                self.run(child, out, nested, why, src)
            elif tag == w("del"):
                self.count(DELETED)
                self.inline(child, out, nested, why or DELETED)
            elif tag == w("moveFrom"):
                self.count(MOVED)
                self.inline(child, out, nested, why or MOVED)
            elif tag in (w("ins"), w("moveTo")):
                self.count("tracked insertions")
                self.inline(child, out, nested, why)
            elif tag == f"{{{WP}}}docPr":
                self.count("images or drawings")
                descr = " ".join(filter(None, (child.get("title"), child.get("descr"))))
                if descr.strip():
                    self.alt_texts.append(descr)
            else:
                self.inline(child, out, nested, why)

    def run(self, r: Any, out: list[Piece], nested: list[Any], why: str | None, src: int) -> None:
        rpr = r.find(w("rPr"))
        if why is None and rpr is not None:
            style = rpr.find(w("rStyle"))
            colour = rpr.find(w("color"))
            size = rpr.find(w("sz"))
            if (
                _on(rpr, "vanish")
                or _on(rpr, "specVanish")
                or (style is not None and style.get(w("val")) in self.hidden_styles)
            ):
                why = HIDDEN_RUN
            elif colour is not None and colour.get(w("val"), "").upper() == "FFFFFF":
                why = WHITE
            elif size is not None and size.get(w("val"), "").isdigit() and int(size.get(w("val"))) < 4:
                why = TINY
        for child in r:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag in (w("t"), w("delText")):
                out.append(Piece(child.text or "", src, why))
            elif tag in (w("instrText"), w("delInstrText")):
                out.append(Piece(child.text or "", src, why or FIELD))
            elif tag == w("tab"):
                out.append(Piece("\t", src, why))
            elif tag in (w("br"), w("cr")):
                out.append(Piece("\n", src, None))
            elif tag == w("noBreakHyphen"):
                out.append(Piece("-", src, why))
            elif tag == w("sym"):
                try:
                    out.append(Piece(chr(int(child.get(w("char"), "20"), 16)), src, why))
                except ValueError:
                    pass
            elif tag == w("commentReference"):
                self.comment(child.get(w("id"), ""), out, src)
            else:
                self.inline(child, out, nested, why)

    def comment(self, cid: str, out: list[Piece], src: int) -> None:
        if cid not in self.comments or cid in self.used_comments:
            return
        self.used_comments.add(cid)
        self.count(COMMENT)
        texts = []
        for p in self.comments[cid]:
            pieces: list[Piece] = []
            self.inline(p, pieces, [], COMMENT)
            texts.append("".join(x.text for x in pieces))
        text = " ".join(" ".join(texts).split())
        if text:
            out.append(Piece(" " + text + " ", src, COMMENT))


def read(data: bytes, *, limits: dict | None = None) -> SourceText:
    """Read a DOCX upload. Raises InputError (422) for a corrupt, encrypted or non-Word ZIP and OverLimit (422)
    when it passes a limit (size, unpacked size, compression ratio, members, time)."""
    opts = resolve(limits)
    check_size(data, opts)
    deadline = Deadline(float(opts["max_seconds"]))
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError("the Word document is corrupt or truncated (not a readable ZIP file)") from None
    try:
        with zf:
            _check_zip(zf, opts)
            return _read(_Zip(zf, int(opts["max_decompressed"])), opts, deadline)
    except RedactorError:
        raise
    except (MemoryError, RecursionError):
        raise OverLimit("the Word document is too complex to read") from None
    except Exception:  # noqa: BLE001 - any failure on untrusted bytes is a bad file, not a crash
        raise InputError("the Word document is corrupt or truncated and cannot be read") from None


def _read(z: _Zip, opts: dict[str, Any], deadline: Deadline) -> SourceText:
    names = z.names()
    main = "word/document.xml"
    if main not in names:
        raise InputError("a ZIP file that is not a Word document (no word/document.xml)")
    body_root = z.xml(main)
    body = body_root.find(w("body")) if body_root is not None else None
    if body is None:
        raise InputError("the Word document has no body")
    rels = _rels(z, main)
    doc = _Doc(z, deadline, _vanish_styles(z.xml("word/styles.xml")))
    by_type: dict[str, list[str]] = {}
    for kind, target in rels.values():
        by_type.setdefault(kind, []).append(target)
    for target in by_type.get("comments", []):
        root = z.xml(target)
        for c in root.iter(w("comment")) if root is not None else ():
            doc.comments[c.get(w("id"), "")] = c.findall(w("p"))

    parts: list[str] = []

    def read_part(name: str, root: Any, kind: str) -> list[list[Piece]]:
        # Parts are listed by kind: a header's or footnote's part name comes from the file itself.
        doc.part, doc.index = len(parts), 0
        parts.append(kind)
        doc.paragraphs = []
        if kind in ("footnote", "endnote"):
            for note in root.iter(w(kind)):
                if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                doc.count(f"{kind}s")
                doc.blocks(note)
        else:
            doc.blocks(root)
        return doc.paragraphs

    main_paras = read_part(main, body, "body")
    ordered = _header_footer_order(body, rels)
    headers: list[list[Piece]] = []
    footers: list[list[Piece]] = []
    seen_text: set[tuple[str, str]] = set()
    for kind, target in ordered:
        root = z.xml(target)
        if root is None:
            continue
        paras = read_part(target, root, kind)
        key = "\n".join("".join(p.text for p in para) for para in paras)
        doc.count(f"{kind}s")
        if (kind, key) in seen_text:
            continue  # first-page, even and default headers often repeat the same lines
        seen_text.add((kind, key))
        (headers if kind == "header" else footers).extend(paras)
    notes_paras: list[list[Piece]] = []
    for kind in ("footnote", "endnote"):
        for target in by_type.get(f"{kind}s", []):
            root = z.xml(target)
            if root is not None:
                notes_paras.extend(read_part(target, root, kind))
    orphans = [cid for cid in doc.comments if cid not in doc.used_comments]
    orphan_paras: list[list[Piece]] = []
    if orphans:
        doc.part, doc.index = len(parts), 0
        parts.append("comments (unanchored)")
        for cid in orphans:
            pieces: list[Piece] = []
            doc.comment(cid, pieces, doc.part * PART + doc.index)
            doc.index += 1
            if pieces:
                orphan_paras.append([Piece(pieces[0].text.strip(), pieces[0].src, COMMENT)])

    extra: list[list[Piece]] = []
    meta_notes, meta_texts = _metadata(z)
    if opts["include_annotations"]:
        src = len(parts) * PART
        items = [*meta_texts, *(("image description", a) for a in doc.alt_texts)]
        extra = [[Piece(" ".join(t.split()), src + k, why)] for k, (why, t) in enumerate(items)]

    b = TextBuilder()
    hidden: list[tuple[int, int, str]] = []
    for para in [*headers, *main_paras, *notes_paras, *orphan_paras, *footers, *extra]:
        if b.length:
            b.add("\n\n", para[0].src)
        for piece in _tidy(para):
            start = b.length
            b.add(piece.text, piece.src)
            if piece.why and piece.text.strip():
                last = hidden[-1] if hidden else None
                if last and last[2] == piece.why and last[1] >= start - 1:
                    hidden[-1] = (last[0], b.length, piece.why)
                else:
                    hidden.append((start, b.length, piece.why))
    text = b.text()
    if not text.strip():
        raise InputError("the Word document has no text")
    return SourceText(
        text,
        "docx",
        b.anchors or [(0, 0)],
        metadata={"parts": str(len(parts))},
        hidden=hidden,
        notes=_notes(parts, hidden, doc, names, meta_notes, bool(extra)),
    )


def _tidy(para: list[Piece]) -> list[Piece]:
    """The paragraph's pieces with spaces trimmed at its ends and around line breaks."""
    out = [Piece(p.text.replace("\r", ""), p.src, p.why) for p in para if p.text]
    while out and not out[0].text.strip(" \t"):
        out.pop(0)
    while out and not out[-1].text.strip(" \t"):
        out.pop()
    if out:
        out[0].text = out[0].text.lstrip(" \t")
        out[-1].text = out[-1].text.rstrip(" \t")
    return out


def _header_footer_order(body: Any, rels: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(kind, part) of headers and footers, in the order the sections refer to them, then the rest."""
    out: list[tuple[str, str]] = []
    for ref in body.iter(w("headerReference"), w("footerReference")):
        kind, target = rels.get(ref.get(f"{{{R}}}id", ""), ("", ""))
        if kind in ("header", "footer") and (kind, target) not in out:
            out.append((kind, target))
    for kind, target in sorted(rels.values()):
        if kind in ("header", "footer") and (kind, target) not in out:
            out.append((kind, target))
    return out


_APP_TEXT = {"Company", "Manager", "HyperlinkBase"}


def _metadata(z: _Zip) -> tuple[list[str], list[tuple[str, str]]]:
    """Notes on the document properties (names only) and their texts for include_annotations."""
    notes: list[str] = []
    texts: list[tuple[str, str]] = []
    for part, label in (("docProps/core.xml", "core"), ("docProps/app.xml", "app"), ("docProps/custom.xml", "custom")):
        root = z.xml(part)
        if root is None:
            continue
        fields = []
        for el in root.iter():
            if not isinstance(el.tag, str) or len(el) or not (el.text or "").strip():
                continue
            name = etree.QName(el).localname
            if label == "app" and name not in _APP_TEXT:
                continue  # application statistics, not text a person wrote
            fields.append(name if label != "custom" else "property")
            if name not in ("created", "modified", "revision"):
                texts.append(("document metadata", el.text))
        if fields:
            notes.append(f"{label} ({', '.join(sorted(set(fields)))})")
    return notes, texts


def _notes(
    parts: list[str], hidden: list[tuple[int, int, str]], doc: _Doc, names: set[str], meta: list[str], appended: bool
) -> list[str]:
    listing = ", ".join(f"{i} {p}" for i, p in enumerate(parts))
    notes = [f"DOCX; source offsets are part * 1000000 + paragraph index (parts: {listing})"]
    if hidden:
        kinds = sorted({why for _, _, why in hidden})
        notes.append(f"hidden text present: {len(hidden)} span(s) ({', '.join(kinds)}); kept in the text in place")
    for what, n in sorted(doc.counts.items()):
        notes.append(f"{what}: {n}")
    media = [n for n in names if n.startswith("word/media/")]
    if media:
        notes.append(f"images: {len(media)}; their content is not read")
    if doc.alt_texts:
        notes.append(f"image descriptions (alt text): {len(doc.alt_texts)}; not in the text")
    embedded = [n for n in names if n.startswith("word/embeddings/")]
    if embedded:
        notes.append(f"embedded objects: {len(embedded)}; not read")
    if any(n.endswith("vbaProject.bin") for n in names):
        notes.append("macros present; not run")
    if any(n.startswith("word/glossary/") for n in names):
        notes.append("glossary (building blocks) present; not read")
    custom = [n for n in names if n.startswith("customXml/item") and not n.endswith(".rels") and "Props" not in n]
    if custom:
        notes.append(f"custom XML parts: {len(custom)}; not read")
    if meta:
        notes.append(f"document metadata: {'; '.join(meta)}; not in the text")
    if appended:
        notes.append("metadata and image description text appended at the end, unmarked")
    return notes
