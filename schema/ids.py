"""Row ids inside Relay global ids: what a client may put there, and what Parley reads."""

MAX_ROW_ID = 2**31 - 1
"""The largest primary key: PostgreSQL's INTEGER (SQLite's would take more, and then break)."""


def row_id(node_id: str) -> int | None:
    """The primary key ``node_id`` spells (ASCII digits, in range), else None.

    ``str.isdigit`` alone lets through "²" (which ``int`` refuses) and numbers no key can hold
    (which the database drivers refuse, each in its own way); neither can name a record.
    """
    if not (node_id.isascii() and node_id.isdigit()):
        return None
    value = int(node_id)
    return value if value <= MAX_ROW_ID else None
