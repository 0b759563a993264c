"""spaCy as Presidio's NLP engine, cut to what the recognizers here read: the entities and token offsets.

Only the named-entity recogniser runs (`Detector._spacy_engine`), so every token's lemma is empty. Presidio's
engine still reads each token's lemma and offset in Python, and its lemma-based context enhancer, having no
lemma to match a context word against, changes no score while it deep-copies every result: over the 61
corpus cables, as written and in capitals, it changed none of 6,056 results. The context words that matter
here (`born`, `passport`, `visa`) are part of this project's own patterns (`recognizers/context_pattern.py`).
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX
from spacy.tokens import Doc


class NerOnlySpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine whose artifacts hold the entities, their scores and the token offsets (read in
    one array), and no lemmas."""

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=doc.to_array(IDX).tolist(),
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=scores,
        )


class NoLemmaContextEnhancer(ContextAwareEnhancer):
    """The context enhancer for an engine with no lemmas: the results as the recognizers scored them."""

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results
