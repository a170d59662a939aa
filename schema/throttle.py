"""The mutation rate limit, as a schema extension: a mutation over it runs nothing.

It runs after the operation guard (an operation it refused is not counted) and the token
check (a bad token is refused before it spends anything). The database limiter counts on the
request's own connection, in one statement committed by itself, so a burst of mutations never
holds one pooled connection while it waits for another (which would exhaust the pool). Where
the counts live, and why every replica shares them, is :mod:`api.rate_limit`'s business.
"""

import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension

from api import request_state
from api.failures import SERVICE_UNAVAILABLE, database_failure
from api.rate_limit import RateLimitStoreError, retry_after_header
from schema.errors import TOO_MANY_REQUESTS, CodedError
from schema.guard import MESSAGES

logger = logging.getLogger("parley.graphql")

STORE_UNAVAILABLE = "The rate limit's store is unavailable; try again shortly."


class MutationRateLimit(SchemaExtension):
    """Counts each mutation against its client's share (``PARLEY_MUTATION_RATE_LIMIT``)."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        state = request_state.current()
        if (
            context.result is None
            and state is not None
            and state.limiter is not None
            and state.operation_type == "mutation"
        ):
            wait = await _hit(state, getattr(context.context, "db", None))
            if wait is not None:
                seconds = int(retry_after_header(wait))
                error = GraphQLError(
                    f"Too many mutations; retry in {seconds} s.",
                    extensions={"code": TOO_MANY_REQUESTS, "retryAfter": seconds},
                )
                context.result = ExecutionResult(data=None, errors=[error])
        yield


async def _hit(state: request_state.RequestState, db: Any) -> float | None:
    limiter = state.limiter
    assert limiter is not None
    try:
        if limiter.uses_database and db is not None:
            # The request's connection (no second one); the hit is one statement, committed
            # as it ends.
            async with db.writing(statement=True) as session:
                wait = await limiter.hit(state.client_key, session=session)
                await session.commit()
            return wait
        return await limiter.hit(state.client_key)
    except RateLimitStoreError as exc:
        logger.warning("rate limit store unavailable: %s", exc)
        raise CodedError(STORE_UNAVAILABLE, SERVICE_UNAVAILABLE) from exc
    except Exception as exc:
        failure = database_failure(exc)
        if failure is None:
            raise
        logger.warning("database %s while counting a mutation: %r", failure, exc)
        raise CodedError(MESSAGES[failure], failure) from exc
