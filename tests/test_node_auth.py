"""Every path to a record applies the authorization of its list: `node`/`nodes` included."""

import base64

import httpx

from api.models import Scope
from schema import schema
from schema.compiled.specs import node_types, types_of
from schema.types.node import ModelNode
from tests.graphql import data

CREATE_TOPIC = 'mutation { createTopic(input: { name: "Rare earths" }) { topic { slug } } }'
AUDIT_IDS = "{ auditLog(first: 5) { nodes { id tokenName } } }"
BY_NODE = """
query($id: ID!) {
  node(id: $id) { id ... on AuditEntry { tokenName operation changes } }
}
"""
BY_NODES = """
query($ids: [ID!]!) {
  nodes(ids: $ids) { id ... on AuditEntry { tokenName operation changes } }
}
"""


async def _post(
    client: httpx.AsyncClient, query: str, token: str | None, **variables: object
) -> dict[str, object]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, object] = response.json()
    return body


def _codes(body: dict[str, object]) -> set[str]:
    errors = body.get("errors")
    assert isinstance(errors, list), body
    return {error["extensions"]["code"] for error in errors}


def _empty(body: dict[str, object]) -> bool:
    """True when the body carries no record: data null, or each root field null."""
    found = body["data"]
    return found is None or (isinstance(found, dict) and set(found.values()) == {None})


async def _audit_entry_id(client: httpx.AsyncClient, write_token: str, admin_token: str) -> str:
    await _post(client, CREATE_TOPIC, write_token)
    found = await _post(client, AUDIT_IDS, admin_token)
    entry_id: str = found["data"]["auditLog"]["nodes"][0]["id"]  # type: ignore[index]
    return entry_id


async def test_an_audit_entry_by_node_needs_an_admin_token(
    client: httpx.AsyncClient, write_token: str, admin_token: str
) -> None:
    entry_id = await _audit_entry_id(client, write_token, admin_token)
    # given the id of an audit entry (and the one the issue spelled by hand)
    for node_id in (entry_id, base64.b64encode(b"AuditEntry:1").decode()):
        # when read anonymously, then refused as the audit log itself is
        for query, variables in ((BY_NODE, {"id": node_id}), (BY_NODES, {"ids": [node_id]})):
            anonymous = await _post(client, query, None, **variables)
            assert _codes(anonymous) == {"UNAUTHENTICATED"}
            assert _empty(anonymous)
            # a write token is refused too
            writer = await _post(client, query, write_token, **variables)
            assert _codes(writer) == {"FORBIDDEN"}
            assert _empty(writer)
    # and an admin token reads it
    admin = await _post(client, BY_NODE, admin_token, id=entry_id)
    assert "errors" not in admin
    assert admin["data"] == {
        "node": {
            "id": entry_id,
            "tokenName": "test-writer",
            "operation": "createTopic",
            "changes": admin["data"]["node"]["changes"],  # type: ignore[index]
        }
    }


async def test_nodes_mixing_public_and_restricted_ids_leaks_nothing(
    client: httpx.AsyncClient, write_token: str, admin_token: str
) -> None:
    entry_id = await _audit_entry_id(client, write_token, admin_token)
    topic = await data(client, "{ topics(first: 1) { nodes { id } } }")
    topic_id = topic["topics"]["nodes"][0]["id"]
    body = await _post(client, BY_NODES, None, ids=[topic_id, entry_id])
    assert _codes(body) == {"UNAUTHENTICATED"}
    assert _empty(body)


def test_every_node_type_with_a_restricted_list_is_guarded() -> None:
    # the audit entry is the only record type whose list needs a scope; tokens are no node type
    scopes = {cls.__name__: cls.__scope__ for cls in _subclasses(ModelNode)}
    assert {name: scope for name, scope in scopes.items() if scope} == {"AuditEntry": Scope.ADMIN}
    assert not {"ApiToken", "Token", "IdempotencyKey"} & set(scopes)
    # the compiled read path, which checks no token, never reads them by id (a record's public
    # `history` lists audit entries; only `node`/`nodes` and `auditLog` need the token)
    restricted = {name for name, scope in scopes.items() if scope}
    assert not restricted & node_types(schema._schema)
    assert all(types_of(schema._schema)[name].scoped for name in restricted)


def _subclasses(cls: type[ModelNode]) -> list[type[ModelNode]]:
    found: list[type[ModelNode]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
