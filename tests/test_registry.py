"""The renderer and reader registries: every list of formats comes from them, unknown types fail closed."""

from __future__ import annotations

import pytest

from redactor import FORMATS, cli, render
from redactor.batch import run_batch, worker
from redactor.errors import InputError, UnsupportedType
from redactor.ingest import READERS, read, sniff
from redactor.render import MEDIA_TYPES, RENDERERS, Renderer, formats, load_plugins, register, unregister
from redactor.web.openapi import spec
from redactor.web.params import BY_NAME
from redactor.web.problems import Problem
from tests.test_batch import NO_ENTITIES, make_inputs
from tests.test_web import make_app


@pytest.fixture
def dummy():
    """A format registered for one test: `shout`, the release text in capitals."""
    register(Renderer("shout", "text/x-shout", ".shout", lambda release: release.text.upper().encode(), "capitals"))
    yield "shout"
    unregister("shout")


def test_the_builtin_formats_with_their_media_types_and_extensions():
    assert formats() == FORMATS == ("text", "json", "pdf")
    got = {name: (r.media_type, r.extension) for name, r in RENDERERS.items()}
    assert got == {
        "text": ("text/plain; charset=utf-8", ".txt"),
        "json": ("application/json", ".json"),
        "pdf": ("application/pdf", ".pdf"),
        "pages": ("application/pdf", ".pdf"),
    }
    assert RENDERERS["pages"].layout and "pages" not in MEDIA_TYPES


def test_the_batch_writes_a_registered_format_with_its_extension(dummy, tmp_path):
    (tmp_path / "pol").mkdir()
    (tmp_path / "pol" / "no-entities.yaml").write_text(NO_ENTITIES, encoding="utf-8")
    src = make_inputs(tmp_path / "in", 2)
    out = tmp_path / "out"
    try:
        s = run_batch(
            str(src), str(out), fmt=dummy, policy="no-entities", policy_dir=str(tmp_path / "pol"), progress=False
        )
    finally:
        worker._ENGINES.clear()
    assert (s["ok"], s["failed"]) == (2, 0)
    written = sorted(p for p in out.iterdir() if p.name[0].isdigit())
    assert [p.suffix for p in written] == [".shout", ".shout"]
    assert all(p.read_text(encoding="utf-8").isupper() for p in written)
    with pytest.raises(Exception, match="choose one of: text, json, pdf, shout"):
        run_batch(str(src), str(out), fmt="docx", progress=False)


def test_installed_packages_add_formats_through_entry_points(monkeypatch):
    """A format an installed package declares (group redactor.renderers) is registered in every process that
    imports redactor.render, so spawned batch workers have it too; a broken plugin is skipped."""
    import importlib.metadata

    class EP:
        def __init__(self, name, target):
            self.name, self._target = name, target

        def load(self):
            if isinstance(self._target, Exception):
                raise self._target
            return self._target

    plugin = Renderer("csvish", "text/csv", ".csv", lambda release: b"id\n", "one row per decision")
    found = [EP("csvish", plugin), EP("broken", ImportError("no such module"))]
    monkeypatch.setattr(
        importlib.metadata, "entry_points", lambda group: found if group == "redactor.renderers" else []
    )
    try:
        assert load_plugins() == ["csvish"]
        assert "csvish" in formats() and MEDIA_TYPES["csvish"] == "text/csv"
    finally:
        unregister("csvish")


def test_the_openapi_format_enum_is_the_registry():
    fields = spec()["paths"]["/v1/redact"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert fields["properties"]["format"]["enum"] == list(formats())


def test_an_unknown_format_is_refused_naming_the_known_ones(fake_redactor, seed_bytes):
    release = fake_redactor().redact(seed_bytes, policy="public-release")
    with pytest.raises(ValueError, match="choose one of: text, json, pdf"):
        render(release, "docx")
    with pytest.raises(ValueError, match="unknown format 'pages'"):
        render(release, "pages")  # a layout, not a format


def test_a_registered_format_is_offered_by_the_api_the_cli_and_http(dummy, fake_redactor, seed_bytes, capsys):
    release = fake_redactor().redact(seed_bytes, policy="public-release")
    assert render(release, dummy) == release.text.upper().encode()
    assert dummy in formats()

    assert BY_NAME["format"].check("format", "SHOUT") == dummy
    with pytest.raises(Problem):
        BY_NAME["format"].check("format", "docx")

    parser = cli.build_parser()
    for command in ("redact", "batch"):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        assert "shout (capitals)" in capsys.readouterr().out
    assert parser.parse_args(["redact", "x.txt", "--format", dummy]).format == dummy


def test_http_answers_a_registered_format_with_its_media_type(dummy, fake_redactor):
    client = make_app(fake_redactor()).test_client()
    resp = client.post("/v1/redact", data={"text": "UNCLASSIFIED\n1. (U) Hello.\n", "format": dummy})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.content_type == "text/x-shout"
    assert resp.get_data(as_text=True).isupper()


def test_the_reader_registry_is_keyed_by_sniffed_type():
    assert set(READERS) == {"text", "html", "pdf", "docx"}
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"PK\x03\x04rest") == "docx"
    assert sniff(b"<html><body><pre>x</pre></body></html>") == "html"
    assert sniff(b"UNCLASSIFIED\n1. (U) Hello.") == "text"
    assert read(b"UNCLASSIFIED\n1. (U) Hello.\n").format == "text"
    assert read(b"<html><body><pre>UNCLASSIFIED\n1. (U) Hello.</pre></body></html>").format == "html"


def test_unknown_types_fail_closed_as_before(monkeypatch):
    with pytest.raises(InputError, match="binary") as exc:
        read(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)  # an image: no reader, read as text, refused
    assert exc.value.status == 422
    with pytest.raises(InputError, match="empty"):
        read(b"   \n")
    monkeypatch.delitem(READERS, "docx")
    with pytest.raises(UnsupportedType, match="unsupported document type docx") as unsupported:
        read(b"PK\x03\x04" + b"\x00" * 64)
    assert unsupported.value.status == 415


def test_http_accept_negotiates_among_the_registered_formats(dummy, fake_redactor):
    client = make_app(fake_redactor()).test_client()
    text = {"text": "UNCLASSIFIED\n1. (U) Hello.\n"}
    resp = client.post("/v1/redact", data=text, headers={"Accept": "text/x-shout"})
    assert resp.status_code == 200 and resp.content_type == "text/x-shout"
    assert client.post("/v1/redact", data=text, headers={"Accept": "*/*"}).content_type == "application/json"
    assert client.post("/v1/redact", data=text, headers={"Accept": "text/plain"}).content_type.startswith("text/plain")
