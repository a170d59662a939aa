"""What the compiled read path reads is declared once, on the schema's own fields."""

from graphql import GraphQLObjectType

from schema import schema
from schema.compiled.coverage import report
from schema.compiled.fields import Groups, OffsetConnection, OneOf, Tagged, ToOne
from schema.compiled.specs import node_types, roots_of, types_of

GRAPHQL = schema._schema


def test_every_root_but_the_admins_audit_log_declares_how_it_is_compiled() -> None:
    # given the root Query's fields
    query = GRAPHQL.query_type
    assert query is not None

    # when the compile metadata is read off them
    roots = roots_of(GRAPHQL)

    # then every root field carries one, except the audit log (it needs a token)
    assert set(query.fields) - set(roots) == {"auditLog"}
    assert isinstance(roots["search"], OffsetConnection)
    assert isinstance(roots["meetingCounts"], Groups)
    assert isinstance(roots["topicCounts"], Groups)
    # and the report counts them as covered
    assert "Query.search" in report(GRAPHQL).covered


def test_every_record_a_covered_field_points_at_is_a_covered_type() -> None:
    # given every covered field that points at records of named types
    types = types_of(GRAPHQL)
    nodes = node_types(GRAPHQL)
    tables = {spec.table.name for spec in types.values() if spec.table is not None}
    pointed: set[str] = set()
    for spec in types.values():
        for field in spec.fields.values():
            if isinstance(field, ToOne):
                pointed.add(field.target)
            elif isinstance(field, OneOf):
                pointed.update(type_name for _, type_name in field.targets)
            elif isinstance(field, Tagged):
                # then each table a tag names is read by exactly one covered type
                for _, table in field.tables:
                    assert table in tables, table
                    readers = [
                        n
                        for n, s in types.items()
                        if s.table is not None and s.table.name == table and n in nodes
                    ]
                    assert len(readers) == 1, (table, readers)
    for root in roots_of(GRAPHQL).values():
        if isinstance(root, Groups | OffsetConnection):
            assert root.target in types, root.target

    # then each is a covered record type, so no covered field falls back for want of one
    assert pointed <= nodes, pointed - nodes
    for name in pointed:
        assert isinstance(GRAPHQL.get_type(name), GraphQLObjectType)
