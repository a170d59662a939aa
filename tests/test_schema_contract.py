"""The GraphQL contract: committed, in step with the code, and documented throughout."""

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from schema import schema

SDL_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    committed = SDL_FILE.read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `make schema`, review the diff (additive only), "
        "and commit it"
    )


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__"):
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg_name})"
                    for arg_name, arg in field.args.items()
                    if not arg.description
                )
        elif isinstance(graphql_type, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in graphql_type.fields.items()
                if not field.description
            )
        elif isinstance(graphql_type, GraphQLEnumType):
            missing.extend(
                f"{name}.{value_name}"
                for value_name, value in graphql_type.values.items()
                if not value.description
            )
    assert missing == []
