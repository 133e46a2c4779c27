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
        if "句子向量在后台计算中" in output and "句子向量已全部完成" not in output:
            time.sleep(0.5)  # answers are compared with full (keyword + semantic) search
            continue
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
    _open_reports_tab(page)
    chooser = page.locator("#zb-files input[type=file]")
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


def _open_reports_tab(page) -> None:
    page.get_by_role("tab", name="报告").click()
    page.locator("#zb-upload").wait_for()


def _open_ask_tab(page) -> None:
    page.get_by_role("tab", name="问答").click()
    page.locator("#zb-question textarea").wait_for()


def _upload(page, path: Path) -> str:
    """Add one report through the 报告 tab; returns the status line the page shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    _open_reports_tab(page)
    # Gradio uploads the file to its cache first; the button works once the file is listed. That
    # upload shares the server with the previous test's background embedding: once it took > 60 s in CI.
    # A choice made while the page is still settling is sometimes dropped (seen twice in five module runs
    # at load 4-8: the file never listed in 180 s; not seen by hand): then the file is chosen again.
    listed = page.locator("#zb-reports-tab").get_by_text(path.name).first
    for attempt in range(3):
        page.locator("#zb-files input[type=file]").set_input_files(str(path))
        try:
            listed.wait_for(timeout=ANSWER_TIMEOUT_MS)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    page.locator("#zb-upload").click()
    status = page.locator("#zb-upload-status")
    status.get_by_text("已添加").wait_for(timeout=ANSWER_TIMEOUT_MS * 3)
    return status.inner_text()


def _docx_report(path: Path, township: str, disputes: int) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph(f"{township}人民政府关于2024年法治政府建设情况的报告")
    document.add_paragraph("一、主要举措和成效")
    document.add_paragraph(f"{township}全年共排查化解矛盾纠纷{disputes}件，设立“院坝调解室”9个。")
    document.save(path)
    return path


def test_example_question_then_heshi_follow_up_says_its_report_gives_no_such_figure(page):
    page.get_by_text("哪个镇办理行政执法案件最多", exact=True).first.click()
    expect_value = "哪个镇办理行政执法案件最多"
    page.wait_for_function(f"document.querySelector('#zb-question textarea').value === '{expect_value}'")
    page.locator("#zb-ask").click()
    page.locator(".zb-turn").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    assert "季家镇" in page.locator(".zb-turn").first.inner_text()
    _ask(page, "那河市镇呢？")
    assert "河市镇的报告未给出" in page.locator(".zb-turn").last.inner_text()


def test_a_ranking_shows_a_bar_chart_and_a_figure_table(page):
    _ask(page, "哪个镇化解矛盾纠纷最多")
    chart = page.locator("#zb-chart")
    chart.locator("canvas, svg").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    box = chart.bounding_box()
    assert box and box["height"] > 100
    table = page.locator("#zb-figures")
    table.get_by_text("485件").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    text = table.inner_text()
    assert "季家镇" in text and "河市镇" in text and "本年度，我镇共排处矛盾纠纷共485件" in text
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "ui-browser-chart.png"), full_page=True)
    # A passage answer hides them again.
    _ask(page, "季家镇开展了哪些普法宣传活动")
    page.wait_for_function(
        "!document.querySelector('#zb-chart') || !document.querySelector('#zb-chart').offsetParent"
    )


def test_an_uploaded_docx_is_answered_from(page, tmp_path):
    report = _docx_report(tmp_path / "石马镇2024年法治政府建设情况报告.docx", "石马镇", 137)
    assert "石马镇，2024年，已建立索引" in _upload(page, report)
    from playwright.sync_api import expect

    # Gradio's table keeps hidden copies of its cells; the table as a whole must show the new report.
    expect(page.locator("#zb-reports")).to_contain_text("石马镇", timeout=ANSWER_TIMEOUT_MS)
    _open_ask_tab(page)
    _ask(page, "石马镇化解了多少矛盾纠纷")
    last = page.locator(".zb-turn").last
    assert "137" in last.inner_text()
    assert set(last.locator(".zb-township").all_inner_texts()) == {"石马镇"}


def test_a_reloaded_page_shows_the_corpus_after_an_upload(page, tmp_path):
    report = _docx_report(tmp_path / "青山镇2024年报告.docx", "青山镇", 52)
    _upload(page, report)
    page.reload()
    page.wait_for_selector("#zb-question textarea")
    page.locator("#zb-corpus").get_by_text("青山镇").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.locator("#zb-question textarea").click()  # the township filter lists it too
    filter_box = page.get_by_label("乡镇（可多选，不选即全部）")
    filter_box.click()
    page.get_by_role("option", name="青山镇").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    _open_reports_tab(page)
    assert "青山镇" in page.locator("#zb-reports").inner_text()


def test_correcting_a_reports_township_in_the_reports_tab(page, tmp_path):
    from playwright.sync_api import expect

    silent = tmp_path / "无名报告.txt"
    silent.write_text(
        "2024年法治政府建设情况报告\n一、主要举措\n我们全年开展“法治夜校”17期，调解纠纷41件。\n",
        encoding="utf-8",
    )
    _upload(page, silent)
    picker = page.locator("#zb-identity-report input")
    picker.click()
    picker.fill("无名报告")
    page.get_by_role("option", name="无名报告.txt").first.click()
    township = page.locator("#zb-identity-township textarea, #zb-identity-township input").first
    # Picking the file fills the fields from the index (the file name stands in for the township) in a
    # round trip of its own: typing before it lands is overwritten, and the old name is saved back.
    expect(township).to_have_value("无名报告", timeout=ANSWER_TIMEOUT_MS)
    township.fill("东庄镇")
    page.locator("#zb-identity-save").click()
    status = page.locator("#zb-identity-status")
    status.get_by_text("已保存到").wait_for(timeout=ANSWER_TIMEOUT_MS * 3)
    expect(status).to_contain_text("东庄镇")
    expect(page.locator("#zb-reports")).to_contain_text("东庄镇", timeout=ANSWER_TIMEOUT_MS)
    _open_ask_tab(page)
    page.locator("#zb-corpus").get_by_text("东庄镇（2024）").first.wait_for(timeout=ANSWER_TIMEOUT_MS)


def test_word_export_has_a_source_line_under_every_quote(page):
    import docx

    _ask(page, "兴隆镇化解了多少矛盾纠纷")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Word（.docx）").click()
    assert download.value.suggested_filename.endswith(".docx")
    paragraphs = docx.Document(download.value.path()).paragraphs
    quotes = [i for i, paragraph in enumerate(paragraphs) if paragraph.style.name == "Quote"]
    assert quotes and all(paragraphs[i + 1].text.startswith("（来源：兴隆镇") for i in quotes)
