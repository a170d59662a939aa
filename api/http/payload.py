"""Reading a request's JSON: what any client may send, answered as a client error.

The standard library's parser recurses once per nesting level, so a body of a thousand
``[`` exhausts the interpreter's stack (RecursionError), and it decodes bytes as UTF-8
itself (UnicodeDecodeError): neither is a :class:`json.JSONDecodeError`, so callers that
only expect that would answer HTTP 500. :func:`load_json` turns both, and nesting deeper than
any GraphQL request needs, into :class:`PayloadError`.
"""

import json
from typing import Any

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects a request may send (Parley's inputs need < 10)."""


class PayloadError(ValueError):
    """The request's JSON cannot be used; ``subcode`` says why."""

    def __init__(self, message: str, subcode: str) -> None:
        super().__init__(message)
        self.subcode = subcode


def load_json(data: str | bytes) -> Any:
    """The JSON value ``data`` holds; JSONDecodeError or PayloadError when there is none."""
    try:
        value = json.loads(data)
    except UnicodeDecodeError as exc:
        raise PayloadError("The request is not valid UTF-8.", "INVALID_UTF8") from exc
    except RecursionError as exc:
        raise _too_deep() from exc
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise _too_deep()
    return value


def _too_deep() -> PayloadError:
    return PayloadError(
        f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.", "JSON_TOO_DEEP"
    )


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` levels (without recursing)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
