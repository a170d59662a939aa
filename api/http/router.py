"""The /graphql endpoint as the GraphQL-over-HTTP specification asks.

On top of the GraphiQL-serving router:

- media types: a client whose ``Accept`` names ``application/graphql-response+json`` gets
  that type; then a request that fails before execution (parse, validation, variable
  coercion, an operation limit) is HTTP 400 without a ``data`` entry. With
  ``application/json`` (and no ``Accept``) such responses stay 200, as the spec allows.
- request-level conditions have their own status whatever the media type: 429
  (TOO_MANY_REQUESTS, with ``Retry-After``), 503 (SERVICE_UNAVAILABLE), 504 (TIMEOUT).
- requests that are not GraphQL requests at all (bad JSON, a form post, batching, a
  mutation over GET) are answered in JSON with ``extensions.code`` BAD_REQUEST, never in
  plain text; a mutation over GET is 405 with ``Allow: POST``.
- every operation runs under ``request_timeout``.
- a last line of defence: an error that somehow lacks a code is masked as
  INTERNAL_SERVER_ERROR.

This module is HTTP only; it never imports ``schema``.
"""

import asyncio
import dataclasses
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.fastapi.router import Context
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.typevars import RootValue
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from api.graphiql import GraphQLRouter
from api.http.cache import GRAPHQL_RESPONSE, JSON
from api.http.cache import wants_graphql_response as accepts_graphql_response
from api.http.payload import PayloadError, load_json
from api.http.websocket import TRY_AGAIN_LATER, TextFrames, TransportWSHandler
from api.rate_limit import retry_after_header
from api.request_state import current

logger = logging.getLogger("parley.graphql")

REQUEST_ERROR_CODES = frozenset(
    {
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
        # Persisted queries (schema/persisted.py): with application/json these stay 200,
        # which every APQ client understands; Apollo Client reads a 4xx body as well.
        "PERSISTED_QUERY_NOT_FOUND",
        "PERSISTED_QUERY_NOT_SUPPORTED",
        "PERSISTED_QUERY_REQUIRED",
    }
)
STATUS_BY_CODE = {
    "SERVICE_UNAVAILABLE": 503,
    "TIMEOUT": 504,
    "TOO_MANY_REQUESTS": 429,
    "BAD_REQUEST": 400,  # a malformed request (a persisted-query hash that is not the text's)
}
DOCUMENT_ID_FIELDS = ("documentId", "doc_id")
"""Where clients put a trusted document's id outside ``extensions`` (GraphQL-over-HTTP's
persisted-documents draft; Relay's convention)."""
TIMEOUT_MESSAGE = "The operation took too long and was cancelled."
MASKED_MESSAGE = "Internal server error; quote the requestId when reporting it."


class PayloadRefusal(HTTPException):
    """A 400 for a body or ``variables`` that is JSON no request can use (see payload.py)."""

    def __init__(self, reason: str, subcode: str) -> None:
        super().__init__(400, reason)
        self.subcode = subcode


def wants_graphql_response(request: Request) -> bool:
    """True when the client accepts ``application/graphql-response+json``."""
    return accepts_graphql_response(request.headers.get("accept", ""))


def encode_json(data: object) -> bytes:
    """A response body. orjson: several times faster than the standard library, and UTF-8
    rather than ``\\u`` escapes for CJK text. orjson refuses integers beyond 64 bits, which a
    client can make a response carry (in a variable echoed back, or a cost computed from one):
    the standard library writes those."""
    try:
        return orjson.dumps(data)
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def error_body(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    """A response body holding one top-level error."""
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


def response_status(body: GraphQLHTTPResponse, *, graphql_response: bool) -> int:
    """The HTTP status for a GraphQL response body."""
    errors: list[dict[str, Any]] = cast("list[dict[str, Any]]", body.get("errors") or [])
    codes = [str((error.get("extensions") or {}).get("code")) for error in errors]
    for code, status in STATUS_BY_CODE.items():
        if code in codes:
            return status
    failed_before_execution = (
        bool(errors)
        and body.get("data") is None
        and all(
            code in REQUEST_ERROR_CODES and "path" not in error
            for code, error in zip(codes, errors, strict=True)
        )
    )
    return 400 if graphql_response and failed_before_execution else 200


class ParleyGraphQLRouter(GraphQLRouter[Context, RootValue]):
    """The GraphQL router with Parley's HTTP behaviour (see the module docstring), and
    GraphQL over WebSocket (:mod:`api.http.websocket`)."""

    graphql_transport_ws_handler_class = TransportWSHandler
    websocket_adapter_class = TextFrames  # type: ignore[assignment]

    def __init__(
        self,
        *args: Any,
        request_timeout: float,
        on_connect: Callable[[Any], Awaitable[None]] | None = None,
        max_connections: int = 1000,
        keepalive: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.request_timeout = request_timeout
        self.on_connect = on_connect
        self.max_connections = max_connections
        self.keepalive = keepalive
        self.open_connections = 0

    async def run(  # type: ignore[override]
        self,
        request: Request | WebSocket,
        context: Context = UNSET,
        root_value: RootValue | None = UNSET,
    ) -> Response | WebSocket:
        """Serve one request (the response cache, when on, sits in front: api.http.cache)."""
        if isinstance(request, WebSocket):
            return await self._serve_websocket(request, context, root_value)
        return await self._serve(request, context, root_value)

    async def _serve_websocket(
        self, websocket: WebSocket, context: Context, root_value: RootValue | None
    ) -> WebSocket:
        """One WebSocket connection, unless this process already holds its limit of them."""
        if self.open_connections >= self.max_connections:
            await websocket.accept(subprotocol=await self.pick_websocket_subprotocol(websocket))
            await websocket.close(TRY_AGAIN_LATER, "too many connections; try again later")
            return websocket
        self.open_connections += 1
        try:
            return await super().run(websocket, context, root_value)
        finally:
            self.open_connections -= 1

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """``connection_init``: authenticate (the hook raises to refuse the connection)."""
        if self.on_connect is not None:
            await self.on_connect(context)
        unset: UnsetType = UNSET
        return unset

    def should_render_graphql_ide(self, request: Any) -> bool:
        """GraphiQL's page for a browser's GET of /graphql, not for a GET that names a
        persisted query (which has no ``query`` either)."""
        params = request.query_params
        if any(params.get(name) for name in ("extensions", *DOCUMENT_ID_FIELDS)):
            return False
        return bool(super().should_render_graphql_ide(request))

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The request's GraphQL fields; a ``documentId`` outside ``extensions`` is moved in."""
        data = await super().parse_http_body(request)
        if isinstance(data, list) or data.query is not None:
            return data
        raw = (
            self.parse_query_params(request.query_params)
            if request.method == "GET"
            else self.parse_json(await request.get_body())
        )
        found = next(
            (raw[name] for name in DOCUMENT_ID_FIELDS if isinstance(raw, dict) and name in raw),
            None,
        )
        if not isinstance(found, str):
            return data
        return dataclasses.replace(
            data, extensions={**(data.extensions or {}), "documentId": found}
        )

    def encode_json(self, data: object) -> bytes:
        """The response body: :func:`encode_json`."""
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        """The request's JSON; what is not usable JSON (deeply nested, not UTF-8) is a 400."""
        try:
            return load_json(data)
        except PayloadError as exc:
            raise PayloadRefusal(str(exc), exc.subcode) from exc

    async def _serve(
        self, request: Request, context: Context, root_value: RootValue | None
    ) -> Response:
        """Serve one request; shape the response by what the operation came to."""
        try:
            response = await super().run(request, context, root_value)
        except HTTPException as error:
            return self._refusal(error)
        status = getattr(request.state, "graphql_status", None)
        if status is None:  # GraphiQL's page, or a streamed response
            return response
        response.status_code = status
        media = GRAPHQL_RESPONSE if wants_graphql_response(request) else JSON
        response.headers["content-type"] = f"{media}; charset=utf-8"
        retry_after = getattr(request.state, "retry_after", None)
        if retry_after is not None:
            response.headers["Retry-After"] = retry_after_header(retry_after)
        return response

    async def execute_single(  # noqa: PLR0917
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: RootValue | None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Execute under ``request_timeout``; past it, a TIMEOUT error and nothing else."""
        try:
            async with asyncio.timeout(self.request_timeout):
                return await super().execute_single(
                    request, request_adapter, sub_response, context, root_value, request_data
                )
        except TimeoutError:
            error = GraphQLError(TIMEOUT_MESSAGE, extensions={"code": "TIMEOUT"})
            return ExecutionResult(data=None, errors=[error])

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """The response body; its status is decided here and applied by :meth:`run`."""
        body = await super().process_result(request, result)
        errors: list[dict[str, Any]] = cast("list[dict[str, Any]]", body.get("errors") or [])
        for error in errors:
            _ensure_code(error)
            retry = (error.get("extensions") or {}).get("retryAfter")
            if retry is not None:
                request.state.retry_after = retry
        graphql_response = wants_graphql_response(request)
        status = response_status(body, graphql_response=graphql_response)
        request.state.graphql_status = status
        if status == 400:
            body.pop("data", None)
        return body

    def _refusal(self, error: HTTPException) -> Response:
        status, reason, headers = error.status_code, error.reason, {}
        if "not allowed when using GET" in reason:
            status, headers = 405, {"Allow": "POST"}
        elif reason == "Unsupported content type":
            status = 415
        subcode = getattr(error, "subcode", None)
        if reason == "Batching is not enabled":
            subcode = "BATCHING_DISABLED"
        extensions = {"subcode": subcode} if subcode else {}
        body = error_body(reason, "BAD_REQUEST", **extensions)
        return Response(json.dumps(body), status_code=status, media_type=JSON, headers=headers)


def _ensure_code(error: dict[str, Any]) -> None:
    extensions = error.setdefault("extensions", {})
    if "code" in extensions:
        return
    state = current()
    request_id = state.request_id if state else None
    logger.error("an error without a code reached HTTP (request %s): %s", request_id, error)
    error["message"] = MASKED_MESSAGE
    extensions.update(code="INTERNAL_SERVER_ERROR", requestId=request_id)
