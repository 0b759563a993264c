"""The OpenAPI 3.1 document served at /openapi.json. A test checks its paths and methods against the app's
routes, so a route cannot be added or removed without this document following."""

from __future__ import annotations

from typing import Any

import redactor
from redactor.schema import release_schema
from redactor.web.params import PARAMS, QUERY_ONLY
from redactor.web.settings import SETTINGS


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_REDACT_FIELDS: dict[str, Any] = {p.name: {**p.schema, "description": p.help} for p in PARAMS}
_AUTH_ERRORS = {"401": _problem("An API key is configured and the request lacks a valid `Authorization: Bearer KEY`.")}


def spec() -> dict[str, Any]:
    release, release_defs = release_schema()
    settings = "\n".join(f"- `{s.name}`: {s.help}" for s in SETTINGS)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "redactor",
            "version": redactor.__version__,
            "description": "Classification-aware redaction of marked government documents.\n\n"
            "Settings (environment variables):\n" + settings,
        },
        "paths": {
            "/v1/redact": {
                "post": {
                    "summary": "Redact one document and answer the release as text, JSON or PDF.",
                    "security": [{"bearer": []}, {}],
                    "parameters": [
                        _param(k, v["description"], {k2: v2 for k2, v2 in v.items() if k2 != "description"})
                        for k, v in _REDACT_FIELDS.items()
                    ]
                    + [
                        _param(
                            "include",
                            "`blocks` adds the release's reading-order layout to a JSON answer "
                            "(what the upload page draws); `pages` adds, for a PDF upload, the original "
                            "pages of the release with their boxes and images (the review view).",
                            {"type": "string", "enum": list(QUERY_ONLY["include"])},
                        )
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "file": {
                                            "type": "string",
                                            "format": "binary",
                                            "description": "The document: text, WikiLeaks HTML, PDF or DOCX.",
                                        },
                                        "text": {
                                            "type": "string",
                                            "description": "The document as text (instead of file).",
                                        },
                                        **_REDACT_FIELDS,
                                    },
                                    "additionalProperties": False,
                                }
                            },
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {
                                        "text": {"type": "string"},
                                        **_REDACT_FIELDS,
                                        "overrides": {"type": "object", "description": "Reviewer overrides."},
                                    },
                                    "additionalProperties": False,
                                }
                            },
                            "text/plain": {"schema": {"type": "string"}},
                            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The release.",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Release"}},
                                "text/plain": {"schema": {"type": "string"}},
                                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                            },
                        },
                        "400": _problem(
                            "No document, or both `file` and `text`, a malformed JSON body, or a "
                            "request that is not valid HTTP."
                        ),
                        "408": _problem("The request headers or body did not arrive in time."),
                        **_AUTH_ERRORS,
                        "404": _problem("Unknown policy."),
                        "413": _problem("The request is larger than REDACTOR_MAX_UPLOAD."),
                        "415": _problem(
                            "Unsupported request content type, or a document type the readers do not support."
                        ),
                        "422": _problem(
                            "Unreadable document, an unknown parameter or part, unknown level, "
                            "format or layout, invalid overrides (or nested too deeply), or an "
                            "invalid policy file."
                        ),
                        "431": _problem("The request's header fields are too large or too many."),
                        "500": _problem("Unexpected failure; the detail carries no document content."),
                        "503": _problem("Too many documents waiting, or the document took too long."),
                    },
                }
            },
            "/v1/policies": {
                "get": {
                    "summary": "The policies this service knows, with their levels.",
                    "security": [{"bearer": []}, {}],
                    "responses": {
                        "200": {
                            "description": "Policies.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "default": {"type": "string"},
                                            "policies": {"type": "array", "items": {"type": "object"}},
                                        },
                                    }
                                }
                            },
                        },
                        **_AUTH_ERRORS,
                    },
                }
            },
            "/healthz": {"get": {"summary": "Liveness.", "responses": {"200": {"description": "OK."}}}},
            "/openapi.json": {
                "get": {"summary": "This document.", "responses": {"200": {"description": "OpenAPI 3.1."}}}
            },
            "/": {
                "get": {
                    "summary": "The upload page.",
                    "responses": {"200": {"description": "HTML.", "content": {"text/html": {}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Required when REDACTOR_API_KEYS is set."}
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "request_id": {"type": "string"},
                    },
                },
                "Release": release,
                **release_defs,
            },
        },
    }
