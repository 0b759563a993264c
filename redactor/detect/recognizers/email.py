"""E-mail addresses, validated against the public suffix list shipped in tldextract, never one fetched.

Presidio's recognizer validates a domain with `tldextract.extract`, whose extractor is built when tldextract is
imported: on a machine without its cache it downloads the list from publicsuffix.org on the first address, and
the `TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS` setting that would stop it counts only if it is set before that import.
This recognizer holds its own extractor on the snapshot tldextract ships, with no download and no cache.
"""

from __future__ import annotations

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

_OFFLINE = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validated offline."""

    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE(pattern_text).fqdn != ""
