"""HTTP hardening around the GraphQL endpoint: request ids and access logs, CORS, the
body-size limit, the mutation rate limiter, and the GraphQL-over-HTTP router (status codes,
media types, timeouts) in :mod:`api.http.router`."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.http.last_resort import LastResortMiddleware
from api.http.middleware import BodyLimitMiddleware, RequestContextMiddleware
from api.rate_limit import RateLimiter, create_limiter
from api.request_state import count_statements
from api.settings import Settings

EXPOSED_HEADERS = ["ETag", "X-Request-ID", "X-Parley-Cache", "Retry-After"]
"""Response headers a page's script may read (the rest CORS hides from it)."""


def install_middleware(
    app: FastAPI, settings: Settings, *, limiter: RateLimiter | None = None
) -> None:
    """The last-resort guard (errors always in JSON with a code), request id and access log,
    then CORS (so refusals carry its headers), then the body limit (before anything reads the
    body): outermost first.

    The mutation rate limiter is ``limiter``, else the shared one the settings ask for
    (:func:`api.rate_limit.create_limiter`); it is kept as ``app.state.rate_limiter``."""
    count_statements()
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "OPTIONS"],
        # "*": a preflight from an allowed origin gets the headers it asks for (Apollo's
        # client name, tracing headers ...); other origins get no CORS headers at all.
        allow_headers=settings.cors_allow_headers,
        expose_headers=EXPOSED_HEADERS,
        max_age=settings.cors_max_age,
    )
    if limiter is None:
        limiter = create_limiter(settings, lambda: app.state.session_factory)
    app.state.rate_limiter = limiter
    app.add_middleware(RequestContextMiddleware, limiter=limiter, access_log=settings.access_log)
    app.add_middleware(LastResortMiddleware)
