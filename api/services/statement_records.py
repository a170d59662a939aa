"""Recording what was said at a meeting: statements with their speaker, source and translations.

A part of recordMeeting / updateMeeting (`statements` / `addStatements`). Each statement names
who said it (a known person by id or by name, an organization, the speaker as reported, the
side), its words and language, whether they are verbatim, and the source they appear in; its
translations are statements of their own, recorded in the same call. Everything is checked
with the rest of the input first; only an input with no problem is written.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.services import attachments, editing, names
from api.services.checks import Items
from api.services.errors import FieldError
from api.services.fields import COUNTRY_CODE, REFERENCE, Field, Kind, Path, check, column_length

_TEXT = Field(Kind.TEXT, required=True, max_length=column_length(models.Statement, "text"))
_LANGUAGE = Field(Kind.LANGUAGE, required=True, max_length=16)
_NOTE = Field(Kind.TEXT, max_length=column_length(models.Statement, "note"))
_SLUG = Field(Kind.SLUG, max_length=column_length(models.Statement, "slug"))
_TRANSLATION = {
    "slug": _SLUG,
    "text": _TEXT,
    "language": _LANGUAGE,
    "verbatim": Field(Kind.VALUE),
    "source": Field(Kind.VALUE),
    "note": _NOTE,
}
_STATEMENT = {
    **_TRANSLATION,
    "verbatim": Field(Kind.VALUE, required=True),
    "source": Field(Kind.VALUE, required=True),
    "person_id": REFERENCE,
    "name": Field(Kind.LINE, max_length=column_length(models.Person, "name")),
    "organization_id": REFERENCE,
    "speaker_as_reported": Field(
        Kind.LINE, max_length=column_length(models.Statement, "speaker_as_reported")
    ),
    "side": COUNTRY_CODE,
    "mechanism_id": REFERENCE,
    "mechanism_slug": Field(Kind.SLUG, max_length=column_length(models.Mechanism, "slug")),
    "said": Field(Kind.PARTIAL_DATE),
    "date_phrase": Field(Kind.LINE, max_length=column_length(models.Statement, "date_phrase")),
    "attribution_doubtful": Field(Kind.VALUE),
    "attribution_note": Field(
        Kind.TEXT, max_length=column_length(models.Statement, "attribution_note")
    ),
    "translations": Field(Kind.VALUE),
}
_SPEAKERS = ("person_id", "name", "organization_id", "speaker_as_reported", "side")
_NOBODY = "Say who said it: personId, name, organizationId, speakerAsReported or side."


async def check_statements(
    session: AsyncSession, _meeting: Any, items: Items, path: Path
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """Each statement cleaned, with its source and translations, and every problem found."""
    cleaned: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    for n, raw in enumerate(items):
        where = (*path, n)
        item, problems = check(raw, _STATEMENT, path=where)
        errors += problems
        if not any(raw.get(k) for k in _SPEAKERS):
            errors.append(FieldError(where, "REQUIRED", _NOBODY))
        if item.get("source") is not None:
            item["source"], problems = attachments.check_source(item["source"], (*where, "source"))
            errors += problems
        item["translations"] = _translations(item.get("translations") or [], where, errors)
        cleaned.append(item)
    errors += await _reference_errors(session, cleaned, path)
    errors += await _slug_errors(session, cleaned, path)
    errors += editing.country_errors(
        {(*path, n, "side"): i.get("side") for n, i in enumerate(cleaned)}
    )
    return cleaned, errors


def _translations(
    items: list[Mapping[str, Any]], where: Path, errors: list[FieldError]
) -> list[dict[str, Any]]:
    cleaned = []
    for t, raw in enumerate(items):
        at = (*where, "translations", t)
        translation, problems = check(raw, _TRANSLATION, path=at)
        errors += problems
        if translation.get("source") is not None:
            source, problems = attachments.check_source(translation["source"], (*at, "source"))
            translation["source"] = source
            errors += problems
        cleaned.append(translation)
    return cleaned


async def _slug_errors(
    session: AsyncSession, cleaned: list[dict[str, Any]], path: Path
) -> list[FieldError]:
    """DUPLICATE for a slug given twice in the input or already taken."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for n, item in enumerate(cleaned):
        given = [((*path, n, "slug"), item.get("slug"))] + [
            ((*path, n, "translations", t, "slug"), tr.get("slug"))
            for t, tr in enumerate(item.get("translations") or [])
        ]
        for where, slug in given:
            if slug is None:
                continue
            if slug in seen:
                errors.append(FieldError(where, "DUPLICATE", f"The slug {slug!r} is given twice."))
            seen.add(slug)
            errors += await editing.taken(session, models.Statement, "slug", slug, where)
    return errors


async def _reference_errors(
    session: AsyncSession, cleaned: list[dict[str, Any]], path: Path
) -> list[FieldError]:
    errors: list[FieldError] = []
    for column, model in (
        ("person_id", models.Person),
        ("organization_id", models.Organization),
        ("mechanism_id", models.Mechanism),
    ):
        wanted = {(*path, n, column): i.get(column) for n, i in enumerate(cleaned)}
        errors += await editing.missing_ids(session, model, wanted)
    slugs = {i["mechanism_slug"] for i in cleaned if i.get("mechanism_slug")}
    known: dict[str, int] = {}
    if slugs:
        rows = await session.execute(
            select(models.Mechanism.slug, models.Mechanism.id).where(
                models.Mechanism.slug.in_(slugs)
            )
        )
        known = dict(rows.all())
    for n, item in enumerate(cleaned):
        slug = item.pop("mechanism_slug", None)
        if slug is None:
            continue
        if slug in known:
            item["mechanism_id"] = known[slug]
        else:
            message = f"No mechanism has slug {slug!r}."
            errors.append(FieldError((*path, n, "mechanism_slug"), "NOT_FOUND", message))
    return errors


async def add_statements(
    session: AsyncSession, meeting: Any, cleaned: list[dict[str, Any]], path: Path
) -> list[Any]:
    """Record the statements made at ``meeting`` (and their translations); returns their slugs."""
    sides = await editing.country_ids(
        session, {(*path, n, "side"): i.get("side") for n, i in enumerate(cleaned)}
    )
    recorded = []
    for n, item in enumerate(cleaned):
        person_id = item.get("person_id")
        if person_id is None and item.get("name"):
            person_id = (await names.person_named(session, item["name"])).id
        speaker = {
            "person_id": person_id,
            "organization_id": item.get("organization_id"),
            "speaker_as_reported": item.get("speaker_as_reported"),
            "side_country_id": sides[(*path, n, "side")],
            "meeting_id": meeting.id,
            "mechanism_id": item.get("mechanism_id"),
            "said": item.get("said") or meeting.start,
            "date_phrase": item.get("date_phrase"),
        }
        statement = await _add(session, item, speaker, (*path, n))
        statement.attribution_doubtful = bool(item.get("attribution_doubtful"))
        statement.attribution_note = item.get("attribution_note")
        recorded.append(statement.slug)
        for t, translation in enumerate(item["translations"]):
            where = (*path, n, "translations", t)
            given = {**translation, "source": translation.get("source") or item["source"]}
            version = await _add(session, given, speaker, where)
            version.translation_of_id = statement.id
            recorded.append(version.slug)
    await session.flush()
    return recorded


async def _add(
    session: AsyncSession, item: Mapping[str, Any], speaker: Mapping[str, Any], path: Path
) -> models.Statement:
    source = await attachments.source_for(session, item["source"])
    slug = item.get("slug")
    if slug is None:
        said = speaker.get("said")
        slug = await editing.new_slug(
            session, models.Statement, None if said is None else str(said), item["text"][:60]
        )
    statement = models.Statement(
        slug=slug,
        text=item["text"],
        language=item["language"],
        verbatim=bool(item.get("verbatim")),
        source_id=source.id,
        note=item.get("note"),
        **speaker,
    )
    session.add(statement)
    await session.flush()
    return statement
