"""A small GraphQL-over-HTTP client that retries what is safe to retry."""

import time
from typing import Any

import httpx

RETRY_STATUSES = frozenset({429, 502, 503, 504})


class PushError(RuntimeError):
    """The server refused a request as a whole (not a record's user errors)."""


class GraphQLClient:
    """Sends operations with a bearer token; retries network failures, 429 and 5xx.

    Retrying a creating mutation is safe because push sends each with an idempotency key.
    """

    def __init__(
        self, url: str, token: str, *, timeout: float = 30, attempts: int = 5, backoff: float = 0.5
    ) -> None:
        self._http = httpx.Client(
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )
        self._url = url
        self._attempts = attempts
        self._backoff = backoff
        self.round_trips = 0

    def __enter__(self) -> "GraphQLClient":
        return self

    def __exit__(self, *_: object) -> None:
        self._http.close()

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of the operation; PushError for top-level errors."""
        body = self._post({"query": query, "variables": variables or {}})
        if body.get("errors"):
            messages = "; ".join(
                f"{e.get('message')} ({(e.get('extensions') or {}).get('code', 'ERROR')})"
                for e in body["errors"]
            )
            raise PushError(messages)
        data: dict[str, Any] = body["data"]
        return data

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        delay = self._backoff
        for attempt in range(1, self._attempts + 1):
            self.round_trips += 1
            try:
                response = self._http.post(self._url, json=payload)
            except httpx.TransportError as exc:
                if attempt == self._attempts:
                    raise PushError(f"cannot reach {self._url}: {exc}") from exc
            else:
                if response.status_code not in RETRY_STATUSES or attempt == self._attempts:
                    return self._json(response)
                delay = max(delay, float(response.headers.get("Retry-After", 0) or 0))
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            body: dict[str, Any] = response.json()
        except ValueError as exc:
            raise PushError(f"HTTP {response.status_code}: not a GraphQL response") from exc
        if "data" not in body and not body.get("errors"):
            raise PushError(f"HTTP {response.status_code}: not a GraphQL response")
        return body
