"""Today, in UTC: the default date every computed verdict is taken as of."""

import datetime as dt


def today() -> dt.date:
    """The current date in UTC."""
    return dt.datetime.now(dt.UTC).date()
