"""Meetings as a CSV table a spreadsheet opens as it is: one row per meeting.

UTF-8 (Chinese names intact), RFC 4180 quoting and CRLF line ends. A byte order mark leads by
default, because Excel reads a CSV without one in the machine's legacy code page and garbles
every non-Latin name; LibreOffice, Numbers, Google Sheets and ``encoding="utf-8-sig"`` skip
it, and ``bom=False`` leaves it out. A text cell that a spreadsheet would take for a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``,
as OWASP advises against CSV injection; the data is text, so nothing legitimate is lost.
"""

import csv
import io
from collections.abc import Iterable

from api.exports.ics import global_id
from api.services.exports import ExportedMeeting

BOM = "\ufeff"
COLUMNS = (
    "id",
    "slug",
    "title",
    "sequence_label",
    "mechanism",
    "mechanism_name",
    "status",
    "format",
    "start",
    "end",
    "earliest_day",
    "latest_day",
    "date_phrase",
    "place",
    "host_country",
    "participants",
    "topics",
    "sources",
    "summary",
    "version",
    "updated_at",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(cell: str) -> str:
    """The cell as text no spreadsheet evaluates."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _row(meeting: ExportedMeeting) -> list[str]:
    last = meeting.end or meeting.start
    participants = "; ".join(
        f"{p.name} ({p.side}, {p.role.value}{', ' + p.title if p.title else ''})"
        for p in meeting.participants
    )
    topics = "; ".join(
        f"{t.slug} ({t.raised_by or 'both'}, {t.stance.value})" for t in meeting.topics
    )
    cells = [
        global_id(meeting.id),
        meeting.slug,
        meeting.title,
        meeting.sequence_label or "",
        meeting.mechanism_slug or "",
        meeting.mechanism_name or "",
        meeting.status.value,
        meeting.format.value,
        str(meeting.start or ""),
        str(meeting.end or ""),
        meeting.start.earliest.isoformat() if meeting.start else "",
        last.latest.isoformat() if last else "",
        meeting.date_phrase or "",
        meeting.place or "",
        meeting.host_country or "",
        participants,
        topics,
        " ".join(s.reference for s in meeting.sources),
        meeting.summary or "",
        str(meeting.version),
        meeting.updated_at.isoformat(timespec="seconds"),
    ]
    return [safe(cell) for cell in cells]


def table(meetings: Iterable[ExportedMeeting], *, bom: bool = True) -> bytes:
    """The CSV file: a header row, then one row per meeting."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(meeting) for meeting in meetings)
    return ((BOM if bom else "") + out.getvalue()).encode("utf-8")
