"""Bulk test data: mechanisms with meetings, participants and their positions."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.models.enums import (
    MechanismKind,
    MechanismStatus,
    MeetingFormat,
    MeetingStatus,
    ParticipantRole,
)
from api.partial_date import PartialDate


async def country(session: AsyncSession, code: str) -> models.Country:
    found = await session.scalar(select(models.Country).where(models.Country.code == code))
    if found is None:
        found = models.Country(code=code, name=code)
        session.add(found)
        await session.flush()
    return found


async def mechanisms_with_meetings(
    session: AsyncSession,
    *,
    mechanisms: int,
    meetings: int,
    participants: int,
    prefix: str = "Probe",
) -> list[models.Mechanism]:
    """``mechanisms`` mechanisms, each with ``meetings`` meetings of ``participants`` people."""
    side = await country(session, "US")
    people = [
        models.Person(slug=f"{prefix.lower()}-person-{n}", name=f"{prefix} Person {n}")
        for n in range(participants)
    ]
    session.add_all(people)
    await session.flush()
    session.add_all(
        models.Position(person_id=person.id, title=f"Title {n}", start=PartialDate.parse("2020"))
        for n, person in enumerate(people)
    )
    created = []
    for m in range(mechanisms):
        mechanism = models.Mechanism(
            slug=f"{prefix.lower()}-mechanism-{m:03}",
            name=f"{prefix} mechanism {m:03}",
            kind=MechanismKind.DIALOGUE,
            status=MechanismStatus.ACTIVE,
        )
        session.add(mechanism)
        await session.flush()
        created.append(mechanism)
        for n in range(meetings):
            meeting = models.Meeting(
                slug=f"{prefix.lower()}-meeting-{m:03}-{n:03}",
                mechanism_id=mechanism.id,
                title=f"{prefix} meeting {m}/{n}",
                format=MeetingFormat.IN_PERSON,
                status=MeetingStatus.HELD,
                start=PartialDate.parse(f"{2000 + n % 25}-0{1 + n % 9}"),
            )
            session.add(meeting)
            await session.flush()
            session.add_all(
                models.Participation(
                    meeting_id=meeting.id,
                    person_id=person.id,
                    side_country_id=side.id,
                    role=ParticipantRole.PARTICIPANT,
                )
                for person in people
            )
    await session.flush()
    return created
