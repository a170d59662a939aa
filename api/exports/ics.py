"""Meetings as an RFC 5545 calendar, through the ``icalendar`` library.

Each dated meeting is one all-day event spanning every day its partial dates may denote
(``2024-H1`` runs from 1 January to 30 June). The UID is the meeting's GraphQL id, so a
calendar that subscribed updates an event instead of adding a second one; SEQUENCE and
LAST-MODIFIED follow the record's version, and DTSTAMP is its last change too, so the same
data gives the same bytes. Meetings without a date have no place in a calendar (DTSTART is
required) and are left out; the CSV export lists them.
"""

import base64
import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from api.models.enums import MeetingStatus
from api.services.exports import ExportedMeeting

PRODID = "-//Parley//Parley meetings export 1.0//EN"
UID_DOMAIN = "parley"
_STATUS = {
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.PLANNED: "TENTATIVE",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def global_id(meeting_id: int) -> str:
    """The meeting's GraphQL id (what `node(id:)` takes)."""
    return base64.b64encode(f"Meeting:{meeting_id}".encode()).decode()


def uid(meeting_id: int) -> str:
    """The event's UID: the meeting's GraphQL id at Parley's name."""
    return f"{global_id(meeting_id)}@{UID_DOMAIN}"


def calendar(meetings: Iterable[ExportedMeeting], *, name: str = "Parley meetings") -> bytes:
    """The iCalendar file of the dated meetings."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        if meeting.start is not None:
            cal.add_component(event(meeting))
    return bytes(cal.to_ical())


def event(meeting: ExportedMeeting) -> Event:
    """One meeting as an all-day VEVENT over the days it may have taken place."""
    assert meeting.start is not None
    last = (meeting.end or meeting.start).latest
    item = Event()
    item.add("uid", uid(meeting.id))
    item.add("dtstamp", meeting.updated_at)
    item.add("created", meeting.created_at)
    item.add("last-modified", meeting.updated_at)
    item.add("sequence", meeting.version - 1)
    item.add("dtstart", meeting.start.earliest)
    item.add("dtend", last + dt.timedelta(days=1))  # exclusive, as RFC 5545 has it for dates
    item.add("summary", meeting.title)
    item.add("transp", "TRANSPARENT")  # a span of possible days blocks no one's time
    if meeting.place:
        item.add("location", meeting.place)
    if meeting.status in _STATUS:
        item.add("status", _STATUS[meeting.status])
    if meeting.mechanism_name:
        item.add("categories", [meeting.mechanism_acronym or meeting.mechanism_name])
    addresses = [s.url for s in meeting.sources if s.url is not None]
    if addresses:
        item.add("url", addresses[0])
    item.add("description", description(meeting))
    # The partial dates as recorded, so a reader of the file can tell 2024-H1 from a span.
    item.add("x-parley-start", str(meeting.start))
    if meeting.end is not None:
        item.add("x-parley-end", str(meeting.end))
    item.add("x-parley-slug", meeting.slug)
    return item


def description(meeting: ExportedMeeting) -> str:
    """What the event's notes show: the summary, date as known, who, what and sources."""
    lines = [part for part in (meeting.sequence_label, meeting.summary) if part]
    when = str(meeting.start) + (f" to {meeting.end}" if meeting.end else "")
    if meeting.date_phrase:
        when += f' ("{meeting.date_phrase}")'
    lines.append(f"Date as recorded: {when}")
    if meeting.mechanism_name:
        lines.append(f"Mechanism: {meeting.mechanism_name}")
    lines.append(f"Format: {meeting.format.value.replace('_', ' ')}")
    lines.append(f"Status: {meeting.status.value}")
    if meeting.participants:
        lines.append("Participants:")
        lines += [
            f"- {p.name} ({p.side}, {p.role.value.replace('_', ' ')})"
            + (f", {p.title}" if p.title else "")
            for p in meeting.participants
        ]
    if meeting.topics:
        lines.append("Topics raised:")
        lines += [f"- {t.name} ({t.raised_by or 'both'}, {t.stance.value})" for t in meeting.topics]
    if meeting.sources:
        lines.append("Sources:")
        lines += [f"- {s.reference}" for s in meeting.sources]
    return "\n".join(lines)
