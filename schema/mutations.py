"""The root Mutation: record and edit what happens in dialogue mechanisms.

Each mutation takes one `input` and returns a payload with the record and `userErrors`;
expected failures are user errors, and on any of them nothing is written.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay

from api.services import catalog, entities, meeting_records
from api.services.catalog import Entity
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


def _create(entity: Entity, operation: str) -> Callable[..., Awaitable[Any]]:
    async def perform(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
        return await catalog.create(session, actor, entity, values, operation=operation)

    return perform


def _update(entity: Entity, operation: str) -> Callable[..., Awaitable[Any]]:
    async def perform(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
        record_id, version = values.pop("id"), values.pop("expected_version")
        return await catalog.update(
            session,
            actor,
            entity,
            record_id=record_id,
            expected_version=version,
            values=_additions(values),
            operation=operation,
        )

    return perform


async def _record_meeting(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
    return await meeting_records.record_meeting(session, actor, values)


async def _update_meeting(session: AsyncSession, actor: Actor, values: dict[str, Any]) -> Any:
    record_id, version = values.pop("id"), values.pop("expected_version")
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

    @strawberry.mutation(description="Create a dialogue mechanism.")
    async def create_mechanism(
        self,
        info: Info,
        input: Annotated[inputs.CreateMechanismInput, INPUT],
    ) -> MechanismPayload:
        operation = "createMechanism"
        perform = _create(entities.MECHANISM, operation)
        outcome = await run(
            info, operation=operation, data=input, perform=perform, parent_type="Mechanism"
        )
        return MechanismPayload(mechanism=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change a mechanism, at the version you read.")
    async def update_mechanism(
        self,
        info: Info,
        input: Annotated[inputs.UpdateMechanismInput, INPUT],
    ) -> MechanismPayload:
        operation = "updateMechanism"
        perform = _update(entities.MECHANISM, operation)
        outcome = await run(
            info, operation=operation, data=input, perform=perform, parent_type="Mechanism"
        )
        return MechanismPayload(mechanism=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Create a person.")
    async def create_person(
        self,
        info: Info,
        input: Annotated[inputs.CreatePersonInput, INPUT],
    ) -> PersonPayload:
        perform = _create(entities.PERSON, "createPerson")
        outcome = await run(
            info, operation="createPerson", data=input, perform=perform, parent_type="Person"
        )
        return PersonPayload(person=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change a person, at the version you read.")
    async def update_person(
        self,
        info: Info,
        input: Annotated[inputs.UpdatePersonInput, INPUT],
    ) -> PersonPayload:
        perform = _update(entities.PERSON, "updatePerson")
        outcome = await run(
            info, operation="updatePerson", data=input, perform=perform, parent_type="Person"
        )
        return PersonPayload(person=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Create an organization.")
    async def create_organization(
        self,
        info: Info,
        input: Annotated[inputs.CreateOrganizationInput, INPUT],
    ) -> OrganizationPayload:
        perform = _create(entities.ORGANIZATION, "createOrganization")
        outcome = await run(
            info,
            operation="createOrganization",
            data=input,
            perform=perform,
            parent_type="Organization",
        )
        return OrganizationPayload(organization=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change an organization, at the version you read.")
    async def update_organization(
        self,
        info: Info,
        input: Annotated[inputs.UpdateOrganizationInput, INPUT],
    ) -> OrganizationPayload:
        perform = _update(entities.ORGANIZATION, "updateOrganization")
        outcome = await run(
            info,
            operation="updateOrganization",
            data=input,
            perform=perform,
            parent_type="Organization",
        )
        return OrganizationPayload(organization=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Create a topic.")
    async def create_topic(
        self,
        info: Info,
        input: Annotated[inputs.CreateTopicInput, INPUT],
    ) -> TopicPayload:
        perform = _create(entities.TOPIC, "createTopic")
        outcome = await run(
            info, operation="createTopic", data=input, perform=perform, parent_type="Topic"
        )
        return TopicPayload(topic=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change a topic, at the version you read.")
    async def update_topic(
        self,
        info: Info,
        input: Annotated[inputs.UpdateTopicInput, INPUT],
    ) -> TopicPayload:
        perform = _update(entities.TOPIC, "updateTopic")
        outcome = await run(
            info, operation="updateTopic", data=input, perform=perform, parent_type="Topic"
        )
        return TopicPayload(topic=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Create a policy measure.")
    async def create_policy_measure(
        self,
        info: Info,
        input: Annotated[inputs.CreatePolicyMeasureInput, INPUT],
    ) -> PolicyMeasurePayload:
        perform = _create(entities.MEASURE, "createPolicyMeasure")
        outcome = await run(
            info,
            operation="createPolicyMeasure",
            data=input,
            perform=perform,
            parent_type="PolicyMeasure",
        )
        return PolicyMeasurePayload(measure=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change a policy measure, at the version you read.")
    async def update_policy_measure(
        self,
        info: Info,
        input: Annotated[inputs.UpdatePolicyMeasureInput, INPUT],
    ) -> PolicyMeasurePayload:
        perform = _update(entities.MEASURE, "updatePolicyMeasure")
        outcome = await run(
            info,
            operation="updatePolicyMeasure",
            data=input,
            perform=perform,
            parent_type="PolicyMeasure",
        )
        return PolicyMeasurePayload(measure=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Create a source.")
    async def create_source(
        self,
        info: Info,
        input: Annotated[inputs.CreateSourceInput, INPUT],
    ) -> SourcePayload:
        perform = _create(entities.SOURCE, "createSource")
        outcome = await run(
            info, operation="createSource", data=input, perform=perform, parent_type="Source"
        )
        return SourcePayload(source=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Change a source, at the version you read.")
    async def update_source(
        self,
        info: Info,
        input: Annotated[inputs.UpdateSourceInput, INPUT],
    ) -> SourcePayload:
        perform = _update(entities.SOURCE, "updateSource")
        outcome = await run(
            info, operation="updateSource", data=input, perform=perform, parent_type="Source"
        )
        return SourcePayload(source=outcome.record, **_fields(outcome))

    @strawberry.mutation(description="Record a commitment made at a meeting.")
    async def record_commitment(
        self,
        info: Info,
        input: Annotated[inputs.RecordCommitmentInput, INPUT],
    ) -> CommitmentPayload:
        perform = _create(entities.COMMITMENT, "recordCommitment")
        outcome = await run(
            info,
            operation="recordCommitment",
            data=input,
            perform=perform,
            parent_type="Commitment",
        )
        return CommitmentPayload(commitment=outcome.record, **_fields(outcome))

    @strawberry.mutation(
        description="Change a commitment (its status, say), at the version you read."
    )
    async def update_commitment(
        self,
        info: Info,
        input: Annotated[inputs.UpdateCommitmentInput, INPUT],
    ) -> CommitmentPayload:
        perform = _update(entities.COMMITMENT, "updateCommitment")
        outcome = await run(
            info,
            operation="updateCommitment",
            data=input,
            perform=perform,
            parent_type="Commitment",
        )
        return CommitmentPayload(commitment=outcome.record, **_fields(outcome))
