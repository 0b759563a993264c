"""Errors a user can act on. Messages never quote document content."""


class RedactorError(Exception):
    """Base class: `status` is the HTTP status, `exit_code` the CLI's."""

    status = 400
    exit_code = 2
    title = "Bad request"


class InputError(RedactorError):
    """The document cannot be read: binary, wrong encoding, corrupt, too large once unpacked."""

    status = 422
    title = "Unreadable document"


class UnsupportedType(RedactorError):
    status = 415
    title = "Unsupported media type"


class TooLarge(RedactorError):
    status = 413
    title = "Document too large"


class OverLimit(InputError, TooLarge):
    """The upload was accepted, but what it holds passes a reading limit (pages, unpacked bytes, time,
    complexity): 422 like any document that cannot be read (and still a TooLarge for code that catches it)."""

    title = "Document over a reading limit"


class PolicyError(RedactorError):
    """A policy file is malformed: the message names the file, the key and the problem."""

    status = 422
    title = "Invalid policy"


class UnknownPolicy(RedactorError):
    status = 404
    title = "Unknown policy"


class UnknownLevel(RedactorError):
    status = 422
    title = "Unknown level"
