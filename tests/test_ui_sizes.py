"""An upload over the size limit through the HTTP API gets a Chinese 413, not Gradio's English (issue 13).

(gradio_client checks the size itself before sending, in the caller's process, with its own English
ValueError: nothing reaches the server, so the server cannot translate that one.)"""

from __future__ import annotations

import socket

import gradio as gr
import httpx
import pytest

from bot import MAX_UPLOAD_BYTES
from ui.app import launch
from ui.sizes import too_large_message


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def page_url():
    with gr.Blocks() as app:
        gr.File(label="报告")
    port = _free_port()
    launch(app, port=port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        app.close()


def test_an_oversized_upload_is_refused_in_chinese(page_url):
    big = b"0" * (MAX_UPLOAD_BYTES + 1024)
    response = httpx.post(
        f"{page_url}/gradio_api/upload", files={"files": ("大报告.txt", big, "text/plain")}, timeout=60
    )
    assert response.status_code == 413
    assert response.text == too_large_message(MAX_UPLOAD_BYTES)
    assert "20 MB" in response.text and "exceeded" not in response.text


def test_an_upload_within_the_limit_is_untouched(page_url):
    response = httpx.post(
        f"{page_url}/gradio_api/upload",
        files={"files": ("报告.txt", "镇".encode(), "text/plain")},
        timeout=60,
    )
    assert response.status_code == 200 and response.json()[0].endswith("报告.txt")
