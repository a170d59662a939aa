"""Recording what was said at a meeting: statements with their speaker, source and translations.

A part of recordMeeting / updateMeeting (`statements` / `addStatements`). Each statement names
who said it (a known person by id or by name, an organization, the speaker as reported, the
side), its words and language, whether they are verbatim, and the source they appear in; its
translations are statements of their own, recorded in the same call.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api import models
from api.services import attachments, editing, names
from api.services.errors import FieldError, UserInputError
from api.services.fields import (
    COUNTRY_CODE,
    REFERENCE,
    Field,
    Kind,
    Path,
    clean,
    collect,
    column_length,
)

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


def _check(items: list[Mapping[str, Any]], path: Path) -> list[dict[str, Any]]:
    """Each statement and translation cleaned, with its source; all problems at once."""
    cleaned: list[dict[str, Any]] = []
    problems: list[FieldError] = []
    for n, raw in enumerate(items):
        where = (*path, n)
        try:
            item = clean(raw, _STATEMENT, path=where)
        except UserInputError as exc:
            problems += exc.errors
            item = {k: v for k, v in raw.items() if k in ("source", "translations")}
        if not any(raw.get(k) for k in _SPEAKERS):
            message = "Say who said it: personId, name, organizationId, speakerAsReported or side."
            problems.append(FieldError(where, "REQUIRED", message))
        if item.get("source") is not None:
            item["source"] = _source(item["source"], (*where, "source"), problems)
        item["translations"] = _translations(item.get("translations") or [], where, problems)
        cleaned.append(item)
    collect(problems)
    return cleaned


def _translations(
    items: list[Mapping[str, Any]], where: Path, problems: list[FieldError]
) -> list[dict[str, Any]]:
    cleaned = []
    for t, raw in enumerate(items):
        at = (*where, "translations", t)
        try:
            translation = clean(raw, _TRANSLATION, path=at)
        except UserInputError as exc:
            problems += exc.errors
            continue
        if translation.get("source") is not None:
            translation["source"] = _source(translation["source"], (*at, "source"), problems)
        cleaned.append(translation)
    return cleaned


def _source(value: Mapping[str, Any], path: Path, problems: list[FieldError]) -> Any:
    try:
        return attachments.check_sources([value], path[:-1], name=str(path[-1]))[0]
    except UserInputError as exc:
        problems.extend(exc.errors)
        return None


async def add_statements(
    session: AsyncSession, meeting: Any, items: list[Mapping[str, Any]], path: Path
) -> list[Any]:
    """Record the statements made at ``meeting`` (and their translations); returns their slugs."""
    cleaned = _check(items, path)
    await _check_references(session, cleaned, path)
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
            version = await _add(session, {"source": item["source"], **translation}, speaker, where)
            version.translation_of_id = statement.id
            recorded.append(version.slug)
    await session.flush()
    return recorded


async def _check_references(
    session: AsyncSession, cleaned: list[dict[str, Any]], path: Path
) -> None:
    problems: list[FieldError] = []
    for column, model in (
        ("person_id", models.Person),
        ("organization_id", models.Organization),
        ("mechanism_id", models.Mechanism),
    ):
        wanted = {(*path, n, column): i.get(column) for n, i in enumerate(cleaned)}
        problems += await editing.missing_ids(session, model, wanted)
    for n, item in enumerate(cleaned):
        slug = item.pop("mechanism_slug", None)
        if slug is None:
            continue
        try:
            mechanism = await editing.by_slug(
                session, models.Mechanism, slug, (*path, n, "mechanism_slug")
            )
        except UserInputError as exc:
            problems += exc.errors
        else:
            item["mechanism_id"] = mechanism.id
    collect(problems)


async def _add(
    session: AsyncSession, item: Mapping[str, Any], speaker: Mapping[str, Any], path: Path
) -> models.Statement:
    source = await attachments.source_for(session, item["source"])
    slug = item.get("slug")
    if slug is not None:
        slug = await editing.free_value(
            session, models.Statement, "slug", slug, (*path, "slug"), exclude_id=None
        )
    else:
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
