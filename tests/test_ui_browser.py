"""The page in a real browser: `python -m ui` on a seed copy, driven by Playwright with Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "test-output"
# Flags that keep Chromium itself from calling Google (updates, sync, safe browsing lists).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
START_TIMEOUT = 600  # first start builds the index of the seed copy with the bundled encoder
ANSWER_TIMEOUT_MS = 60_000

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        pytest.fail("/usr/bin/chromium is missing in CI: .ci/install-system.sh must run first", pytrace=False)
    pytest.skip(
        "/usr/bin/chromium is not installed (run .ci/install-system.sh); browser test skipped",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """`python -m ui` exactly as an official starts it, on a copy of the seeds and a throwaway cache."""
    corpus = tmp_path_factory.mktemp("ui-browser") / "reports"
    shutil.copytree(ROOT / "seeds", corpus)
    port = _free_port()
    env = {**os.environ, "ZHENBAO_CACHE_DIR": str(tmp_path_factory.mktemp("ui-browser-cache"))}
    log = tmp_path_factory.mktemp("ui-browser-log") / "server.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "ui", "--corpus", str(corpus), "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"python -m ui exited with {process.returncode}:\n{log.read_text()}")
        try:
            urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.5)
            continue
        # The console shows the loading progress and the Chinese start line.
        output = log.read_text()
        if "镇报问答已启动" not in output:
            time.sleep(0.5)  # the page answers a moment before launch() returns and prints its line
            continue
        assert "正在加载报告索引" in output, output
        return
    pytest.fail(f"python -m ui did not answer within {START_TIMEOUT}s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    tab = context.new_page()
    tab.goto(server)
    tab.wait_for_selector("#zb-question textarea")
    yield tab
    # Whatever the test did, nothing left the laptop.
    outside = [url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")]
    outside = [url for url in outside if urlparse(url).hostname not in LOCAL_HOSTS]
    context.close()
    assert requests and not outside, outside


def _ask(page, question: str) -> None:
    turns = page.locator(".zb-turn").count()
    page.locator("#zb-question textarea").fill(question)
    page.locator("#zb-question textarea").press("Enter")
    page.locator(".zb-turn").nth(turns).wait_for(timeout=ANSWER_TIMEOUT_MS)


def test_example_question_shows_jijia_card_and_copy_puts_quote_and_source_on_clipboard(page):
    from playwright.sync_api import expect

    page.get_by_text("哪个镇办理行政执法案件最多", exact=True).first.click()
    # Gradio fills the box from the example through its event loop, a moment after the click.
    expect(page.locator("#zb-question textarea")).to_have_value("哪个镇办理行政执法案件最多")
    page.locator("#zb-ask").click()
    card = page.locator(".zb-card", has=page.locator(".zb-township", has_text="季家镇")).first
    card.wait_for(timeout=ANSWER_TIMEOUT_MS)
    quote = card.locator(".zb-quote").inner_text()
    assert "728" in quote and card.locator(".zb-quote mark").count() > 0

    card.locator(".zb-copy").click()
    page.wait_for_function("document.querySelector('.zb-copy.zb-copied') !== null")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“") and quote.strip() in copied
    assert "（来源：季家镇" in copied and copied.endswith("）")

    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "ui-browser.png"), full_page=True)


def test_copy_falls_back_to_exec_command_without_the_clipboard_api(page):
    _ask(page, "兴隆镇化解了多少矛盾纠纷")
    # Pages opened through a LAN address get no navigator.clipboard; the button must still copy.
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true})")
    card = page.locator(".zb-card").first
    card.locator(".zb-copy").click()
    page.wait_for_function("document.querySelector('.zb-copy.zb-copied') !== null")
    reader = page.context.new_page()
    reader.goto(page.url)
    copied = reader.evaluate("navigator.clipboard.readText()")
    assert card.locator(".zb-quote").inner_text().strip() in copied and "（来源：兴隆镇" in copied


def test_markup_in_a_question_is_shown_as_text_and_never_runs(page):
    attack = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>兴隆镇普法宣传'
    _ask(page, attack)
    question = page.locator(".zb-question").last
    assert question.inner_text().endswith(attack)
    assert question.locator("img, script").count() == 0
    assert page.evaluate("window.__pwned === undefined")


def test_follow_up_and_markdown_export(page):
    _ask(page, "兴隆镇化解了多少矛盾纠纷")
    _ask(page, "那河市镇呢？")
    last = page.locator(".zb-turn").last
    assert "理解为：河市镇化解了多少矛盾纠纷" in last.inner_text()
    assert set(last.locator(".zb-township").all_inner_texts()) == {"河市镇"}
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Markdown").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".md")
    assert "## 2. 问：那河市镇呢？" in text and "（来源：河市镇" in text


def test_upload_type_and_size_errors_are_shown_in_chinese(page, tmp_path):
    """Gradio checks type and size in the browser, in English; the page's script rewrites them (13.5)."""
    page.get_by_text("添加报告", exact=True).first.click()
    chooser = page.locator("input[type=file]").first
    bad = tmp_path / "照片.exe"
    bad.write_bytes(b"MZ")
    chooser.set_input_files(str(bad))
    page.get_by_text("不支持的文件类型：照片.exe").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    big = tmp_path / "大报告.txt"
    with big.open("wb") as stream:
        stream.truncate(21 * 1048576)
    chooser.set_input_files(str(big))
    page.get_by_text("文件超过大小上限").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    shown = page.locator("body").inner_text()
    assert "Invalid file type" not in shown and "exceed the maximum" not in shown
