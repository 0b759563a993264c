"""Case packages: Bates numbers on every page, one complete index, duplicates treated alike, a safe PDF."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from pdf_checks import assert_metadata, assert_pdf_clean, assert_same_pdf
from pypdf import PdfReader

from redactor import __version__
from redactor.batch import run_batch, worker
from redactor.errors import RedactorError
from redactor.package import build_package
from tests.conftest import CORPUS, needs_corpus
from tests.test_batch import CABLE, NO_ENTITIES

PREFIX = "F-2026-0001-"


@pytest.fixture
def policy_dir(tmp_path: Path) -> str:
    d = tmp_path / "policies"
    d.mkdir()
    (d / "no-entities.yaml").write_text(NO_ENTITIES, encoding="utf-8")
    yield str(d)
    worker._ENGINES.clear()


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def withheld_texts(folder: Path, policy_dir: str) -> list[str]:
    """Pieces of the withheld portions of the inputs (canaries that must not be in the package)."""
    from redactor.engine import Redactor

    r = Redactor(policy_dir=policy_dir)
    out = []
    for p in sorted(folder.glob("*.txt")):
        data = p.read_bytes()
        doc = r.read(data)
        rel = r.redact(data, policy="no-entities")
        withheld = {d.id for d in rel.portions if d.decision == "withhold"}
        for portion in doc.portions:
            body = re.sub(r"\s+", " ", doc.text[portion.body_start : portion.end]).strip()
            if portion.id in withheld and len(body) > 60:
                out.append(body[10:50])
    return out


@needs_corpus
def test_the_case_package_of_the_corpus(tmp_path, policy_dir):
    src = tmp_path / "in"
    src.mkdir()
    cables = sorted(CORPUS.glob("*.txt"))[:7]
    for p in cables:
        (src / p.name).write_bytes(p.read_bytes())
    # a re-transmission of a classified cable: other routing, re-wrapped lines
    secret = next(p for p in cables if "SECRET" in p.read_text(encoding="utf-8")[:3000])
    text = secret.read_text(encoding="utf-8")
    (src / f"zz-retransmission-{secret.name}").write_text(
        "RETRANSMITTED\n" + re.sub(r"(?<=\S) (?=\S)", "  ", text), encoding="utf-8"
    )
    (src / "MANIFEST.md").write_text("# Cables\n\n| file | ref |\n|---|---|\n", encoding="utf-8")
    out = tmp_path / "out"
    s = run_batch(
        str(src),
        str(out),
        fmt="pdf",
        policy="no-entities",
        policy_dir=str(policy_dir),
        date="2026-05-01",
        progress=False,
    )
    assert s["ok"] == 8 and s["skipped"] == 1
    worker._ENGINES.clear()
    case = tmp_path / "case.pdf"
    report = build_package(
        str(out), str(case), bates_prefix=PREFIX, bates_start=123, case_number="F-2026-0001", requester="A. Requester"
    )
    pdf = case.read_bytes()
    texts = page_texts(pdf)
    twin_report = json.loads(case.with_suffix(".json").read_text())
    assert {k: v for k, v in twin_report.items() if k not in ("documents", "index")} == {
        **report,
        "consistency": {**report["consistency"], "second_look": twin_report["consistency"]["second_look"]},
    }
    report = twin_report
    # Bates numbers: one on every page, continuous from the start
    numbers = [re.findall(re.escape(PREFIX) + r"(\d{6})", t)[-1] for t in texts]
    assert [int(n) for n in numbers] == list(range(123, 123 + len(texts)))
    assert report["bates"]["first"] == PREFIX + "000123"
    assert report["bates"]["last"] == PREFIX + f"{122 + len(texts):06d}"
    # each document's pages sit at its Bates range, in input order
    docs = report["documents"]
    assert [d["input"] for d in docs] == sorted(d["input"] for d in docs)
    for a, b in zip(docs, docs[1:], strict=False):
        assert int(b["bates_first"][-6:]) == int(a["bates_last"][-6:]) + 1
    assert int(docs[0]["bates_first"][-6:]) == 123 + report["bates"]["cover_pages"]
    # the index is complete: every withholding of every document's own index, at a page of that document
    twins = [json.loads((out / d["output"]).with_suffix(".json").read_text()) for d in docs]
    assert len(report["index"]) == sum(len(t["index"]) for t in twins)
    withheld = sum(sum(p["decision"] == "withhold" for p in t["portions"]) for t in twins)
    assert sum(i["withheld"] != "Name of a person" for i in report["index"]) >= withheld
    for n, (d, t) in enumerate(zip(docs, twins, strict=True), 1):
        rows = [i for i in report["index"] if i["document_no"] == n]
        assert len(rows) == len(t["index"])
        for row in rows:
            assert row["bates"] and d["bates_first"] <= row["bates"] <= d["bates_last"]
    # duplicates treated alike: the re-transmission has the decisions of the original
    orig = next(t for d, t in zip(docs, twins, strict=True) if d["input"] == secret.name)
    copy = next(t for d, t in zip(docs, twins, strict=True) if d["input"].startswith("zz-"))
    decisions = lambda t: [(p["number"], p["decision"], p["codes"]) for p in t["portions"] if p["number"]]  # noqa: E731
    assert decisions(orig) == decisions(copy)
    assert report["consistency"]["shared_paragraphs"] >= 1
    # the cover sheet
    cover = texts[0]
    for needle in ("F-2026-0001", "A. Requester", "2026-05-01", "Documents released", "Exemption codes used"):
        assert needle in cover
    # a safe, fixed, deterministic PDF with no withheld text
    canaries = withheld_texts(src, policy_dir)[:40]
    assert len(canaries) >= 10
    assert_pdf_clean(pdf, canaries)
    assert_metadata(
        pdf,
        {
            "/Title": "Case release F-2026-0001",
            "/Author": "Declassified release",
            "/Subject": "Case package",
            "/Creator": f"redactor {__version__}",
            "/Producer": f"redactor {__version__}",
            "/CreationDate": "D:20260501000000+00'00'",
            "/ModDate": "D:20260501000000+00'00'",
            "/Keywords": "",
        },
    )
    again = tmp_path / "again.pdf"
    build_package(
        str(out), str(again), bates_prefix=PREFIX, bates_start=123, case_number="F-2026-0001", requester="A. Requester"
    )
    assert_same_pdf(pdf, again.read_bytes())
    assert json.loads(again.with_suffix(".json").read_text())["index"] == report["index"]


def test_a_reviewer_difference_is_listed_for_a_second_look(tmp_path, policy_dir):
    src = tmp_path / "in"
    src.mkdir()
    original = CABLE.format(n=7)
    (src / "a.txt").write_text(original, encoding="utf-8")
    (src / "b.txt").write_text(
        original.replace("(S) This paragraph is withheld", "(U) This paragraph is withheld"), encoding="utf-8"
    )
    out = tmp_path / "out"
    run_batch(
        str(src), str(out), fmt="pdf", policy="no-entities", policy_dir=policy_dir, progress=False, harmonise=False
    )
    report = build_package(str(out), str(tmp_path / "case.pdf"))
    assert report["summary"]["second_look"] == 1
    look = json.loads((tmp_path / "case.json").read_text())["consistency"]["second_look"]
    assert len(look) == 1 and {p["decision"] for p in look[0]["places"]} == {"release", "withhold"}
    assert "For a second look" in "\n".join(page_texts((tmp_path / "case.pdf").read_bytes()))
    run_batch(str(src), str(tmp_path / "out2"), fmt="pdf", policy="no-entities", policy_dir=policy_dir, progress=False)
    report = build_package(str(tmp_path / "out2"), str(tmp_path / "case2.pdf"))
    look = json.loads((tmp_path / "case2.json").read_text())["consistency"]["second_look"]
    assert report["consistency"]["harmonised"] == 1
    assert len(look) == 1 and {p["decision"] for p in look[0]["places"]} == {"withhold"} and look[0]["harmonised"]


def test_a_package_needs_pdf_releases(tmp_path, policy_dir):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(CABLE.format(n=1), encoding="utf-8")
    run_batch(str(src), str(tmp_path / "out"), fmt="json", policy="no-entities", policy_dir=policy_dir, progress=False)
    with pytest.raises(RedactorError, match="--format pdf"):
        build_package(str(tmp_path / "out"), str(tmp_path / "case.pdf"))
    with pytest.raises(RedactorError, match="no batch here"):
        build_package(str(tmp_path), str(tmp_path / "case.pdf"))


def test_the_package_command(tmp_path, policy_dir, capsys):
    from redactor import cli

    src = tmp_path / "in"
    src.mkdir()
    for i in range(2):
        (src / f"{i}.txt").write_text(CABLE.format(n=i), encoding="utf-8")
    out = tmp_path / "out"
    assert (
        cli.main(
            [
                "--policy-dir",
                policy_dir,
                "batch",
                str(src),
                str(out),
                "--policy",
                "no-entities",
                "--date",
                "2026-06-01",
                "--quiet",
            ]
        )
        == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] == 2 and summary["dispositions"] == {"RELEASE IN PART": 2}
    assert (
        cli.main(["package", str(out), "-o", str(tmp_path / "case.pdf"), "--bates-prefix", "X-", "--bates-start", "7"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["bates_first"] == "X-000007" and report["documents"] == 2
    assert (tmp_path / "case.json").is_file()
    assert "Date: 2026-06-01" in page_texts((tmp_path / "case.pdf").read_bytes())[1]


def test_a_package_from_and_to_an_s3_compatible_store(tmp_path, policy_dir, monkeypatch):
    import s3fs
    from moto.server import ThreadedMotoServer

    for k, v in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        so = {"endpoint_url": f"http://127.0.0.1:{server._server.port}", "key": "testing", "secret": "testing"}
        fs = s3fs.S3FileSystem(**so)
        fs.mkdir("case")
        for i in range(3):
            fs.pipe_file(f"case/in/cable-{i}.txt", CABLE.format(n=i).encode())
        run_batch(
            "s3://case/in",
            "s3://case/release",
            fmt="pdf",
            policy="no-entities",
            policy_dir=policy_dir,
            storage_options=so,
            progress=False,
            date="2026-04-01",
        )
        report = build_package(
            "s3://case/release", "s3://case/package/case.pdf", bates_prefix="S3-", storage_options=so
        )
        fs.invalidate_cache()
        pdf = fs.cat_file("case/package/case.pdf")
        twin = json.loads(fs.cat_file("case/package/case.json"))
        assert report["summary"]["output"] == "s3://case/package/case.pdf"
        assert twin["summary"] == report["summary"] and len(twin["documents"]) == 3
        texts = page_texts(pdf)
        assert [t.rsplit("S3-", 1)[1][:6] for t in texts] == [f"{n:06d}" for n in range(1, len(texts) + 1)]
        assert_pdf_clean(pdf, ["it is marked SECRET in the original cable"])
        # the same package made from a local copy of the batch has the same bytes
        local = tmp_path / "release"
        fs.get("case/release", str(local), recursive=True)
        build_package(str(local), str(tmp_path / "case.pdf"), bates_prefix="S3-")
        assert_same_pdf(pdf, (tmp_path / "case.pdf").read_bytes())
    finally:
        server.stop()


def test_the_streamed_writer_keeps_pages_in_order_over_several_page_tree_nodes(tmp_path):
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    from redactor.package import _Info, _Stamps
    from redactor.pdf_stream import PAGES_PER_NODE, StreamedPdf
    from redactor.render.pdf import FONT, _register_fonts

    _register_fonts()

    def document(first: int, pages: int) -> bytes:
        out = io.BytesIO()
        c = Canvas(out, invariant=1, initialFontName=FONT)
        for n in range(first, first + pages):
            c.setFont(FONT, 12)
            c.drawString(72, 700, f"page {n}")
            c.showPage()
        c.save()
        return out.getvalue()

    total = PAGES_PER_NODE + 90
    path = tmp_path / "out.pdf"
    with path.open("wb") as f:
        out = StreamedPdf(f)
        stamps = _Stamps(_Info(case="", requester="", date="", agency="", prefix="T-"), out)
        for first in range(0, total, 30):
            out.new_source()
            for page in PdfReader(io.BytesIO(document(first, min(30, total - first)))).pages:
                stamp, font = stamps.get(out.pages + 1, float(page.mediabox.width))
                out.add_page(page, stamp, font)
        out.close({"/Title": "t"})
    pdf = path.read_bytes()
    texts = page_texts(pdf)
    assert len(texts) == total
    for n, text in enumerate(texts):
        assert f"page {n}" in text and f"T-{n + 1:06d}" in text
    assert len(pypdfium2.PdfDocument(pdf)) == total
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.trailer["/Root"]["/Pages"]["/Kids"]) == 2  # two nodes of the page tree
    assert_pdf_clean(pdf, [])
    # one font file for the 12 documents' identical fonts, one for the stamps
    assert pdf.count(b"/FontFile2") == 2
