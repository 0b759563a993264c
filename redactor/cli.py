"""The `redactor` command: redact, inspect, policies, serve, batch, package."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from redactor import __version__
from redactor.errors import RedactorError

EXIT_USAGE = 2


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if not p.is_file():
        raise RedactorError(f"no such file: {path}")
    return p.read_bytes()


def _write(data: bytes, out: str | None) -> None:
    if out and out != "-":
        Path(out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def cmd_redact(args: argparse.Namespace) -> int:
    from redactor.engine import Redactor
    from redactor.render import render

    if args.format == "pdf" and not args.output and sys.stdout.isatty():
        raise RedactorError("refusing to write a PDF to a terminal: use -o FILE or redirect the output")
    redactor = Redactor(policy_dir=args.policy_dir)
    release = redactor.redact(_read_input(args.input), policy=args.policy, level=args.level,
                              overrides=_read_overrides(args.overrides), date=args.date)
    _write(render(release, args.format), args.output)
    return 0


def _read_overrides(path: str | None) -> dict | None:
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RedactorError(f"cannot read the overrides file {path}: {exc}") from None


def cmd_inspect(args: argparse.Namespace) -> int:
    from redactor.engine import Redactor

    doc = Redactor().read(_read_input(args.input))
    out = inspect_json(doc)
    _write((json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), None)
    return 0


def inspect_json(doc) -> dict:
    """The segmentation with the field names of the JSON release (design.md)."""
    banner = doc.banner
    fields = [{"name": f.name, "start": f.start, "end": f.end, "value": f.value,
               "text": doc.text[f.start:f.end]} for f in doc.fields]
    portions = []
    for p in doc.portions:
        m = p.marking
        portions.append({
            "id": p.id, "number": p.number, "label": p.label, "kind": p.kind, "mark": p.mark,
            "level": m.level if m else None, "controls": m.controls_out() if m else [],
            "source": p.source, "basis": p.basis, "parent": p.parent, "flags": p.flags,
            "start": p.start, "end": p.end, "text": doc.text[p.start:p.end]})
    return {
        "document": {
            "reference": doc.reference, "section": doc.section,
            "banner": {"level": banner.level, "controls": banner.controls_out()} if banner else None,
            "effective_banner": doc.effective_banner.banner if doc.effective_banner else None,
            "captions": doc.captions, "dtg": doc.dtg, "date": doc.date,
            "decl": asdict(doc.decl), "declassify_on": doc.decl.date or doc.decl.code,
            "tags": doc.tags, "refs": doc.refs, "classified_by": doc.classified_by, "reasons": doc.reasons,
            "entire_text": doc.entire_text.banner if doc.entire_text else None,
            "metadata": doc.metadata, "format": doc.format, "notes": doc.notes,
            "hidden": [{"start": a, "end": b, "why": w} for a, b, w in doc.hidden],
        },
        "fields": fields,
        "portions": portions,
    }


def cmd_policies(args: argparse.Namespace) -> int:
    from redactor import policy

    for name, path in sorted(policy.available(args.policy_dir).items()):
        try:
            p = policy.load_file(path)
            print(f"{name:28} {p.level:18} audience={p.audience:7} {p.description}")
        except RedactorError as exc:
            print(f"{name:28} INVALID: {exc}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from redactor.serve import run

    run(args.host, args.port, args.workers, policy_dir=args.policy_dir)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from redactor.batch import run_batch

    summary = run_batch(args.in_dir, args.out_dir, policy=args.policy, level=args.level, fmt=args.format,
                        engine=args.engine, scheduler=args.scheduler, workers=args.workers,
                        policy_dir=args.policy_dir, overrides=_read_overrides(args.overrides), date=args.date,
                        ocr=args.ocr, resume=args.resume, recursive=args.recursive,
                        time_limit=args.time_limit or None, harmonise=not args.no_harmonise,
                        progress=False if args.quiet else None)
    print(json.dumps(summary))
    return 0 if summary.get("failed", 0) == 0 else 1


def cmd_package(args: argparse.Namespace) -> int:
    from redactor.package import build_package

    report = build_package(args.batch_dir, args.output, bates_prefix=args.bates_prefix,
                           bates_start=args.bates_start, case_number=args.case_number, requester=args.requester,
                           date=args.date, json_output=args.json_output)
    print(json.dumps(report["summary"]))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redactor", description="Classification-aware redaction of marked documents (cables, memos).")
    parser.add_argument("--version", action="version", version=f"redactor {__version__}")
    parser.add_argument("--policy-dir", help="extra directory of policy YAML files (searched first)")
    sub = parser.add_subparsers(dest="command", required=True)

    r = sub.add_parser("redact", help="redact one document", description="Redact one document and print "
                       "or write the release.")
    r.add_argument("input", help="the document (text, WikiLeaks HTML, PDF, DOCX); - reads stdin")
    r.add_argument("--policy", default=None, help="policy name or path to a YAML file (default: public-release)")
    r.add_argument("--level", default=None, help="release level, overrides the policy's ceiling only")
    r.add_argument("--format", default="text", choices=["text", "json", "pdf"], help="output format")
    r.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    r.add_argument("--overrides", default=None, help="reviewer overrides (JSON file)")
    r.add_argument("--date", default=None, help="release date (YYYY-MM-DD) printed on the release and used "
                   "to judge declassify-on dates")
    r.set_defaults(func=cmd_redact)

    i = sub.add_parser("inspect", help="print the segmentation of a document as JSON")
    i.add_argument("input", help="the document; - reads stdin")
    i.set_defaults(func=cmd_inspect)

    p = sub.add_parser("policies", help="list the policies")
    p.set_defaults(func=cmd_policies)

    s = sub.add_parser("serve", help="run the HTTP service (gunicorn)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--workers", type=int, default=2)
    s.set_defaults(func=cmd_serve)

    b = sub.add_parser("batch", help="redact every document of a directory or URL",
                       description="Redact every document of IN_DIR (a directory or an fsspec URL such as "
                       "s3://bucket/case/) into OUT_DIR, with manifest.jsonl appended as each finishes.")
    b.add_argument("in_dir")
    b.add_argument("out_dir")
    b.add_argument("--policy", default=None)
    b.add_argument("--level", default=None)
    b.add_argument("--format", default="pdf", choices=["pdf", "json", "text"],
                   help="pdf also writes each release's JSON twin, which `redactor package` reads")
    b.add_argument("--engine", default="local", choices=["local", "dask"],
                   help="local: a process pool on this machine; dask: a LocalCluster, or --scheduler")
    b.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    b.add_argument("--workers", type=int, default=1, help="processes (local) or LocalCluster workers (dask)")
    b.add_argument("--overrides", default=None, help="reviewer overrides of terms (mask, release_term) applied "
                   "to every document (JSON file without a fingerprint)")
    b.add_argument("--date", default=None, help="release date (YYYY-MM-DD) printed on every release")
    b.add_argument("--ocr", action="store_true", help="OCR PDF pages without a text layer")
    b.add_argument("--resume", action="store_true", help="skip the documents a previous run of this batch "
                   "finished (same content and parameters)")
    b.add_argument("--recursive", action="store_true", help="include the documents of subfolders")
    b.add_argument("--time-limit", type=float, default=300.0, help="seconds one document may take (0: none)")
    b.add_argument("--no-harmonise", action="store_true", help="do not withhold a paragraph everywhere it "
                   "occurs when one document withholds it (the package still lists the differences)")
    b.add_argument("--quiet", action="store_true", help="no progress on stderr")
    b.set_defaults(func=cmd_batch)

    k = sub.add_parser("package", help="one case release (PDF and JSON) from a batch's outputs",
                       description="Assemble a batch's PDF releases into one case package: a cover sheet, "
                       "every document with a Bates number on every page, one Vaughn index.")
    k.add_argument("batch_dir", help="the OUT_DIR of a `redactor batch --format pdf` run")
    k.add_argument("-o", "--output", required=True, help="the case PDF to write (its JSON twin goes beside it)")
    k.add_argument("--json-output", default=None, help="where the JSON twin goes (default: OUTPUT with .json)")
    k.add_argument("--bates-prefix", default="", help="printed before each Bates number, e.g. F-2026-0001-")
    k.add_argument("--bates-start", type=int, default=1, help="the first Bates number")
    k.add_argument("--case-number", default=None, help="the case number (default: the policy's)")
    k.add_argument("--requester", default="", help="who asked for the records")
    k.add_argument("--date", default=None, help="the package date (default: the batch's release date)")
    k.set_defaults(func=cmd_package)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RedactorError as exc:
        print(f"redactor: {exc}", file=sys.stderr)
        return exc.exit_code if exc.exit_code else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
