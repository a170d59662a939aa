"""Built statements, kept per document, operation and variable values.

Building a statement (SQLAlchemy expressions for every field) costs a few milliseconds of CPU
per request; SQLAlchemy then compiles a statement of the same structure only once. Parsed
documents are shared by requests with the same text (schema.guard), so the document object
identifies the text. Bounded: a request whose variables are long is planned every time.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import orjson
from graphql import DocumentNode

MAX_PLANS = 256
MAX_VARIABLES_BYTES = 4096


class Plans:
    """A small LRU of built statements."""

    def __init__(self, size: int = MAX_PLANS) -> None:
        self.size = size
        self._plans: OrderedDict[Hashable, tuple[DocumentNode, Any]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def key(
        self,
        document: DocumentNode,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *extra: Hashable,
    ) -> Hashable | None:
        """The key of this request's plan (None when it should not be kept)."""
        try:
            values = orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)
        except TypeError:
            return None
        if len(values) > MAX_VARIABLES_BYTES:
            return None
        return (id(document), operation_name, values, *extra)

    def get_or_build(
        self, key: Hashable | None, document: DocumentNode, build: Callable[[], Any]
    ) -> Any:
        """The statement planned under ``key``, built (and kept) when missing."""
        if key is None:
            return build()
        found = self._plans.get(key)
        if found is not None and found[0] is document:
            self._plans.move_to_end(key)
            self.hits += 1
            return found[1]
        self.misses += 1
        built = build()
        self._plans[key] = (document, built)
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return built

    def refuse(self, key: Hashable | None, document: DocumentNode) -> None:
        """Remember that the database cannot run this plan (the standard executor answers)."""
        if key is not None:
            self._plans[key] = (document, REFUSED)


REFUSED = object()
"""The plan of an operation the database refused to parse (too deeply nested for SQLite)."""

PLANS = Plans()


class Plan:
    """The slot of one request's plan in :data:`PLANS`."""

    def __init__(self, plans: Plans, key: Hashable | None, document: DocumentNode) -> None:
        self.plans, self.key, self.document = plans, key, document

    def get_or_build(self, build: Callable[[], Any]) -> Any:
        """The statement kept for this request's key, built (and kept) when missing."""
        return self.plans.get_or_build(self.key, self.document, build)

    def refuse(self) -> None:
        """The database refused the statement: answer this key on the standard path."""
        self.plans.refuse(self.key, self.document)
