"""The entity types a policy may name: what the registry's recognizers find. Kept free of Presidio imports so
that a policy is checked at load without loading the analyzer; `tests/test_recognizers.py` checks it against
the registry."""

from __future__ import annotations

# Presidio's predefined English recognizers (presidio-analyzer 2.2.366).
PRESIDIO_ENTITIES = frozenset(
    {
        "CREDIT_CARD",
        "CRYPTO",
        "DATE_TIME",
        "EMAIL_ADDRESS",
        "IBAN_CODE",
        "IP_ADDRESS",
        "LOCATION",
        "MAC_ADDRESS",
        "MEDICAL_LICENSE",
        "NRP",
        "ORGANIZATION",
        "PERSON",
        "PHONE_NUMBER",
        "UK_NHS",
        "URL",
        "US_BANK_NUMBER",
        "US_DRIVER_LICENSE",
        "US_ITIN",
        "US_PASSPORT",
        "US_SSN",
        "UUID",
    }
)
# This project's context-pattern recognizers (redactor/detect/recognizers/context_pattern.py).
PROJECT_ENTITIES = frozenset(
    {
        "DATE_OF_BIRTH",
        "PLACE_OF_BIRTH",
        "PASSPORT_NUMBER",
        "NATIONAL_ID",
        "CASE_NUMBER",
        "VISA_NUMBER",
        "STREET_ADDRESS",
    }
)
SUPPORTED_ENTITIES = PRESIDIO_ENTITIES | PROJECT_ENTITIES
