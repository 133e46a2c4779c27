"""Gradio refuses an upload over `max_file_size` with an English 413 ("File size exceeded maximum allowed
size of … bytes."). The page translates it in the browser (ui/messages.py); a client of the HTTP API or
gradio_client reads the response itself, so this middleware rewrites every 413 body in Chinese (issue 13)."""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_message(limit_bytes: int) -> str:
    return (
        f"文件超过 {limit_bytes / 1048576:.0f} MB 的上限，未上传。"
        "请上传报告正文（去掉图片或附件），或拆分后分别上传。"
    )


class ChineseTooLarge:
    """ASGI middleware: a 413 response keeps its status; its body becomes the Chinese message (JSON
    {"detail": …} when Gradio answered in JSON, else plain text)."""

    def __init__(self, app: ASGIApp, limit_bytes: int):
        self.app = app
        self.message = too_large_message(limit_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        pending: bytes | None = None  # per request: set once a 413 starts

        async def rewrite(message: Message) -> None:
            nonlocal pending
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                body = self._body("json" in headers.get("content-type", ""))
                headers["content-type"] = (
                    "application/json" if body.startswith(b"{") else "text/plain; charset=utf-8"
                )
                headers["content-length"] = str(len(body))
                pending = body
                await send({**message, "headers": headers.raw})
            elif pending is not None and message["type"] == "http.response.body":
                # The original body is dropped; the translation goes out once, with the last chunk.
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": pending, "more_body": False})
            else:
                await send(message)

        await self.app(scope, receive, rewrite)

    def _body(self, as_json: bool) -> bytes:
        if as_json:
            return json.dumps({"detail": self.message}, ensure_ascii=False).encode()
        return self.message.encode()
