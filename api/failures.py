"""Which exceptions mean "the database is unavailable" or "took too long".

Drivers are not imported: exceptions are recognised by class name along the cause chain,
so this works for asyncpg and aiosqlite alike (and for whichever is not installed).
"""

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
TIMEOUT = "TIMEOUT"

# A bare TimeoutError is a connection that never came: unavailable, not a slow statement.
_TIMEOUT_CLASSES = frozenset({"QueryCanceledError", "QueryCanceled"})
_TIMEOUT_MESSAGES = ("interrupted", "canceling statement due to statement timeout")
_UNAVAILABLE_CLASSES = frozenset(
    {
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "AdminShutdownError",
        "InterfaceError",
        "DisconnectionError",
        "InternalClientError",
        "TooManyConnectionsError",
        "TimeoutError",
    }
)
_UNAVAILABLE_MESSAGES = (
    "unable to open database file",
    "database is locked",
    "connection is closed",
    "connection was closed",
    "the database system is",
    "is not currently accepting connections",
)
# PostgreSQL error classes that mean "cannot use the database now", whatever the driver:
# connection exceptions, insufficient resources, operator intervention (shutdown, restart),
# a database that does not exist (dropped), refused authorization.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P", "3D", "28")


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return seen


def database_failure(error: BaseException) -> str | None:
    """``TIMEOUT``, ``SERVICE_UNAVAILABLE`` or ``None`` (not a database outage)."""
    for cause in _chain(error):
        names = {cls.__name__ for cls in type(cause).__mro__}
        message = str(cause).lower()
        if names & _TIMEOUT_CLASSES or any(text in message for text in _TIMEOUT_MESSAGES):
            return TIMEOUT
        if getattr(cause, "connection_invalidated", False):
            return SERVICE_UNAVAILABLE
        if isinstance(cause, OSError) or names & _UNAVAILABLE_CLASSES:
            return SERVICE_UNAVAILABLE
        if any(text in message for text in _UNAVAILABLE_MESSAGES):
            return SERVICE_UNAVAILABLE
        sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return SERVICE_UNAVAILABLE
    return None
