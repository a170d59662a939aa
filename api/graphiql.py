"""GraphiQL served by Parley itself, so the IDE works without internet access.

Strawberry's stock GraphiQL page loads React and GraphiQL from a CDN. Here the same browser
bundles come from ``node_modules`` (installed by ``npm ci`` from ``package.json`` /
``package-lock.json``, which ``make setup`` runs) and are served under :data:`ASSETS_PATH`.
Only the files listed in :data:`ASSETS` are reachable; nothing else in ``node_modules`` is.

Asset URLs carry the installed package version (``/graphiql-assets/graphiql@3.9.0/…``), so they
are cached for a year as immutable; a new install changes the URLs, and a stale URL answers 404
instead of serving different bytes under the same name.

Wire it in with::

    app.include_router(GraphQLRouter(schema), prefix="/graphql")
    mount_graphiql_assets(app)

This module is the HTTP side only: it never imports ``schema``.
"""

import html
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import strawberry.fastapi
from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope
from strawberry.fastapi.router import Context
from strawberry.http.typevars import RootValue

from api.graphiql_examples import default_tabs
from api.settings import PROJECT_ROOT

__all__ = [
    "ASSETS",
    "ASSETS_PATH",
    "DEFAULT_QUERY",
    "NODE_MODULES",
    "GraphQLRouter",
    "GraphiQLAssets",
    "graphiql_html",
    "missing_assets",
    "mount_graphiql_assets",
]

logger = logging.getLogger(__name__)

ASSETS_PATH = "/graphiql-assets"
"""URL prefix the GraphiQL bundles are served under."""

NODE_MODULES = PROJECT_ROOT / "node_modules"

CACHE_CONTROL = "public, max-age=31536000, immutable"

SETUP_HINT = "run `make setup` (it runs `npm ci` from package-lock.json), then reload"

DEFAULT_QUERY = """\
# Welcome to Parley's GraphQL API.
# Run a query with Ctrl-Enter or the ▶ button; the Docs and Explorer panels
# on the left list every type, field and argument.
{
  mechanisms(first: 5) {
    edges {
      node {
        name
        slug
      }
    }
  }
}
"""


@dataclass(frozen=True)
class Asset:
    """One file of an npm package that the GraphiQL page loads."""

    package: str
    file: str

    @property
    def path(self) -> Path:
        """Where ``npm ci`` puts the file."""
        return NODE_MODULES / self.package / self.file

    def url(self) -> str | None:
        """The versioned URL the page references, or ``None`` when the package is missing."""
        version = installed_version(self.package)
        if version is None:
            return None
        return f"{ASSETS_PATH}/{self.package}@{version}/{self.file}"


REACT = Asset("react", "umd/react.production.min.js")
REACT_DOM = Asset("react-dom", "umd/react-dom.production.min.js")
GRAPHIQL_JS = Asset("graphiql", "graphiql.min.js")
GRAPHIQL_CSS = Asset("graphiql", "graphiql.min.css")
EXPLORER_JS = Asset("@graphiql/plugin-explorer", "dist/index.umd.js")
EXPLORER_CSS = Asset("@graphiql/plugin-explorer", "dist/style.css")

ASSETS: tuple[Asset, ...] = (REACT, REACT_DOM, GRAPHIQL_JS, GRAPHIQL_CSS, EXPLORER_JS, EXPLORER_CSS)
"""Every file served under :data:`ASSETS_PATH`; the only ones."""


def installed_version(package: str) -> str | None:
    """The version of ``package`` in ``node_modules``, or ``None`` when it is not installed."""
    try:
        manifest = json.loads((NODE_MODULES / package / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    return version if isinstance(version, str) and version else None


def missing_assets() -> list[Path]:
    """The files the GraphiQL page needs that are not on disk (empty once ``npm ci`` ran)."""
    return [asset.path for asset in ASSETS if asset.url() is None or not asset.path.is_file()]


class GraphiQLAssets(StaticFiles):
    """Serves exactly :data:`ASSETS` from ``node_modules``, at versioned URLs, cached for good.

    Any other path, including a URL naming a version other than the installed one, is a 404.
    """

    def __init__(self) -> None:
        super().__init__(directory=None, check_dir=False)

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """Map ``<package>@<version>/<file>`` to the installed file, if it is one of ASSETS."""
        wanted = path.replace(os.sep, "/")
        for asset in ASSETS:
            url = asset.url()
            if url is not None and url == f"{ASSETS_PATH}/{wanted}":
                try:
                    return str(asset.path), asset.path.stat()
                except OSError:
                    return "", None
        return "", None

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        """The file (or a 304), with a year-long immutable cache lifetime."""
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return response


def mount_graphiql_assets(app: FastAPI) -> None:
    """Serve GraphiQL's JS and CSS under :data:`ASSETS_PATH`.

    Tolerant by design, so apps (and tests) that never open GraphiQL still build without
    ``node_modules``: when files are missing it logs a warning saying to run ``make setup``,
    and the GraphiQL page itself shows that instruction instead of a blank screen.
    """
    app.mount(ASSETS_PATH, GraphiQLAssets(), name="graphiql-assets")
    missing = missing_assets()
    if missing:
        logger.warning(
            "GraphiQL assets are missing (%s): the GraphiQL IDE cannot load; %s.",
            ", ".join(_shown(path) for path in missing),
            SETUP_HINT,
        )


def _shown(path: Path) -> str:
    """``path`` relative to the project root when it is inside it."""
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def _script_literal(value: object) -> str:
    """``value`` as a JavaScript literal (JSON) that is safe inside an HTML <script>."""
    return (
        json.dumps(value)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_MISSING_PAGE = """\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Parley — GraphiQL</title>
    <link rel="icon" href="data:,">
  </head>
  <body style="font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto">
    <h1>GraphiQL is not installed</h1>
    <p>Its JavaScript and CSS come from <code>node_modules</code>, which is missing files:</p>
    <ul>{missing}</ul>
    <p>To fix it, {hint}. The API itself works: POST GraphQL queries as JSON to
    <code>{endpoint}</code>.</p>
  </body>
</html>
"""

_PAGE = """\
<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Parley — GraphiQL</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="{graphiql_css}">
    <link rel="stylesheet" href="{explorer_css}">
    <style>
      html, body {{ height: 100%; margin: 0; overflow: hidden; }}
      #graphiql {{ height: 100vh; }}
    </style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="{react}"></script>
    <script src="{react_dom}"></script>
    <script src="{graphiql_js}"></script>
    <script src="{explorer_js}"></script>
    <script>
      (function () {{
        var endpoint = {endpoint};
        // Subscriptions go over a WebSocket to the same endpoint (graphql-transport-ws).
        // GraphiQL's fetcher picks the WebSocket only when handed the document's syntax
        // tree, which this GraphiQL does not pass: a minimal one is made for subscriptions.
        var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
        var graphqlFetcher = GraphiQL.createFetcher({{
          url: endpoint,
          subscriptionUrl: scheme + window.location.host + endpoint,
        }});
        var fetcher = function (params, options) {{
          var name = params.operationName || undefined;
          var query = (params.query || "").replace(/#[^\\n]*/g, "");
          var pattern = name
            ? new RegExp("\\\\bsubscription\\\\s+" + name + "\\\\b")
            : /^\\s*subscription\\b/;
          if (pattern.test(query)) {{
            var operation = {{ kind: "OperationDefinition", operation: "subscription",
              name: name ? {{ kind: "Name", value: name }} : undefined,
              selectionSet: {{ kind: "SelectionSet", selections: [] }} }};
            options = Object.assign({{}}, options,
              {{ documentAST: {{ kind: "Document", definitions: [operation] }} }});
          }}
          return graphqlFetcher(params, options);
        }};
        var explorer = GraphiQLPluginExplorer.explorerPlugin();
        var root = ReactDOM.createRoot(document.getElementById("graphiql"));
        root.render(
          React.createElement(GraphiQL, {{
            fetcher: fetcher,
            defaultQuery: {default_query},
            // The README's examples, one operation a tab (api/graphiql_examples.py).
            defaultTabs: {default_tabs},
            plugins: [explorer],
            isHeadersEditorEnabled: true,
            shouldPersistHeaders: false,
            defaultEditorToolsVisibility: true,
          }}),
        );
      }})();
    </script>
  </body>
</html>
"""


_PAGE_ASSETS = {
    "react": REACT,
    "react_dom": REACT_DOM,
    "graphiql_js": GRAPHIQL_JS,
    "graphiql_css": GRAPHIQL_CSS,
    "explorer_js": EXPLORER_JS,
    "explorer_css": EXPLORER_CSS,
}


def graphiql_html(endpoint: str, *, default_query: str = DEFAULT_QUERY) -> str:
    """The GraphiQL page for the GraphQL endpoint at URL path ``endpoint``.

    Every script and stylesheet is same-origin, under :data:`ASSETS_PATH`; queries go to
    ``endpoint`` as POSTed JSON. Headers typed into the header editor are not persisted to
    localStorage. When ``node_modules`` lacks the bundles, the page says to run ``make setup``.
    """
    return _page(endpoint, default_query, missing_assets())


def _page(endpoint: str, default_query: str, missing: list[Path]) -> str:
    if missing:
        return _MISSING_PAGE.format(
            missing="".join(
                f"<li><code>{html.escape(_shown(path))}</code></li>" for path in missing
            ),
            hint=html.escape(SETUP_HINT).replace("`make setup`", "<code>make setup</code>"),
            endpoint=html.escape(endpoint),
        )
    urls = {name: asset.url() or "" for name, asset in _PAGE_ASSETS.items()}
    return _PAGE.format(
        **{name: html.escape(url) for name, url in urls.items()},
        endpoint=_script_literal(endpoint),
        default_query=_script_literal(default_query),
        default_tabs=_script_literal([{"query": default_query}, *default_tabs()]),
    )


class GraphQLRouter(strawberry.fastapi.GraphQLRouter[Context, RootValue]):
    """Strawberry's FastAPI router, with the self-hosted GraphiQL page instead of the CDN one.

    The page is shown where strawberry would show its own (a browser GET of the endpoint, when
    ``graphql_ide`` is not ``None``); it answers 503 while the assets are not installed.
    """

    graphiql_default_query: str = DEFAULT_QUERY

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """The GraphiQL page for this endpoint."""
        missing = missing_assets()
        page = _page(request.url.path, self.graphiql_default_query, missing)
        return HTMLResponse(page, status_code=503 if missing else 200)
