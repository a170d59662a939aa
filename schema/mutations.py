"""The root Mutation: record and edit what happens in dialogue mechanisms.

Each mutation takes one `input` and returns a payload with the record and `userErrors`;
expected failures are user errors, and on any of them nothing is written.
"""

import contextlib
import dataclasses
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from api.services import catalog, entities, meeting_records
from api.services.catalog import Entity
from api.services.errors import UserInputError
from api.services.tokens import Actor
from schema import mutation_inputs as inputs
from schema.context import Info
from schema.types.commitment import Commitment
from schema.types.measure import PolicyMeasure
from schema.types.mechanism import Mechanism
from schema.types.meeting import Meeting
from schema.types.people import Organization, Person
from schema.types.source import Source
from schema.types.topic import Topic
from schema.writes import Outcome, UserError, run

INPUT = strawberry.argument(description="What to write; see the input type.")
USER_ERRORS = "What was wrong with the input; empty when the write succeeded."
REPLAYED = "True when an idempotency key made this a replay of an earlier call: nothing written."


def _additions(values: dict[str, Any]) -> dict[str, Any]:
    """Update inputs say `addParticipants`; the services say `participants` (they append)."""
    return {key.removeprefix("add_"): value for key, value in values.items()}


def _one_as_list(values: dict[str, Any], name: str) -> dict[str, Any]:
    """A part given as one object (a rule) is handed to the services as a list of one."""
    if values.get(name) is not None:
        return {**values, name: [values[name]]}
    return values


@contextlib.contextmanager
def _as_added(values: dict[str, Any]) -> Iterator[None]:
    """User errors point at the update's own field names (`addParticipants`, not
    `participants`)."""
    added = {key.removeprefix("add_") for key in values if key.startswith("add_")}
    try:
        yield
    except UserInputError as exc:
        raise UserInputError(
            [
                dataclasses.replace(e, field=(f"add_{e.field[0]}", *e.field[1:]))
                if e.field and e.field[0] in added
                else e
                for e in exc.errors
            ]
        ) from exc


def _create(entity: Entity, operation: str) -> Callable[..., Awaitable[Any]]:
    async def perform(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
        values = _one_as_list(values, "fulfillment_rule")
        return await catalog.create(session, actor, entity, values, operation=operation)

    return perform


def _update(entity: Entity, operation: str) -> Callable[..., Awaitable[Any]]:
    async def perform(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
        record_id, version = values.pop("id"), values.pop("expected_version")
        with _as_added(values):
            return await catalog.update(
                session,
                actor,
                entity,
                record_id=record_id,
                expected_version=version,
                values=_one_as_list(_additions(values), "fulfillment_rule"),
                operation=operation,
            )

    return perform


async def _record_meeting(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
    return await meeting_records.record_meeting(session, actor, values)


async def _update_meeting(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
    record_id, version = values.pop("id"), values.pop("expected_version")
    with _as_added(values):
        return await meeting_records.update_meeting(
            session, actor, record_id=record_id, expected_version=version, values=_additions(values)
        )


async def _delete_meeting(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
    return await meeting_records.delete_meeting(
        session, actor, record_id=values["id"], expected_version=values["expected_version"]
    )


@strawberry.type(description="The result of recordMeeting.")
class RecordMeetingPayload:
    meeting: Meeting | None = strawberry.field(description="The meeting recorded.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of updateMeeting.")
class UpdateMeetingPayload:
    meeting: Meeting | None = strawberry.field(description="The meeting as it is now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of deleteMeeting.")
class DeleteMeetingPayload:
    deleted_id: relay.GlobalID | None = strawberry.field(
        description="The id of the meeting deleted."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of createMechanism or updateMechanism.")
class MechanismPayload:
    mechanism: Mechanism | None = strawberry.field(description="The mechanism as it is now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of createPerson or updatePerson.")
class PersonPayload:
    person: Person | None = strawberry.field(description="The person as they are now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of createOrganization or updateOrganization.")
class OrganizationPayload:
    organization: Organization | None = strawberry.field(description="The organization now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of createTopic or updateTopic.")
class TopicPayload:
    topic: Topic | None = strawberry.field(description="The topic as it is now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of createPolicyMeasure or updatePolicyMeasure.")
class PolicyMeasurePayload:
    measure: PolicyMeasure | None = strawberry.field(description="The measure as it is now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of createSource or updateSource.")
class SourcePayload:
    source: Source | None = strawberry.field(description="The source as it is now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


@strawberry.type(description="The result of recordCommitment or updateCommitment.")
class CommitmentPayload:
    commitment: Commitment | None = strawberry.field(description="The commitment as it is now.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
    replayed: bool = strawberry.field(description=REPLAYED)


def _fields(outcome: Outcome) -> dict[str, Any]:
    return {"user_errors": outcome.errors, "replayed": outcome.replayed}


_RECORD_TYPES = {
    "mechanism": "Mechanism",
    "person": "Person",
    "organization": "Organization",
    "topic": "Topic",
    "policy_measure": "PolicyMeasure",
    "source": "Source",
    "commitment": "Commitment",
}


def _catalog_mutation(
    operation: str, entity: Entity, input_type: type, payload: type, description: str
) -> Any:
    """A create or update mutation of one catalog entity (the name says which)."""
    updating = operation.startswith("update")
    perform = (_update if updating else _create)(entity, operation)
    record_type = _RECORD_TYPES[entity.model.__tablename__]
    field = next(name for name in payload.__annotations__ if name not in _PAYLOAD_EXTRAS)

    async def resolve(info: Info, input: Any) -> Any:
        outcome = await run(
            info, operation=operation, data=input, perform=perform, parent_type=record_type
        )
        return payload(**{field: outcome.record}, **_fields(outcome))

    # Strawberry reads the GraphQL argument and result types from the annotations.
    resolve.__annotations__ = {
        "info": Info,
        "input": Annotated[input_type, INPUT],
        "return": payload,
    }
    return strawberry.mutation(resolver=resolve, description=description)


_PAYLOAD_EXTRAS = frozenset({"user_errors", "replayed"})


@strawberry.type(description="Record and edit; every mutation needs a token with the write scope.")
class Mutation:
    @strawberry.mutation(description="Record a meeting with its participants, topics, sources ...")
    async def record_meeting(
        self,
        info: Info,
        input: Annotated[inputs.RecordMeetingInput, INPUT],
    ) -> RecordMeetingPayload:
        outcome = await run(
            info,
            operation="recordMeeting",
            data=input,
            perform=_record_meeting,
            parent_type="Meeting",
        )
        return RecordMeetingPayload(meeting=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change a meeting, at the version you read.")
    async def update_meeting(
        self,
        info: Info,
        input: Annotated[inputs.UpdateMeetingInput, INPUT],
    ) -> UpdateMeetingPayload:
        outcome = await run(
            info,
            operation="updateMeeting",
            data=input,
            perform=_update_meeting,
            parent_type="Meeting",
        )
        return UpdateMeetingPayload(meeting=outcome.record, user_errors=outcome.errors)

    @strawberry.mutation(description="Delete a meeting, at the version you read.")
    async def delete_meeting(
        self,
        info: Info,
        input: Annotated[inputs.DeleteMeetingInput, INPUT],
    ) -> DeleteMeetingPayload:
        outcome = await run(
            info,
            operation="deleteMeeting",
            data=input,
            perform=_delete_meeting,
            parent_type="Meeting",
        )
        deleted = relay.GlobalID("Meeting", str(outcome.record)) if outcome.record else None
        return DeleteMeetingPayload(deleted_id=deleted, user_errors=outcome.errors)

    create_mechanism = _catalog_mutation(
        "createMechanism",
        entities.MECHANISM,
        inputs.CreateMechanismInput,
        MechanismPayload,
        "Create a dialogue mechanism.",
    )
    update_mechanism = _catalog_mutation(
        "updateMechanism",
        entities.MECHANISM,
        inputs.UpdateMechanismInput,
        MechanismPayload,
        "Change a mechanism, at the version you read.",
    )
    create_person = _catalog_mutation(
        "createPerson",
        entities.PERSON,
        inputs.CreatePersonInput,
        PersonPayload,
        "Create a person.",
    )
    update_person = _catalog_mutation(
        "updatePerson",
        entities.PERSON,
        inputs.UpdatePersonInput,
        PersonPayload,
        "Change a person, at the version you read.",
    )
    create_organization = _catalog_mutation(
        "createOrganization",
        entities.ORGANIZATION,
        inputs.CreateOrganizationInput,
        OrganizationPayload,
        "Create an organization.",
    )
    update_organization = _catalog_mutation(
        "updateOrganization",
        entities.ORGANIZATION,
        inputs.UpdateOrganizationInput,
        OrganizationPayload,
        "Change an organization, at the version you read.",
    )
    create_topic = _catalog_mutation(
        "createTopic", entities.TOPIC, inputs.CreateTopicInput, TopicPayload, "Create a topic."
    )
    update_topic = _catalog_mutation(
        "updateTopic",
        entities.TOPIC,
        inputs.UpdateTopicInput,
        TopicPayload,
        "Change a topic, at the version you read.",
    )
    create_policy_measure = _catalog_mutation(
        "createPolicyMeasure",
        entities.MEASURE,
        inputs.CreatePolicyMeasureInput,
        PolicyMeasurePayload,
        "Create a policy measure.",
    )
    update_policy_measure = _catalog_mutation(
        "updatePolicyMeasure",
        entities.MEASURE,
        inputs.UpdatePolicyMeasureInput,
        PolicyMeasurePayload,
        "Change a policy measure, at the version you read.",
    )
    create_source = _catalog_mutation(
        "createSource",
        entities.SOURCE,
        inputs.CreateSourceInput,
        SourcePayload,
        "Create a source.",
    )
    update_source = _catalog_mutation(
        "updateSource",
        entities.SOURCE,
        inputs.UpdateSourceInput,
        SourcePayload,
        "Change a source, at the version you read.",
    )
    record_commitment = _catalog_mutation(
        "recordCommitment",
        entities.COMMITMENT,
        inputs.RecordCommitmentInput,
        CommitmentPayload,
        "Record a commitment made at a meeting.",
    )
    update_commitment = _catalog_mutation(
        "updateCommitment",
        entities.COMMITMENT,
        inputs.UpdateCommitmentInput,
        CommitmentPayload,
        "Change a commitment (its status, say), at the version you read.",
    )
