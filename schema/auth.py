"""Who may do what: a bad token fails any operation; writes need a token with the scope."""

import logging
from collections.abc import AsyncIterator

from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import SchemaExtension

from api.failures import database_failure
from api.models import Scope
from api.services.errors import AuthenticationError, ServiceError
from api.services.tokens import Actor
from schema.context import Context, Info
from schema.errors import CodedError, from_service
from schema.guard import MESSAGES

logger = logging.getLogger("parley.graphql")


class Authentication(SchemaExtension):
    """Checks the request's token before anything runs.

    A token that is unknown, expired or revoked fails the operation (UNAUTHENTICATED), even
    a read; reads without a token are public unless PARLEY_READ_REQUIRES_TOKEN is set.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            try:
                actor = await context.actor()
            except ServiceError as exc:
                raise from_service(exc) from exc
            except Exception as exc:
                # The token lookup is the first query: it meets a database outage first.
                failure = database_failure(exc)
                if failure is None:
                    raise
                logger.warning("database %s while checking a token: %r", failure, exc)
                raise CodedError(MESSAGES[failure], failure) from exc
            if actor is None and context.settings.read_requires_token:
                raise CodedError(
                    "This server requires a token for every request.", "UNAUTHENTICATED"
                )
        yield


async def require(info: Info, scope: Scope) -> Actor:
    """The actor behind the request, if its token grants ``scope``; a coded error otherwise."""
    try:
        actor = await info.context.actor()
    except AuthenticationError as exc:
        raise from_service(exc) from exc
    if actor is None:
        raise CodedError(
            "Writing needs a token: send `Authorization: Bearer <token>` "
            "(create one with `parley tokens create`).",
            "UNAUTHENTICATED",
        )
    if not actor.may(scope):
        raise CodedError(
            f"The token {actor.name!r} has scope {actor.scope.value}; this needs {scope.value}.",
            "FORBIDDEN",
        )
    return actor


async def authenticate_connection(context: Context) -> None:
    """A WebSocket's ``connection_init``: the same token rules as an HTTP request.

    The token comes from the ``connection_init`` payload (``{"Authorization": "Bearer …"}``,
    ``{"headers": {"Authorization": …}}`` or ``{"token": "…"}``), else from the handshake's
    ``Authorization`` header. A bad token, or none where PARLEY_READ_REQUIRES_TOKEN is set,
    refuses the connection (close code 4403); the connection's operations then run as the
    token's actor.
    """
    offered = _offered_authorization(context.connection_params)
    if offered is not None:
        context.use_authorization(offered)
    try:
        actor = await context.actor()
    except AuthenticationError as exc:
        raise ConnectionRejectionError({"message": str(exc), "code": "UNAUTHENTICATED"}) from exc
    finally:
        await context.db.release()
    if actor is None and context.settings.read_requires_token:
        raise ConnectionRejectionError(
            {
                "message": "This server requires a token for every request.",
                "code": "UNAUTHENTICATED",
            }
        )


def _offered_authorization(params: object) -> str | None:
    if not isinstance(params, dict):
        return None
    headers = params.get("headers")
    for source in (params, headers if isinstance(headers, dict) else {}):
        for key, value in source.items():
            if isinstance(key, str) and key.lower() == "authorization" and isinstance(value, str):
                return value
    for key in ("token", "authToken"):
        value = params.get(key)
        if isinstance(value, str):
            return f"Bearer {value}"
    return None
