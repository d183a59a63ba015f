"""The page ``roleplay serve`` gives a browser: textual-serve's, needing nothing from any other machine.

textual-serve's own page asks Google's font service for Roboto Mono and has
no icon. :class:`LocalServer` serves the same page from ``templates/`` with
the fonts and a favicon from this package's ``static/`` (and textual-serve's
own static files), so it works offline and draws every symbol the app uses.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_ROUTE = "/roleplay-static"


class LocalServer(Server):
    """textual-serve's Server with this package's page: local fonts for every symbol, a favicon."""

    def __init__(self, command: str, **options: Any) -> None:
        import textual_serve

        statics = Path(textual_serve.__file__).resolve().parent / "static"
        super().__init__(command, templates_path=TEMPLATES, statics_path=statics, **options)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.add_routes(
            [
                web.static(STATIC_ROUTE, STATIC, name="roleplay-static"),
                web.get("/favicon.ico", self.handle_favicon),
            ]
        )
        return app

    async def handle_favicon(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "favicon.svg", headers={"Content-Type": "image/svg+xml"})

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page data, plus where this package's static files are."""
        # The data, before textual-serve's template decorator renders it.
        undecorated: Callable[[Server, web.Request], Awaitable[dict[str, Any]]] = inspect.unwrap(Server.handle_index)
        context = await undecorated(self, request)
        context["roleplay_static"] = f"{self.public_url}{STATIC_ROUTE}/"
        return context
