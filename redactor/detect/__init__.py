"""Entity detection with Presidio, offline, built once per process.

| module | what it holds |
|---|---|
| engine.py | `Detector`: the analyzer, cleaning of spans, the order of the steps |
| truecase.py | true-casing of all-caps text, as a wrapper of the NLP engine |
| recognizers/ | the registry: one recognizer class per file |
| propagate.py | a name found once, masked at every mention |
| officials.py | persons named in their office, at every mention |
| lexicon.py | dictionary words, given names, titles (data in `redactor/data/`) |
| entities.py | the entity types a policy may name |
"""

from redactor.detect.engine import DEFAULT_MODEL, Detector, get_detector, is_all_caps
from redactor.detect.findings import Finding, _merge

__all__ = ["DEFAULT_MODEL", "Detector", "Finding", "get_detector", "is_all_caps", "_merge"]
