"""Gradio's own upload checks speak Chinese on the page: server-side type check and browser-side text."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from bot import describe_supported
from ui import messages
from ui.messages import PAGE_JS, TRANSLATE_JS, report_files

FRONTEND = Path(gr.__file__).parent / "templates" / "frontend"
# Gradio's browser-side wording as the installed version writes it; if an upgrade changes it, the
# translation no longer matches and this test says so.
BROWSER_TEMPLATES = [
    "Invalid file type${",
    ". Only ${",
    " allowed.`",
    "File(s) exceed the maximum allowed size of ${",
]


def test_the_installed_gradio_still_writes_the_messages_the_page_translates():
    assets = "".join(path.read_text(encoding="utf-8", errors="replace") for path in FRONTEND.rglob("*.js"))
    missing = [template for template in BROWSER_TEMPLATES if template not in assets]
    assert not missing


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the page's script")
def test_browser_upload_messages_are_rewritten_in_chinese():
    samples = [
        "Invalid file type: 照片.exe. Only .txt, .docx allowed.",
        "Invalid file types: a.exe, b.zip, c.png, d.gif, e.bmp and 2 more. Only .txt allowed.",
        'File(s) exceed the maximum allowed size of 20.0 MB: "大报告.docx"',
        "季家镇共办理各类行政执法案件728件",
    ]
    script = TRANSLATE_JS + f"console.log(JSON.stringify({json.dumps(samples)}.map(zbTranslate)));"
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(result.stdout) == [
        "不支持的文件类型：照片.exe。只能添加 .txt、.docx 文件。",
        "不支持的文件类型：a.exe, b.zip, c.png, d.gif, e.bmp 等另外 2 个文件。只能添加 .txt 文件。",
        '文件超过大小上限（每个不超过 20.0 MB）："大报告.docx"',
        None,
    ]
    assert TRANSLATE_JS in PAGE_JS and "MutationObserver" in PAGE_JS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_side_type_check_names_the_file_in_chinese(tmp_path):
    with gr.Blocks() as app:
        files = report_files(file_count="multiple", file_types=[".txt", ".docx"], type="filepath")
        names = gr.Textbox()
        gr.Button().click(lambda paths: "、".join(Path(p).name for p in paths), files, names, api_name="up")
    # Gradio writes a .pyi beside any module defining a component class; an install may be read-only.
    assert not Path(messages.__file__).with_suffix(".pyi").exists()
    app.launch(server_name="127.0.0.1", server_port=_free_port(), prevent_thread_lock=True, quiet=True)
    try:
        client = Client(app.local_url, verbose=False)
        bad = tmp_path / "照片&1.exe"
        bad.write_bytes(b"MZ")
        with pytest.raises(AppError) as raised:
            client.predict([handle_file(str(bad))], api_name="/up")
        expected = f"不支持的文件类型：照片&amp;1.exe。只能添加 {describe_supported()} 文件。"
        assert str(raised.value) == expected
        good = tmp_path / "季家镇.txt"
        good.write_text("季家镇", encoding="utf-8")
        assert client.predict([handle_file(str(good))], api_name="/up") == "季家镇.txt"
    finally:
        app.close()
