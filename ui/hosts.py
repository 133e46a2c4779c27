"""Which `Host` names the page answers to: a page elsewhere in the user's browser that rebinds its own DNS
name to 127.0.0.1 reaches the server under that foreign name, so any other name is refused (issue 13)."""

from __future__ import annotations

import os
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

HOSTS_ENV = "ZHENBAO_ALLOWED_HOSTS"
# Loopback names cannot be rebound by an outside DNS server, so they are always safe to accept.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::")
REFUSED = (
    "拒绝访问：请求的主机名不在允许范围内。"
    "局域网访问请用 --allowed-host 或环境变量 ZHENBAO_ALLOWED_HOSTS 指定本机地址。"
)


def allowed_hosts(bound: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names, the address the server bound to, and names the user allowed on purpose
    (`--allowed-host`, or a comma-separated ZHENBAO_ALLOWED_HOSTS) for a deliberate LAN deployment."""
    from_env = os.environ.get(HOSTS_ENV, "").split(",")
    names = {*LOOPBACK_NAMES, *extra, *from_env}
    if bound not in WILDCARD_ADDRESSES:
        names.add(bound)
    return frozenset(name.strip().strip("[]").lower() for name in names if name.strip())


def host_name(header: str) -> str:
    """The name in a Host header without its port: "127.0.0.1:7860" → "127.0.0.1", "[::1]:80" → "::1"."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


class HostCheck:
    """ASGI middleware: HTTP and websocket requests whose Host is not allowed get a 400 in Chinese."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        checked = scope["type"] in ("http", "websocket")
        if checked and host_name(Headers(scope=scope).get("host", "")) not in self.hosts:
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "host not allowed"})
            return
        await PlainTextResponse(REFUSED, status_code=400)(scope, receive, send)
