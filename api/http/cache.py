"""A response cache for repeated reads, exact across writes and replicas, and ETags for GET.

A read is served from the cache only while the data version (a number every committed write
increases, kept in the database) is the one it was cached under; one small query per request
checks it, so a write on any replica invalidates every replica's entries at once. GET
responses carry an ETag made of the version and the request, so a client revalidating with
If-None-Match gets 304 without the operation running.

Only anonymous queries are cached: a request with an Authorization header always runs.
"""

import collections
import dataclasses
import hashlib
import json
from typing import Any

from starlette.requests import Request

from api.services import versions


@dataclasses.dataclass(frozen=True)
class Entry:
    """A cached response: its body, status and media type, under one data version."""

    version: int
    body: bytes
    status: int
    media_type: str


class ResponseCache:
    """A bounded, least-recently-used map from request keys to responses."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: collections.OrderedDict[str, Entry] = collections.OrderedDict()

    def get(self, key: str, version: int) -> Entry | None:
        """The entry for ``key`` if it was cached under ``version``."""
        entry = self._entries.get(key)
        if entry is None or entry.version != version:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: str, entry: Entry) -> None:
        """Remember ``entry``, forgetting the least recently used beyond the size."""
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


async def request_key(request: Request, *, media: str) -> str | None:
    """A key for a cacheable request (an anonymous GraphQL request), or None."""
    if "authorization" in request.headers:
        return None
    fields = await _graphql_fields(request)
    if fields is None or not isinstance(fields[0], str):
        return None
    canonical = json.dumps([media, *fields], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def _graphql_fields(request: Request) -> list[Any] | None:
    """The query, variables and operation name of a GET or JSON POST request."""
    try:
        if request.method == "GET":
            params = request.query_params
            variables = params.get("variables")
            parsed = json.loads(variables) if variables else None
            return [params.get("query"), parsed, params.get("operationName")]
        if request.method == "POST" and "json" in request.headers.get("content-type", ""):
            payload = json.loads(await request.body())
            if isinstance(payload, dict):
                return [payload.get(k) for k in ("query", "variables", "operationName")]
    except ValueError:
        return None
    return None


async def data_version(request: Request) -> int:
    """The committed data version, read through the app's session factory."""
    async with request.app.state.session_factory() as session:
        return await versions.current(session)


def etag(version: int, key: str) -> str:
    """The ETag of a response: weak, as equal bodies may differ in formatting."""
    return f'W/"{version}-{key[:20]}"'


def matches(request: Request, tag: str) -> bool:
    """Whether the client's If-None-Match names ``tag``."""
    header = request.headers.get("if-none-match", "")
    return any(part.strip() in (tag, "*") for part in header.split(","))
