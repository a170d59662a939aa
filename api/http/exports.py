"""GET /export/meetings.ics and /export/meetings.csv: the meetings as files.

The same rules as reads over /graphql: a token that is sent must be valid (401 otherwise),
and with ``PARLEY_READ_REQUIRES_TOKEN`` one must be sent. Each answer carries an ETag made of
the data version and the request, so a client (a calendar app polling the feed, a CDN)
revalidating with If-None-Match gets 304 without a query running; the rendered file is kept
per data version, so repeated downloads cost one small query. The query parameters filter the
meetings as the GraphQL ``meetings(filter:)`` does: ``mechanism`` (slug, repeatable),
``adHoc`` (true/false), ``status``, ``format``, ``topic`` and ``hostCountry`` (repeatable),
``from`` and ``to`` (partial dates). An unknown parameter or a bad value is 400.
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from starlette.responses import Response

from api.exports import ics, table
from api.failures import database_failure
from api.http.cache import Entry, ResponseCache, etag, matches, read_version
from api.models.enums import MeetingFormat, MeetingStatus
from api.partial_date import InvalidPartialDateError, PartialDate
from api.services import exports, tokens
from api.services.errors import AuthenticationError
from api.services.meetings import MeetingFilter
from api.settings import Settings

ICS = "text/calendar; charset=utf-8"
CSV = "text/csv; charset=utf-8; header=present"
_LISTS = {"mechanism", "status", "format", "topic", "hostCountry"}
_SINGLE = {"adHoc", "from", "to"}
_FILE_OPTIONS = {"csv": {"bom"}, "ics": set[str]()}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class BadParameterError(ValueError):
    """A query parameter that is unknown or whose value cannot be used."""


def _error(status: int, message: str, code: str, **headers: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(json.dumps(body), status, headers, media_type="application/json")


def _boolean(name: str, value: str) -> bool:
    if value.lower() not in _BOOLEANS:
        raise BadParameterError(f"{name} must be true or false, not {value!r}.")
    return _BOOLEANS[value.lower()]


def _date(name: str, value: str | None) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except InvalidPartialDateError as exc:
        raise BadParameterError(f"{name}: {exc}") from exc


def _members(name: str, values: Sequence[str], kind: Any) -> list[Any] | None:
    if not values:
        return None
    try:
        return [kind(value.strip().lower()) for value in values]
    except ValueError as exc:
        allowed = ", ".join(member.value for member in kind)
        raise BadParameterError(f"{name} must be one of {allowed}.") from exc


def meeting_filter(request: Request, file: str) -> MeetingFilter:
    """The filter the query parameters describe; BadParameterError for any bad one."""
    params = request.query_params
    unknown = set(params) - _LISTS - _SINGLE - _FILE_OPTIONS[file]
    if unknown:
        raise BadParameterError(f"Unknown query parameter {sorted(unknown)[0]!r}.")
    for name in _SINGLE | _FILE_OPTIONS[file]:
        if len(params.getlist(name)) > 1:
            raise BadParameterError(f"Give {name} once.")
    if "bom" in params:
        _boolean("bom", params["bom"])
    ad_hoc = params.get("adHoc")
    start, end = _date("from", params.get("from")), _date("to", params.get("to"))
    if start is not None and end is not None and end.latest < start.earliest:
        raise BadParameterError(f"to ({end}) lies before from ({start}).")
    return MeetingFilter(
        mechanism_slugs=params.getlist("mechanism") or None,
        ad_hoc=None if ad_hoc is None else _boolean("adHoc", ad_hoc),
        date_from=start,
        date_to=end,
        statuses=_members("status", params.getlist("status"), MeetingStatus),
        formats=_members("format", params.getlist("format"), MeetingFormat),
        topic_slugs=params.getlist("topic") or None,
        host_country_codes=[c.upper() for c in params.getlist("hostCountry")] or None,
    )


async def _authorized(request: Request, settings: Settings) -> Response | None:
    """None when the request may read; the refusal otherwise."""
    header = request.headers.get("authorization")
    challenge = {"WWW-Authenticate": "Bearer"}
    if header is None:
        if settings.read_requires_token:
            message = "This server requires a token for every request."
            return _error(401, message, "UNAUTHENTICATED", **challenge)
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        message = "Send the token as `Authorization: Bearer <token>`."
        return _error(401, message, "UNAUTHENTICATED", **challenge)
    try:
        async with request.app.state.session_factory() as session:
            await tokens.authenticate(session, token.strip())
    except AuthenticationError as exc:
        return _error(401, str(exc), "UNAUTHENTICATED", **challenge)
    return None


def _key(request: Request, file: str) -> str:
    params = sorted(request.query_params.multi_items())
    canonical = json.dumps([file, params], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _render_ics(meetings: list[exports.ExportedMeeting], _request: Request) -> bytes:
    return ics.calendar(meetings)


def _render_csv(meetings: list[exports.ExportedMeeting], request: Request) -> bytes:
    bom = request.query_params.get("bom")
    return table.table(meetings, bom=True if bom is None else _boolean("bom", bom))


async def _export(
    request: Request, settings: Settings, cache: ResponseCache, file: str
) -> Response:
    refusal = await _authorized(request, settings)
    if refusal is not None:
        return refusal
    try:
        wanted = meeting_filter(request, file)
    except BadParameterError as exc:
        return _error(400, str(exc), "BAD_USER_INPUT")
    media, render, name = (
        (ICS, _render_ics, "parley-meetings.ics")
        if file == "ics"
        else (CSV, _render_csv, "parley-meetings.csv")
    )
    headers = {
        "Cache-Control": "no-cache",
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    key = _key(request, file)
    try:
        version = await read_version(request.app.state.session_factory)
        tag = headers["ETag"] = etag(version, key)
        if matches(request, tag):
            return Response(status_code=304, headers=headers)
        entry = cache.get(key, version)
        if entry is None:
            async with request.app.state.session_factory() as session:
                found = await exports.meetings(session, wanted)
            entry = Entry(version, render(found, request), 200, media)
            cache.put(key, entry)
    except Exception as exc:
        code = database_failure(exc)
        if code is None:
            raise
        status = 504 if code == "TIMEOUT" else 503
        return _error(status, "The database is not available; try again shortly.", code)
    return Response(entry.body, headers=headers, media_type=media)


def install_exports(app: FastAPI, settings: Settings) -> None:
    """Add the export routes to the app."""
    # A handful of filters per data version is the common case; bytes bounded as the
    # response cache is (PARLEY_RESPONSE_CACHE_BYTES).
    cache = ResponseCache(16, settings.response_cache_bytes)

    @app.get("/export/meetings.ics", include_in_schema=False)
    async def meetings_ics(request: Request) -> Response:
        return await _export(request, settings, cache, "ics")

    @app.get("/export/meetings.csv", include_in_schema=False)
    async def meetings_csv(request: Request) -> Response:
        return await _export(request, settings, cache, "csv")
