"""The seed data set: every fact of the domain notes, sourced, and loadable any number of times."""

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.db import Base
from api.models import (
    Citation,
    Commitment,
    CommitmentFulfillment,
    Country,
    LocalizedName,
    Mechanism,
    MechanismParty,
    Meeting,
    MeetingPolicyMeasure,
    MeetingTopic,
    Organization,
    Participation,
    Person,
    PolicyMeasure,
    Position,
    Source,
    Topic,
)
from api.models.enums import (
    CommitmentStatus,
    ComplianceVerdict,
    MechanismLevel,
    MechanismStatus,
    MeetingStatus,
    Period,
    SourceKind,
    Stance,
)
from api.models.name import normalize_for_search
from api.services import compliance, seed
from api.services.seed_records import citation
from api.services.seed_store import SeedError

AGREED_ON_2023_08_28 = "2023-08-28-raimondo-wang-wentao-beijing"
SEED = seed.read_documents()


def _seeded(section: str, field: str = "slug") -> list[str]:
    """The keys of a section's records: other tests may add rows of their own."""
    return [record[field] for record in SEED[section]]


def _seeded_source() -> ColumnElement[bool]:
    """The seed's sources: by address, or (without one) by title."""
    urls = [r["url"] for r in SEED["sources"] if r.get("url")]
    titles = [r["title"] for r in SEED["sources"] if not r.get("url")]
    return or_(Source.url.in_(urls), and_(Source.url.is_(None), Source.title.in_(titles)))


async def _row_counts(session: AsyncSession) -> dict[str, int]:
    counts = {}
    for name, table in Base.metadata.tables.items():
        counts[name] = await session.scalar(select(func.count()).select_from(table)) or 0
    return counts


async def _meeting(session: AsyncSession, slug: str) -> Meeting:
    return (await session.scalars(select(Meeting).where(Meeting.slug == slug))).one()


async def _cited_ids(session: AsyncSession, column: Any) -> set[int]:
    return set(await session.scalars(select(column).where(column.is_not(None))))


async def test_loading_again_creates_nothing(session: AsyncSession) -> None:
    # given the seeded database
    before = await _row_counts(session)

    # when the seed is loaded a second time
    created = await seed.load(session)

    # then no table gains a row
    assert created == dict.fromkeys(Base.metadata.tables, 0)
    assert await _row_counts(session) == before


async def test_the_seed_fills_every_table(session: AsyncSession) -> None:
    counts = await _row_counts(session)

    operational = {
        "api_token",
        "idempotency_key",
        "audit_entry",
        "persisted_document",
        "rate_limit_bucket",
    }  # filled by use, not seed
    assert [n for n, count in counts.items() if count == 0 and n not in operational] == []


async def test_reloading_reads_each_table_once(
    session: AsyncSession, statements: list[str]
) -> None:
    await seed.load(session)

    verbs = [statement.split()[0].upper() for statement in statements]
    # the seed has no tokens, keys, audit entries, data version or rate-limit state
    # (nor the calendar, which the migration fills); triggers fill the search index
    operational = {
        "api_token",
        "idempotency_key",
        "audit_entry",
        "data_version",
        "persisted_document",
        "search_document",
        "calendar_period",
        "rate_limit_bucket",
    }
    assert verbs.count("SELECT") == len(set(Base.metadata.tables) - operational)
    assert {"INSERT", "UPDATE", "DELETE"}.isdisjoint(verbs)


async def test_four_mechanisms_were_agreed_on_28_august_2023(session: AsyncSession) -> None:
    meeting = await _meeting(session, AGREED_ON_2023_08_28)
    mechanisms = {
        m.slug: m
        for m in await session.scalars(
            select(Mechanism).where(
                Mechanism.agreed_at_meeting_id == meeting.id,
                Mechanism.slug.in_(_seeded("mechanisms")),
            )
        )
    }

    assert {
        slug: (m.level, m.cadence_times, m.cadence_period, str(m.established))
        for slug, m in mechanisms.items()
    } == {
        "export-control-enforcement-information-exchange": (
            MechanismLevel.ASSISTANT_SECRETARY,
            None,
            None,
            "2023-08-28",
        ),
        "commercial-issues-working-group": (
            MechanismLevel.VICE_MINISTERIAL,
            2,
            Period.YEAR,
            "2023-08-28",
        ),
        "trade-secrets-technical-discussions": (MechanismLevel.EXPERT, None, None, "2023-08-28"),
        "commerce-ministers-communication-channel": (
            MechanismLevel.MINISTERIAL,
            1,
            Period.YEAR,
            "2023-08-28",
        ),
    }
    assert mechanisms["commercial-issues-working-group"].cadence_text == "twice annually"


async def test_each_new_mechanism_has_a_us_and_a_chinese_lead(session: AsyncSession) -> None:
    lead = aliased(Organization)
    rows = await session.execute(
        select(Mechanism.slug, Country.code, lead.acronym)
        .join(MechanismParty, MechanismParty.mechanism_id == Mechanism.id)
        .join(Country, Country.id == MechanismParty.country_id)
        .join(lead, lead.id == MechanismParty.lead_organization_id)
        .where(
            Mechanism.agreed_at_meeting_id.is_not(None),
            Mechanism.slug.in_(_seeded("mechanisms")),
        )
    )
    parties = {(slug, code): acronym for slug, code, acronym in rows}

    assert parties == {
        ("export-control-enforcement-information-exchange", "US"): "BIS",
        ("export-control-enforcement-information-exchange", "CN"): "MOFCOM",
        ("commercial-issues-working-group", "US"): "ITA",
        ("commercial-issues-working-group", "CN"): "MOFCOM",
        ("trade-secrets-technical-discussions", "US"): "DOC",
        ("trade-secrets-technical-discussions", "CN"): "MOFCOM",
        ("commerce-ministers-communication-channel", "US"): "DOC",
        ("commerce-ministers-communication-channel", "CN"): "MOFCOM",
    }


async def test_the_working_group_is_found_by_its_chinese_name(session: AsyncSession) -> None:
    found = await session.scalars(
        select(Mechanism.slug)
        .join(LocalizedName, LocalizedName.mechanism_id == Mechanism.id)
        .where(LocalizedName.normalized == normalize_for_search("中美商贸工作组"))
    )

    assert list(found) == ["commercial-issues-working-group"]


async def test_the_august_2023_visit_groups_its_meetings(session: AsyncSession) -> None:
    visit = await _meeting(session, "2023-08-raimondo-visit-to-china")
    children = await session.scalars(
        select(Meeting.slug).where(Meeting.parent_id == visit.id).order_by(Meeting.slug)
    )

    assert (str(visit.start), str(visit.end)) == ("2023-08-27", "2023-08-30")
    assert list(children) == [
        "2023-08-28-raimondo-us-business-leaders-beijing",
        "2023-08-28-raimondo-wang-wentao-beijing",
        "2023-08-29-export-control-information-exchange-beijing",
        "2023-08-29-raimondo-he-lifeng",
        "2023-08-29-raimondo-hu-heping",
        "2023-08-29-raimondo-li-qiang",
    ]


@pytest.mark.parametrize("query", ["王文涛", "wang wentao", "  Wang Wentao "])
async def test_wang_wentao_is_found_by_every_name(session: AsyncSession, query: str) -> None:
    found = await session.scalars(
        select(Person.slug)
        .join(LocalizedName, LocalizedName.person_id == Person.id)
        .where(LocalizedName.normalized == normalize_for_search(query))
    )

    assert list(found) == ["wang-wentao"]


@pytest.mark.parametrize(
    ("model", "owner", "section"),
    [
        (Person, LocalizedName.person_id, "people"),
        (Organization, LocalizedName.organization_id, "organizations"),
        (Mechanism, LocalizedName.mechanism_id, "mechanisms"),
        (Topic, LocalizedName.topic_id, "topics"),
        (PolicyMeasure, LocalizedName.policy_measure_id, "policy_measures"),
    ],
)
async def test_every_named_record_carries_its_primary_name_in_english(
    session: AsyncSession, model: Any, owner: Any, section: str
) -> None:
    named_in_english = (
        select(LocalizedName.id)
        .where(owner == model.id, LocalizedName.language == "en", LocalizedName.text == model.name)
        .exists()
    )
    unnamed = await session.scalars(
        select(model.slug).where(model.slug.in_(_seeded(section)), ~named_in_english)
    )

    assert list(unnamed) == []


@pytest.mark.parametrize(
    ("model", "cited", "section"),
    [
        (Mechanism, Citation.mechanism_id, "mechanisms"),
        (Meeting, Citation.meeting_id, "meetings"),
        (Commitment, Citation.commitment_id, "commitments"),
        (PolicyMeasure, Citation.policy_measure_id, "policy_measures"),
    ],
)
async def test_every_record_has_a_source(
    session: AsyncSession, model: Any, cited: Any, section: str
) -> None:
    ids = set(await session.scalars(select(model.id).where(model.slug.in_(_seeded(section)))))

    assert len(ids) == len(SEED[section])
    assert ids - await _cited_ids(session, cited) == set()


async def test_every_position_has_a_source(session: AsyncSession) -> None:
    positions = set(
        await session.scalars(
            select(Position.id)
            .join(Person, Person.id == Position.person_id)
            .where(Person.slug.in_(_seeded("people")))
        )
    )

    assert positions
    assert positions - await _cited_ids(session, Citation.position_id) == set()


async def test_every_topic_raised_has_a_source(session: AsyncSession) -> None:
    raised = set(
        await session.scalars(
            select(MeetingTopic.id)
            .join(Meeting, Meeting.id == MeetingTopic.meeting_id)
            .where(Meeting.slug.in_(_seeded("meetings")))
        )
    )

    assert raised
    assert raised - await _cited_ids(session, Citation.meeting_topic_id) == set()


async def test_every_participation_naming_a_person_has_a_source(session: AsyncSession) -> None:
    named = set(
        await session.scalars(
            select(Participation.id)
            .join(Meeting, Meeting.id == Participation.meeting_id)
            .where(Meeting.slug.in_(_seeded("meetings")), Participation.person_id.is_not(None))
        )
    )

    assert named
    assert named - await _cited_ids(session, Citation.participation_id) == set()


async def test_every_citation_quotes_or_paraphrases_its_source(session: AsyncSession) -> None:
    bare = await session.scalars(
        select(Citation.id)
        .join(Source, Source.id == Citation.source_id)
        .where(
            _seeded_source(),
            Citation.quote.is_(None),
            Citation.note.is_(None),
        )
    )

    assert list(bare) == []


async def test_mirrors_point_to_the_official_original(session: AsyncSession) -> None:
    original = aliased(Source)
    pairs = await session.execute(
        select(Source.url, Source.kind, original.url, original.title, original.kind)
        .join(original, original.id == Source.original_id)
        .where(_seeded_source())
    )
    found = {pair[0]: tuple(pair[1:]) for pair in pairs}

    by_key = {r["key"]: r for r in SEED["sources"]}
    expected = {
        r["url"]: (
            SourceKind.SECONDARY_MIRROR,
            by_key[r["original"]].get("url"),
            by_key[r["original"]].get("title"),
            SourceKind(by_key[r["original"]]["kind"]),
        )
        for r in SEED["sources"]
        if r.get("original")
    }
    assert found == expected
    licht = "https://licht-journal.com/business/readout-of-secretary-raimondos-meeting-with-minister-of-commerce-of-china-wang-wentao/"
    assert found[licht][1] == (
        "https://www.commerce.gov/news/press-releases/2023/11/"
        "readout-secretary-raimondos-meeting-minister-commerce-china-wang-wentao"
    )


async def test_mirrors_without_a_known_original_say_so(session: AsyncSession) -> None:
    orphans = list(
        await session.scalars(
            select(Source).where(
                _seeded_source(),
                Source.kind == SourceKind.SECONDARY_MIRROR,
                Source.original_id.is_(None),
            )
        )
    )

    assert orphans
    for mirror in orphans:
        assert mirror.note is not None
        assert "not quote" in mirror.note


async def test_the_source_to_avoid_is_not_used(session: AsyncSession) -> None:
    used = await session.scalar(select(func.count()).where(Source.url.contains("wttlonline")))

    assert used == 0


async def test_the_chinese_lead_of_the_export_control_meeting_is_not_invented(
    session: AsyncSession,
) -> None:
    meeting = await _meeting(session, "2023-08-29-export-control-information-exchange-beijing")
    sides = await session.execute(
        select(Country.code, Person.slug, Participation.name_as_reported, Organization.acronym)
        .join(Country, Country.id == Participation.side_country_id)
        .outerjoin(Person, Person.id == Participation.person_id)
        .outerjoin(Organization, Organization.id == Participation.organization_id)
        .where(Participation.meeting_id == meeting.id)
        .order_by(Country.code)
    )

    assert [tuple(row) for row in sides] == [
        ("CN", None, None, "MOFCOM"),
        ("US", "matthew-axelrod", None, None),
    ]
    assert meeting.note is not None
    assert "not named" in meeting.note


async def test_unverified_facts_are_unknown_and_explained(session: AsyncSession) -> None:
    planned = await _meeting(session, "2024-01-trade-secrets-technical-discussions")
    commitments = await session.scalars(
        select(Commitment).where(Commitment.slug.like("trade-secrets-%"))
    )

    assert (planned.status, str(planned.start)) == (MeetingStatus.UNKNOWN, "2024-01")
    assert planned.note is not None
    for commitment in commitments:
        assert commitment.status == CommitmentStatus.UNKNOWN
        assert commitment.status_note is not None


async def test_the_only_ced_round_is_flagged_as_unverified(session: AsyncSession) -> None:
    ced = (
        await session.scalars(
            select(Mechanism).where(Mechanism.slug == "comprehensive-economic-dialogue")
        )
    ).one()

    assert ced.status == MechanismStatus.DORMANT
    assert ced.note is not None
    assert "unverified" in ced.note


async def test_predecessors_chain_the_earlier_dialogues(session: AsyncSession) -> None:
    predecessor = aliased(Mechanism)
    chain = await session.execute(
        select(Mechanism.acronym, predecessor.acronym)
        .join(predecessor, predecessor.id == Mechanism.predecessor_id)
        .where(Mechanism.slug.in_(_seeded("mechanisms")))
    )

    assert dict(chain.all()) == {"S&ED": "SED", "CED": "S&ED"}


async def test_commitment_statuses_follow_the_notes(session: AsyncSession) -> None:
    rows = await session.execute(select(Commitment.slug, Commitment.status))
    statuses = dict(rows.all())

    assert statuses["ciwg-meet-twice-annually"] == CommitmentStatus.FULFILLED
    assert statuses["ciwg-first-meeting-in-us-early-2024"] == CommitmentStatus.PARTIALLY_FULFILLED
    assert statuses["ministers-meet-in-person-annually"] == CommitmentStatus.UNKNOWN
    assert statuses["trade-secrets-technical-discussions"] == CommitmentStatus.UNKNOWN


async def test_the_working_group_cadence_is_met_by_two_meetings_in_2024(
    session: AsyncSession,
) -> None:
    commitment = (
        await session.scalars(
            select(Commitment).where(Commitment.slug == "ciwg-meet-twice-annually")
        )
    ).one()

    found = await compliance.evaluate(session, [commitment.id], dt.date(2024, 12, 31))

    (year,) = found[commitment.id].periods
    slugs = await session.scalars(
        select(Meeting.slug).where(Meeting.id.in_(year.meeting_ids)).order_by(Meeting.slug)
    )
    # the preparatory video call of 6 Feb 2024 is unlinked by an editor: it does not count
    assert (str(year.period), year.verdict, list(slugs)) == (
        "2024",
        ComplianceVerdict.KEPT,
        [
            "2024-04-04-ciwg-inaugural-vice-ministerial-meeting",
            "2024-09-ciwg-second-vice-ministerial-meeting",
        ],
    )
    links = await session.scalars(
        select(CommitmentFulfillment.counts).where(
            CommitmentFulfillment.commitment_id == commitment.id
        )
    )
    assert sorted(links) == [False, True, True]


async def test_the_second_working_group_meeting_is_dated_by_its_end(session: AsyncSession) -> None:
    meeting = await _meeting(session, "2024-09-ciwg-second-vice-ministerial-meeting")

    assert (str(meeting.start), str(meeting.end)) == ("2024-09", "2024-09-07")
    assert meeting.date_phrase is not None


async def test_wang_raised_five_concerns_on_28_august_2023(session: AsyncSession) -> None:
    meeting = await _meeting(session, AGREED_ON_2023_08_28)
    raised_by_china: ColumnElement[bool] = Country.code == "CN"
    concerns = await session.scalars(
        select(Topic.slug)
        .join(MeetingTopic, MeetingTopic.topic_id == Topic.id)
        .join(Country, Country.id == MeetingTopic.raised_by_country_id)
        .where(
            MeetingTopic.meeting_id == meeting.id,
            MeetingTopic.stance == Stance.CONCERN,
            raised_by_china,
        )
        .order_by(Topic.slug)
    )

    assert list(concerns) == [
        "investment-restrictions",
        "sanctions",
        "section-301-tariffs",
        "semiconductors",
        "subsidies",
    ]


async def test_the_measures_that_came_up_on_28_august_2023(session: AsyncSession) -> None:
    meeting = await _meeting(session, AGREED_ON_2023_08_28)
    measures = await session.scalars(
        select(PolicyMeasure.slug)
        .join(MeetingPolicyMeasure, MeetingPolicyMeasure.policy_measure_id == PolicyMeasure.id)
        .where(MeetingPolicyMeasure.meeting_id == meeting.id)
        .order_by(PolicyMeasure.slug)
    )

    assert list(measures) == [
        "cn-gallium-germanium-export-controls",
        "cn-micron-critical-infrastructure-ban",
        "us-advanced-computing-export-controls",
        "us-eo-14105-outbound-investment",
    ]


async def test_gallium_controls_carry_their_instrument_and_dates(session: AsyncSession) -> None:
    measure = (
        await session.scalars(
            select(PolicyMeasure).where(
                PolicyMeasure.slug == "cn-gallium-germanium-export-controls"
            )
        )
    ).one()

    assert measure.instrument == "MOFCOM/GAC Announcement No. 23 [2023]"
    assert (str(measure.announced), str(measure.effective)) == ("2023-07-03", "2023-08-01")


def test_a_quoted_citation_needs_its_quote() -> None:
    with pytest.raises(SeedError):
        citation({"note": "a paraphrase belongs in a plain string"})
