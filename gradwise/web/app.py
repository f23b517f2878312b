"""The Starlette application: the page, its static files, and POST /api/<name>.

Every response forbids loading anything from another origin (Content-Security-Policy), and the Host
header must name this machine unless the server was bound elsewhere on purpose."""
from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from gradwise.web import api
from gradwise.web.workers import Workers

STATIC = os.path.join(os.path.dirname(__file__), "static")
MAX_BODY = 64 * 1024
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "connect-src 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class BodyTooLarge(Exception):
    """The request body is over MAX_BODY."""


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise BodyTooLarge
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BodyTooLarge
    return body


async def _payload(request: Request) -> dict | api.Reply:
    """The request's JSON object, or the error reply that refuses it."""
    try:
        body = await _body(request)
    except BodyTooLarge:
        return api.error_reply(f"the request is larger than {MAX_BODY // 1024} kB", status=413)
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return api.error_reply("the request body is not UTF-8 text")
    except RecursionError:
        return api.error_reply("the request is nested too deeply")
    except ValueError as exc:
        return api.error_reply(f"the request body is not JSON: {exc}")
    if not isinstance(payload, dict):
        return api.error_reply('the request body is a JSON object such as {"expression": "x^2"}')
    return payload


def _reply(reply: api.Reply) -> Response:
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=SECURITY_HEADERS)


async def index(request: Request) -> Response:
    return FileResponse(os.path.join(STATIC, "index.html"), headers=SECURITY_HEADERS)


async def endpoint(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ("read", "practice") and name not in api.ENDPOINTS:
        return _reply(api.error_reply(f"no endpoint /api/{name}; the endpoints are read, practice, "
                                      + ", ".join(api.ENDPOINTS), status=404))
    payload = await _payload(request)
    if isinstance(payload, api.Reply):
        return _reply(payload)
    workers: Workers = request.app.state.workers
    reply = await (workers.read(payload) if name == "read" else workers.answer(name, payload))
    return _reply(reply)


def create_app(jobs: int = 2, limit: float = 20.0, allowed_hosts: list[str] | None = None,
               on_ready=None) -> Starlette:
    """The application with its own worker pools (started with the app, stopped with it)."""

    @asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.workers = Workers(jobs=jobs, limit=limit)
        if on_ready is not None:
            on_ready()
        try:
            yield
        finally:
            app.state.workers.close()

    routes = [
        Route("/", index),
        Route("/api/{name}", endpoint, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    hosts = allowed_hosts or LOCAL_HOSTS
    return Starlette(routes=routes, lifespan=lifespan,
                     middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])
