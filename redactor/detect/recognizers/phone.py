"""Phone numbers, where a run of digits could be one, and never a cable's report or serial number."""

from __future__ import annotations

import re

from presidio_analyzer.predefined_recognizers import PhoneRecognizer

# Something a phone number could be: 7+ digits with the usual separators. The phonenumbers matcher is
# costly; most paragraphs have no such run, and for those it need not run at all.
PHONE_CANDIDATE_RE = re.compile(r"\+?\(?\d[\d ().\-/]{5,}\d")
# Report, serial and reference numbers are written after these (`IIR 6 904 0123 05`, `REF 2008 123456`).
NOT_A_PHONE_BEFORE = re.compile(
    r"(?i:\b(?:IIR|report|rpt|serial|ref|reftel|no\.|number|case|file|cable|msg|message|para|paragraph|section|"
    r"dtg|passport|visa|id)[ \t#:.]*)$"
)
# A cable serial or page line (`STATE 00000284 002 OF 002`) is zero-padded.
SERIAL_RE = re.compile(r"0{2,}\d")


class PrefilteredPhoneRecognizer(PhoneRecognizer):
    """Presidio's phone recognizer, run only where digits could be a number and not after a report word."""

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        seen = set()
        # The matcher reads only a window around each run of digits, not the whole chunk of text.
        for m in PHONE_CANDIDATE_RE.finditer(text):
            if sum(c.isdigit() for c in m.group(0)) < 7:
                continue  # `2.14.10`, `44,621`: a date or a count, not a number to call
            start = max(0, m.start() - 6)
            for r in super().analyze(text[start : m.end() + 6], entities, None):
                r.start += start
                r.end += start
                if (r.start, r.end) not in seen:
                    seen.add((r.start, r.end))
                    results.append(r)
        return [
            r
            for r in results
            if not NOT_A_PHONE_BEFORE.search(text[max(0, r.start - 30) : r.start])
            and not SERIAL_RE.match(text, r.start)
        ]
