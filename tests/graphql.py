"""Helpers to send GraphQL operations in tests."""

from typing import Any

import httpx


async def execute(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """The whole response body of one operation."""
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def data(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    """The ``data`` of an operation that must succeed."""
    body = await execute(client, query, **variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes of a connection's edges."""
    return [edge["node"] for edge in connection["edges"]]
