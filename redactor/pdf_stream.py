"""A PDF written to a file page by page, so a case package of 100,000 pages never has to be in memory.

`StreamedPdf(file)` takes finished pages (pypdf page objects) one at a time and writes each page's objects
as it comes: only what a page needs is copied (its media box, rotation, resources and contents, never its
annotations, actions or anything else), every reference renumbered. What stays in memory is small and
fixed per object or per page: the file offset of each object (8 bytes each), one page-tree node of at most
`PAGES_PER_NODE` pages at a time, and a bounded table of the resource objects already written (fonts, most
often), so a font shared by many documents is written once.

The file is one revision, with a fixed /Info and an /ID that is a digest of everything before it: the
same pages give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from array import array
from collections import OrderedDict
from typing import BinaryIO

from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

PAGE_KEYS = ("/MediaBox", "/Rotate", "/Resources", "/Contents")
PAGES_PER_NODE = 256
SHARED_LIMIT = 4096  # resource objects remembered for reuse (the most recently used)


class StreamedPdf:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digest = hashlib.md5(usedforsecurity=False)
        self.position = 0
        self.offsets = array("Q", [0])  # by object number; 0 is the head of the free list
        self.root = self._reserve()  # the page tree's root, written at the end
        self.nodes: list[int] = []  # its kids: one node per PAGES_PER_NODE pages
        self.node = 0
        self.node_kids: list[int] = []
        self.pages = 0
        self.shared: OrderedDict[bytes, int] = OrderedDict()
        self.copied: dict[tuple[int, int], int] = {}  # this source document's objects already written
        self.save_state = 0  # the one-operator stream "q" every stamped page starts with
        self._emit(b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n")

    # -- low level
    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.position += len(data)

    def _reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _write(self, obj: PdfObject, number: int | None = None) -> int:
        number = number or self._reserve()
        self.offsets[number] = self.position
        self._emit(b"%d 0 obj\n" % number + _serialise(obj) + b"\nendobj\n")
        return number

    # -- copying a source document's objects
    def new_source(self) -> None:
        """Call before the pages of each source document: its object numbers mean nothing in the next one."""
        self.copied = {}

    def _copy(self, obj: object, shared: bool, top: bool = False) -> PdfObject:
        """A copy of a source object with its references renumbered (their objects written first). A reference
        without a document (`IndirectObject(n, 0, None)`) is already one of this file's objects."""
        if isinstance(obj, IndirectObject):
            if obj.pdf is None:
                return obj
            key = (obj.idnum, obj.generation)
            if key not in self.copied:
                self.copied[key] = self._copy_object(obj.get_object(), shared)
            return _ref(self.copied[key])
        if isinstance(obj, StreamObject):
            stream = EncodedStreamObject() if isinstance(obj, EncodedStreamObject) else DecodedStreamObject()
            stream._data = obj._data
            for k, v in obj.items():
                if k != "/Length":
                    stream[NameObject(k)] = self._copy(v, shared)
            return stream if top else _ref(self._write(stream))  # a stream is always an indirect object
        if isinstance(obj, DictionaryObject):
            out = DictionaryObject()
            for k, v in obj.items():
                if k != "/Parent":  # the only way back up; a page's parent is set by add_page
                    out[NameObject(k)] = self._copy(v, shared)
            return out
        if isinstance(obj, ArrayObject):
            return ArrayObject(self._copy(v, shared) for v in obj)
        assert isinstance(obj, PdfObject)
        return obj

    def _copy_object(self, obj: object, shared: bool) -> int:
        """Write an indirect object (its children first); a resource equal to one already written is reused."""
        copy = self._copy(obj, shared, top=True)
        if not shared:
            return self._write(copy)
        key = hashlib.sha256(_serialise(copy)).digest()
        if key in self.shared:
            self.shared.move_to_end(key)
            return self.shared[key]
        number = self._write(copy)
        self.shared[key] = number
        if len(self.shared) > SHARED_LIMIT:
            self.shared.popitem(last=False)
        return number

    def copy_resource(self, ref: IndirectObject) -> int:
        """Write one object of another document (a font for the stamps), outside any source's numbering."""
        kept = self.copied
        self.copied = {}
        try:
            return self._copy_object(ref.get_object(), shared=True)
        finally:
            self.copied = kept

    # -- pages
    def add_page(self, page: DictionaryObject, stamp: bytes = b"", font: tuple[str, int] | None = None) -> None:
        """Copy one page. `stamp`, if any, is content drawn over the page (its own graphics state saved and
        restored around the page's), with `font` (a resource name, an object of this file) added for it."""
        if not self.node_kids:
            self.node = self._reserve()
        out = DictionaryObject({NameObject("/Type"): NameObject("/Page")})
        out[NameObject("/Parent")] = _ref(self.node)
        for key in ("/MediaBox", "/Rotate"):
            if key in page:
                out[NameObject(key)] = self._copy(page.raw_get(key), shared=False)
        resources = page.get("/Resources")
        resources = DictionaryObject(resources.get_object().items()) if resources is not None else DictionaryObject()
        if font is not None:
            fonts = resources.get("/Font")
            fonts = DictionaryObject(fonts.get_object().items()) if fonts is not None else DictionaryObject()
            fonts[NameObject(font[0])] = _ref(font[1])
            resources[NameObject("/Font")] = fonts
        out[NameObject("/Resources")] = self._copy(resources, shared=True)
        contents = page.raw_get("/Contents") if "/Contents" in page else ArrayObject()
        resolved = contents.get_object()
        parts = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
        copied = [self._copy(c, shared=False) for c in parts]
        if stamp:
            if not self.save_state:
                self.save_state = self._write(_flate(b"q\n"))
            copied = [_ref(self.save_state), *copied, _ref(self._write(_flate(b"\nQ\n" + stamp)))]
        out[NameObject("/Contents")] = ArrayObject(copied) if len(copied) != 1 else copied[0]
        self.node_kids.append(self._write(out))
        self.pages += 1
        if len(self.node_kids) == PAGES_PER_NODE:
            self._close_node()

    def _close_node(self) -> None:
        if not self.node_kids:
            return
        node = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Parent"): _ref(self.root),
                NameObject("/Kids"): ArrayObject(_ref(n) for n in self.node_kids),
                NameObject("/Count"): NumberObject(len(self.node_kids)),
            }
        )
        self._write(node, self.node)
        self.nodes.append(self.node)
        self.node_kids = []

    def close(self, info: dict[str, str]) -> None:
        """The page tree, the catalog, /Info, the cross-reference table and the trailer."""
        self._close_node()
        self._write(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): ArrayObject(_ref(n) for n in self.nodes),
                    NameObject("/Count"): NumberObject(self.pages),
                }
            ),
            self.root,
        )
        catalog = self._write(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Catalog"),
                    NameObject("/Pages"): _ref(self.root),
                    NameObject("/Lang"): TextStringObject("en"),
                }
            )
        )
        meta = self._write(DictionaryObject({NameObject(k): TextStringObject(v) for k, v in info.items()}))
        start = self.position
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets)]
        xref += [b"%010d 00000 n \n" % offset for offset in self.offsets[1:]]
        self._emit(b"".join(xref))
        ident = ByteStringObject(self.digest.digest())
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(len(self.offsets)),
                NameObject("/Root"): _ref(catalog),
                NameObject("/Info"): _ref(meta),
                NameObject("/ID"): ArrayObject([ident, ident]),
            }
        )
        self._emit(b"trailer\n" + _serialise(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % start)


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)  # no document: one of this file's objects


def _flate(data: bytes) -> EncodedStreamObject:
    stream = EncodedStreamObject()
    stream._data = zlib.compress(data, 6)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    return stream


def _serialise(obj: PdfObject) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()
