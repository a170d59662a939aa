"""Top-level GraphQL errors that carry an ``extensions.code`` clients can branch on."""

from graphql import GraphQLError

from api.services.errors import ServiceError


class CodedError(GraphQLError):
    """A GraphQL error with a machine-readable code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


def bad_user_input(message: str) -> CodedError:
    """The client sent an argument that cannot be used."""
    return CodedError(message, "BAD_USER_INPUT")


def from_service(error: ServiceError) -> CodedError:
    """The GraphQL form of an expected failure raised by a service."""
    return CodedError(str(error), error.code)


# The codes of top-level errors (``extensions.code``); the README lists them with HTTP statuses.
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
TOO_MANY_REQUESTS = "TOO_MANY_REQUESTS"
TIMEOUT = "TIMEOUT"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
