"""redactor: classification-aware redaction of marked government documents."""

__version__ = "0.1.0"
