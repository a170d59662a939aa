"""Expected failures the services raise; the GraphQL layer turns them into typed errors."""

import dataclasses
from collections.abc import Sequence


class ServiceError(Exception):
    """Base of every expected failure."""

    code = "BAD_USER_INPUT"


class InvalidArgumentError(ServiceError):
    """An argument the client sent cannot be used (a bad cursor, too large a page ...)."""


class NotFoundError(ServiceError):
    """A record the client named does not exist."""

    code = "NOT_FOUND"


class AuthenticationError(ServiceError):
    """No valid token: missing where one is needed, unknown, expired or revoked."""

    code = "UNAUTHENTICATED"


class PermissionDeniedError(ServiceError):
    """The token is valid but its scope does not allow the operation."""

    code = "FORBIDDEN"


@dataclasses.dataclass(frozen=True)
class FieldError:
    """One thing wrong with an input: where (a path of input fields), a code and a message."""

    field: tuple[str | int, ...]
    code: str
    message: str


class UserInputError(ServiceError):
    """The input of a write cannot be accepted; nothing was written."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, field: Sequence[str | int], code: str, message: str) -> "UserInputError":
        """A single field error."""
        return cls([FieldError(tuple(field), code, message)])


@dataclasses.dataclass(frozen=True)
class Refused:
    """A value the API layer could not decode (a malformed id): checks report its error along
    with every other problem of the input instead of stopping at it."""

    error: FieldError


def failed_under(errors: Sequence[FieldError], path: Sequence[str | int]) -> set[str | int]:
    """The parts directly under ``path`` that some error points into."""
    depth = len(path)
    return {
        error.field[depth]
        for error in errors
        if len(error.field) > depth and tuple(error.field[:depth]) == tuple(path)
    }
