"""Data flows one way: HTTP -> schema -> api.services -> api.models."""

from pytest_archon import archrule


def test_services_and_models_know_nothing_of_graphql_or_http() -> None:
    (
        archrule("domain stays framework-free")
        .match("api.services*")
        .match("api.models*")
        .match("api.partial_date")
        .should_not_import("strawberry*", "fastapi*", "starlette*", "schema*", "api.main")
        .check("api")
    )


def test_only_the_app_imports_the_graphql_layer() -> None:
    (
        archrule("schema is imported by api.main (and the CLI's export) only")
        .match("api*")
        .exclude("api.main")
        .exclude("api.cli")
        .should_not_import("schema*")
        .check("api")
    )


def test_graphql_layer_never_touches_http() -> None:
    (
        archrule("schema does not import the app")
        .match("schema*")
        .should_not_import("api.main", "api.cli", "api.graphiql", "fastapi*")
        .check("schema")
    )
