"""A small world for the rules over time: one mechanism, its meetings, its commitments."""

import datetime as dt
import itertools

from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import (
    CommitmentStatus,
    MechanismKind,
    MechanismStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    ParticipantRole,
    Period,
    Rank,
)
from api.partial_date import PartialDate
from tests.factories import country

_serial = itertools.count()


class Timeline:
    """Builds records in the test's session; ``flush`` before asking the services."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mechanism(
        self,
        *,
        times: int | None = None,
        period: Period | None = None,
        status: MechanismStatus = MechanismStatus.ACTIVE,
        established: str | None = None,
        ended: str | None = None,
    ) -> models.Mechanism:
        n = next(_serial)
        mechanism = models.Mechanism(
            slug=f"timeline-mechanism-{n}",
            name=f"Timeline mechanism {n}",
            kind=MechanismKind.DIALOGUE,
            status=status,
            cadence_times=times,
            cadence_period=period,
            cadence_stated=times is not None,
            established=PartialDate.parse(established) if established else None,
            ended=PartialDate.parse(ended) if ended else None,
        )
        self.session.add(mechanism)
        await self.session.flush()
        return mechanism

    async def meeting(
        self,
        mechanism: models.Mechanism,
        start: str,
        *,
        end: str | None = None,
        fmt: MeetingFormat = MeetingFormat.IN_PERSON,
        status: MeetingStatus = MeetingStatus.HELD,
        sides: tuple[str, ...] = ("US", "CN"),
        parent: models.Meeting | None = None,
        kind: MeetingKind = MeetingKind.MEETING,
        people: list[tuple[str, models.Person]] | None = None,
    ) -> models.Meeting:
        n = next(_serial)
        meeting = models.Meeting(
            slug=f"timeline-meeting-{n}",
            mechanism_id=mechanism.id,
            parent_id=parent.id if parent else None,
            title=f"Timeline meeting {n}",
            format=fmt,
            kind=kind,
            status=status,
            start=PartialDate.parse(start),
            end=PartialDate.parse(end) if end else None,
        )
        self.session.add(meeting)
        await self.session.flush()
        for code in sides:
            side = await country(self.session, code)
            self.session.add(
                models.Participation(
                    meeting_id=meeting.id,
                    name_as_reported=f"Official of {code}",
                    side_country_id=side.id,
                    role=ParticipantRole.HEAD_OF_DELEGATION,
                )
            )
        for code, person in people or []:
            side = await country(self.session, code)
            self.session.add(
                models.Participation(
                    meeting_id=meeting.id,
                    person_id=person.id,
                    side_country_id=side.id,
                    role=ParticipantRole.HEAD_OF_DELEGATION,
                )
            )
        await self.session.flush()
        return meeting

    async def person(
        self, side: str, held: list[tuple[str, str | None, Rank]]
    ) -> tuple[str, models.Person]:
        """A person of ``side`` with positions (start, end, rank)."""
        n = next(_serial)
        person = models.Person(slug=f"timeline-person-{n}", name=f"Timeline Person {n}")
        self.session.add(person)
        await self.session.flush()
        for start, end, rank in held:
            self.session.add(
                models.Position(
                    person_id=person.id,
                    title=f"{rank.value} {n}",
                    start=PartialDate.parse(start),
                    end=PartialDate.parse(end) if end else None,
                    rank=rank,
                )
            )
        await self.session.flush()
        return side, person

    async def commitment(
        self,
        mechanism: models.Mechanism,
        *,
        due: str | None = None,
        times: int | None = None,
        period: Period | None = None,
        starts: str | None = None,
        agreed_at: models.Meeting | None = None,
        rule: bool = True,
        formats: str | None = None,
    ) -> models.Commitment:
        n = next(_serial)
        commitment = models.Commitment(
            slug=f"timeline-commitment-{n}",
            title=f"Timeline commitment {n}",
            mechanism_id=mechanism.id,
            meeting_id=agreed_at.id if agreed_at else None,
            due=PartialDate.parse(due) if due else None,
            recurrence_times=times,
            recurrence_period=period,
            recurrence_from=PartialDate.parse(starts) if starts else None,
            status=CommitmentStatus.UNKNOWN,
        )
        self.session.add(commitment)
        await self.session.flush()
        if rule:
            self.session.add(models.FulfillmentRule(commitment_id=commitment.id, formats=formats))
            await self.session.flush()
        return commitment

    async def reviewed(
        self, mechanism: models.Mechanism, through: str, *, since: str | None = None
    ) -> None:
        self.session.add(
            models.RecordReview(
                mechanism_id=mechanism.id,
                complete_from=dt.date.fromisoformat(since) if since else None,
                complete_through=dt.date.fromisoformat(through),
                reviewed_by="test",
                sources_searched="every source",
            )
        )
        await self.session.flush()
