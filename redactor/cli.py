"""The `redactor` command: redact, inspect, policies, serve, batch, package."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from redactor import __version__
from redactor.errors import RedactorError
from redactor.render import formats, renderer
from redactor.settings import Settings, env_name, from_env

EXIT_USAGE = 2


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    p = Path(path)
    if p.is_dir():
        raise RedactorError(
            f"{path} is a directory: to redact every document in it, use `redactor batch {path} OUT_DIR`"
        )
    if not p.is_file():
        raise RedactorError(f"no such file: {path}")
    return p.read_bytes()


def _check_output(out: str | None) -> None:
    """Fail before any work when the output cannot be written where it was asked for."""
    if not out or out == "-":
        return
    p = Path(out)
    if p.is_dir():
        raise RedactorError(f"the output {out} is a directory: give a file name, e.g. {p / 'release.pdf'}")
    if not p.parent.is_dir():
        raise RedactorError(f"the output's directory {p.parent} does not exist")


def _write(data: bytes, out: str | None) -> None:
    if out and out != "-":
        try:
            Path(out).write_bytes(data)
        except OSError as exc:
            raise RedactorError(f"cannot write {out}: {exc.strerror}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def cmd_redact(args: argparse.Namespace) -> int:
    from redactor.engine import Redactor, layout_for
    from redactor.render import render

    if args.format == "pdf" and not args.output and sys.stdout.isatty():
        raise RedactorError("refusing to write a PDF to a terminal: use -o FILE or redirect the output")
    _check_output(args.output)
    redactor = Redactor(policy_dir=args.policy_dir, ingest_options={**args.settings.ingest_options(), "ocr": args.ocr})
    data = _read_input(args.input)
    layout = layout_for(data, args.format, args.layout)
    release = redactor.redact(
        data,
        policy=args.policy,
        level=args.level,
        overrides=_read_overrides(args.overrides),
        date=args.date,
        layout=layout,
    )
    _write(render(release, args.format, layout), args.output)
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

    doc = Redactor(ingest_options=args.settings.ingest_options()).read(_read_input(args.input))
    if getattr(args, "explain", False):
        _write(explain(doc).encode("utf-8"), None)
        return 0
    out = inspect_json(doc)
    _write((json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), None)
    return 0


def explain(doc) -> str:
    """Per portion, the grammar rules (redactor.segment.RULES) that started and ended it, and its level."""
    lines = []
    for p in doc.portions:
        m = p.marking
        first = doc.text[p.start : p.end].strip().splitlines()[0][:60] if p.end > p.start else ""
        lines.append(
            f"{p.id:>5} {p.kind:<12} {p.number or '-':>3} {m.banner if m else 'default':<28} "
            f"started by {p.started_by or '?'}, ended by {p.ended_by or '?'}: {first!r}"
        )
        lines.extend(f"        flag: {f}" for f in p.flags)
    return "\n".join(lines) + "\n"


def inspect_json(doc) -> dict:
    """The segmentation with the field names of the JSON release (design.md)."""
    banner = doc.banner
    fields = [
        {"name": f.name, "start": f.start, "end": f.end, "value": f.value, "text": doc.text[f.start : f.end]}
        for f in doc.fields
    ]
    portions = []
    for p in doc.portions:
        m = p.marking
        portions.append(
            {
                "id": p.id,
                "number": p.number,
                "label": p.label,
                "kind": p.kind,
                "mark": p.mark,
                "level": m.level if m else None,
                "controls": m.controls_out() if m else [],
                "source": p.source,
                "basis": p.basis,
                "parent": p.parent,
                "flags": p.flags,
                "start": p.start,
                "end": p.end,
                "text": doc.text[p.start : p.end],
            }
        )
    return {
        "document": {
            "reference": doc.reference,
            "section": doc.section,
            "banner": {"level": banner.level, "controls": banner.controls_out()} if banner else None,
            "effective_banner": doc.effective_banner.banner if doc.effective_banner else None,
            "captions": doc.captions,
            "dtg": doc.dtg,
            "date": doc.date,
            "decl": asdict(doc.decl),
            "declassify_on": doc.decl.date or doc.decl.code,
            "tags": doc.tags,
            "refs": doc.refs,
            "classified_by": doc.classified_by,
            "reasons": doc.reasons,
            "entire_text": doc.entire_text.banner if doc.entire_text else None,
            "metadata": doc.metadata,
            "format": doc.format,
            "notes": doc.notes,
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
    try:
        from redactor.serve import run
    except ImportError:
        raise RedactorError("the HTTP service needs the server extra: pip install 'foia-redactor[server]'") from None

    try:
        run(args.host, args.port, args.workers, policy_dir=args.policy_dir)
    except ValueError as exc:  # an unusable setting: refuse to start, naming it
        print(f"redactor serve: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from redactor.batch import run_batch

    summary = run_batch(
        args.in_dir,
        args.out_dir,
        policy=args.policy,
        level=args.level,
        fmt=args.format,
        engine=args.engine,
        scheduler=args.scheduler,
        workers=args.workers,
        policy_dir=args.policy_dir,
        overrides=_read_overrides(args.overrides),
        date=args.date,
        ocr=args.ocr,
        resume=args.resume,
        recursive=args.recursive,
        time_limit=args.time_limit or None,
        harmonise=not args.no_harmonise,
        progress=False if args.quiet else None,
    )
    print(json.dumps(summary))
    return 0 if summary.get("failed", 0) == 0 else 1


def cmd_package(args: argparse.Namespace) -> int:
    from redactor.package import build_package

    report = build_package(
        args.batch_dir,
        args.output,
        bates_prefix=args.bates_prefix,
        bates_start=args.bates_start,
        case_number=args.case_number,
        requester=args.requester,
        date=args.date,
        json_output=args.json_output,
    )
    print(json.dumps(report["summary"]))
    return 0


def _formats_help() -> str:
    """The output formats of the renderer registry, each with what it is."""
    return "output format: " + ", ".join(f"{r.name} ({r.help or r.media_type})" for r in map(renderer, formats()))


POLICY_DIR_HELP = "extra directory of policy YAML files, searched before the shipped ones"


class _Help(argparse.HelpFormatter):
    """Help that ends each option with its default, unless there is none or the help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "(default" in text or action.default in (None, argparse.SUPPRESS, False) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


def _subparser(
    sub: argparse._SubParsersAction, name: str, help: str, common: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    return sub.add_parser(
        name, help=help, description=help[:1].upper() + help[1:] + ".", parents=[common], formatter_class=_Help
    )


def _settings_epilog() -> str:
    """The settings every command reads, from the one model (redactor/settings.py)."""
    names = ", ".join(env_name(f) for f in Settings.model_fields)
    return f"Settings come from the environment ({names}); the README's settings table says what each means."


def _env(field: str) -> str:
    return f" (env {env_name(field)})"


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The command line; its defaults come from `settings` (the environment's when not given)."""
    settings = settings or from_env()
    # --policy-dir is accepted before or after the command: each subcommand has it too, and its default
    # (SUPPRESS) leaves a value given before the command in place.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--policy-dir", default=argparse.SUPPRESS, help=POLICY_DIR_HELP)
    parser = argparse.ArgumentParser(
        prog="redactor",
        description="Classification-aware redaction of marked documents (cables, memos).",
        formatter_class=_Help,
        epilog=_settings_epilog(),
    )
    parser.set_defaults(settings=settings)
    parser.add_argument("--version", action="version", version=f"redactor {__version__}")
    parser.add_argument("--policy-dir", default=settings.policy_dir, help=POLICY_DIR_HELP + _env("policy_dir"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = _subparser(sub, "redact", "redact one document and print or write the release", common)
    r.add_argument("input", help="the document (text, WikiLeaks HTML, PDF, DOCX); - reads stdin")
    r.add_argument(
        "--policy", default=settings.default_policy, help="policy name or path to a YAML file" + _env("default_policy")
    )
    r.add_argument(
        "--level", default=None, help="release level; overrides the policy's ceiling only (default: the policy's level)"
    )
    r.add_argument("--format", default="text", choices=formats(), help=_formats_help())
    r.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    r.add_argument("--overrides", default=None, help="reviewer overrides (JSON file)")
    r.add_argument(
        "--date",
        default=None,
        help="release date (YYYY-MM-DD) printed on the release and used "
        "to judge declassify-on dates (default: not set)",
    )
    r.add_argument(
        "--layout",
        default=None,
        choices=["original", "typeset"],
        help="PDF release on the upload's own pages with the redactions burned in (original, the "
        "default for a PDF upload; needs one) or typeset fresh as text (typeset, the default otherwise)",
    )
    r.add_argument(
        "--ocr",
        action=argparse.BooleanOptionalAction,
        default=settings.ocr,
        help="read scanned PDF pages with OCR (Tesseract)" + _env("ocr"),
    )
    r.set_defaults(func=cmd_redact)

    i = _subparser(sub, "inspect", "print the segmentation of a document as JSON", common)
    i.add_argument("input", help="the document; - reads stdin")
    i.add_argument(
        "--explain",
        action="store_true",
        help="print per portion the grammar rules that started and ended it, instead of JSON",
    )
    i.set_defaults(func=cmd_inspect)

    p = _subparser(sub, "policies", "list the policies", common)
    p.set_defaults(func=cmd_policies)

    s = _subparser(sub, "serve", "run the HTTP service (gunicorn)", common)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on")
    s.add_argument("--port", type=int, default=8000, help="port to listen on")
    s.add_argument("--workers", type=int, default=settings.workers, help="worker processes" + _env("workers"))
    s.set_defaults(func=cmd_serve)

    b = _subparser(sub, "batch", "redact every document of a directory or URL", common)
    b.description = (
        "Redact every document of IN_DIR (a directory or an fsspec URL such as s3://bucket/case/) "
        "into OUT_DIR, with manifest.jsonl appended as each finishes."
    )
    b.add_argument("in_dir", help="directory or fsspec URL of documents")
    b.add_argument("out_dir", help="directory (or URL) for the releases and manifest.jsonl")
    b.add_argument(
        "--policy", default=settings.default_policy, help="policy name or path to a YAML file" + _env("default_policy")
    )
    b.add_argument("--level", default=None, help="release level (default: the policy's level)")
    b.add_argument(
        "--format",
        default="pdf",
        choices=formats(),
        help=_formats_help() + "; pdf also writes each release's JSON twin, which `redactor package` reads",
    )
    b.add_argument(
        "--engine",
        default="local",
        choices=["local", "dask"],
        help="local: a process pool on this machine; dask: a LocalCluster, or --scheduler",
    )
    b.add_argument("--scheduler", default=None, help="Dask scheduler address (with --engine dask)")
    b.add_argument(
        "--workers",
        type=int,
        default=settings.batch_workers,
        help="processes (local) or LocalCluster workers (dask)" + _env("batch_workers"),
    )
    b.add_argument(
        "--overrides",
        default=None,
        help="reviewer overrides of terms (mask, release_term) applied "
        "to every document (JSON file without a fingerprint)",
    )
    b.add_argument("--date", default=None, help="release date (YYYY-MM-DD) printed on every release")
    b.add_argument(
        "--ocr",
        action=argparse.BooleanOptionalAction,
        default=settings.ocr,
        help="OCR PDF pages without a text layer" + _env("ocr"),
    )
    b.add_argument(
        "--resume",
        action="store_true",
        help="skip the documents a previous run of this batch finished (same content and parameters)",
    )
    b.add_argument("--recursive", action="store_true", help="include the documents of subfolders")
    b.add_argument(
        "--time-limit",
        type=float,
        default=settings.batch_time_limit,
        help="seconds one document may take (0: none)" + _env("batch_time_limit"),
    )
    b.add_argument(
        "--no-harmonise",
        action="store_true",
        help="do not withhold a paragraph everywhere it "
        "occurs when one document withholds it (the package still lists the differences)",
    )
    b.add_argument("--quiet", action="store_true", help="no progress on stderr")
    b.set_defaults(func=cmd_batch)

    k = _subparser(sub, "package", "one case release (PDF and JSON) from a batch's outputs", common)
    k.description = (
        "Assemble a batch's PDF releases into one case package: a cover sheet, every document with "
        "a Bates number on every page, one Vaughn index."
    )
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
    try:
        settings = from_env()
    except ValueError as exc:  # a bad REDACTOR_* variable: one line naming it
        print(f"redactor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser(settings)
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
