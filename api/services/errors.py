"""Expected failures the services raise; the GraphQL layer turns them into typed errors."""


class ServiceError(Exception):
    """Base of every expected failure."""

    code = "BAD_USER_INPUT"


class InvalidArgumentError(ServiceError):
    """An argument the client sent cannot be used (a bad cursor, too large a page ...)."""


class NotFoundError(ServiceError):
    """A record the client named does not exist."""

    code = "NOT_FOUND"
