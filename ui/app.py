"""The Gradio page: each callback calls one `bot` method and renders; `bot` errors become gr.Error."""

from __future__ import annotations

import atexit
import html
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

# Gradio reads this when imported; offline laptops must not phone home.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr
from starlette.middleware import Middleware

from bot import (
    FIELD_LABELS,
    MAX_UPLOAD_BYTES,
    SUPPORTED_SUFFIXES,
    TABLE_NAME,
    ZhenbaoError,
    describe_supported,
)
from ui import inputs
from ui.export import write_exports
from ui.hosts import HostCheck, allowed_hosts
from ui.identity import IdentityForm, identity_form, report_choices
from ui.messages import PAGE_JS, report_files
from ui.messages import shown as _shown
from ui.render import COPY_JS, CSS, Turn, render_conversation

if TYPE_CHECKING:
    from bot import Bot

TITLE = "镇报问答"
EXAMPLES = [
    "哪个镇办理行政执法案件最多",
    "兴隆镇化解了多少矛盾纠纷",
    "那河市镇呢？",
    "季家镇开展了哪些普法宣传活动",
    "各镇行政复议和行政诉讼情况如何",
    "商酒务镇法治政府建设存在哪些不足",
]
ALL_YEARS = ""
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // 1048576
# A laptop has two cores: answering is CPU-bound, so more parallel answers would only queue inside numpy.
ASK_CONCURRENCY = 2
# Only system fonts: Gradio's default theme pulls Google Fonts, which an offline laptop cannot load.
SANS_FONTS = [
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "system-ui",
    "sans-serif",
]
MONO_FONTS = ["Consolas", "Menlo", "DejaVu Sans Mono", "monospace"]


def build_app(bot: Bot) -> gr.Blocks:
    """The chat page for an already loaded `bot`; nothing is loaded here or in the callbacks."""
    callbacks = _Callbacks(bot)
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as app:
        page = _layout(bot)
        _wire(page, callbacks)
    app.queue(default_concurrency_limit=ASK_CONCURRENCY)
    return app


class _Callbacks:
    """What the page's buttons do: each calls one `bot` method and renders its result."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self.export_root = Path(tempfile.mkdtemp(prefix="zhenbao-exports-"))
        atexit.register(shutil.rmtree, self.export_root, ignore_errors=True)

    def chat(self, question: str, turns: list[Turn], towns: list[str] | None, year: str, top_k: float):
        history = [turn.question for turn in turns]
        try:
            typed = inputs.question_text(question).strip()
            answer = self.bot.ask(
                typed,
                top_k=inputs.passage_count(top_k),
                towns=inputs.town_names(towns),
                year=inputs.year_number(year),
                history=history,
            )
        except ZhenbaoError as error:
            raise _shown(str(error), "无法回答") from None
        turns = [*turns, Turn(typed, answer.question, answer)]
        folder = Path(tempfile.mkdtemp(dir=self.export_root))
        markdown, word = write_exports(turns, folder, datetime.now())
        return (
            render_conversation(turns),
            turns,
            "",
            gr.DownloadButton(value=str(markdown), interactive=True),
            gr.DownloadButton(value=str(word), interactive=True),
        )

    def clear(self):
        return (
            render_conversation([]),
            [],
            gr.DownloadButton(value=None, interactive=False),
            gr.DownloadButton(value=None, interactive=False),
        )

    # Gradio recognises the progress tracker by this default value.
    def upload(self, files: list[str] | None, progress=gr.Progress()):  # noqa: B008
        if not files:
            raise _shown(f"请先选择要添加的报告文件（{describe_supported()}）。", "未选择文件")
        try:
            added = self.bot.add_reports(files, lambda fraction, message: progress(fraction, desc=message))
        except ZhenbaoError as error:
            raise _shown(str(error), "无法添加") from None
        lines = [f"已添加 {len(added)} 份报告："]
        for item in added:
            name = _text(item.report_id)
            if item.report:
                year = f"{item.report.year}年" if item.report.year else "年份不详"
                lines.append(f"- {name}：{_text(item.report.township)}，{year}，已建立索引")
            else:
                lines.append(f"- {name}：未建立索引（{_text(item.reason or '')}）")
        return (
            "\n".join(lines),
            None,
            gr.Dropdown(choices=self.bot.townships()),
            gr.Dropdown(choices=_year_choices(self.bot.years())),
            _corpus_summary(self.bot),
            gr.Dropdown(choices=report_choices(self.bot)),
        )

    def pick_report(self, report_id: str | None):
        """Fill the identity fields with what the index holds for the chosen file."""
        report = next((r for r in self.bot.reports if r.report_id == report_id), None)
        if report is None:
            return "", "", None, ""
        doubtful = "、".join(FIELD_LABELS[name] for name in report.doubtful)
        note = f"待确认：{doubtful}（推测所得，请核对）" if doubtful else "各项均从报告中读出。"
        return report.township, report.district or "", report.year, note

    def save_report_info(self, report_id: str | None, township: str, county: str, year: float | None):
        if not report_id:
            raise _shown("请先选择要更正的报告文件。", "未选择报告")
        try:
            report = self.bot.set_report_info(
                report_id, township=township, county=county, year=int(year) if year else None
            )
        except ZhenbaoError as error:
            raise _shown(str(error), "无法保存") from None
        note = f"已保存到 {_text(TABLE_NAME)}：{_text(report.township)}，{report.year or '年份不详'}"
        return (
            note,
            gr.Dropdown(choices=report_choices(self.bot)),
            gr.Dropdown(choices=self.bot.townships()),
            gr.Dropdown(choices=_year_choices(self.bot.years())),
            _corpus_summary(self.bot),
        )

    def ask(
        self, question: str, towns: list[str] | None = None, year: int | None = None, top_k: int = 3
    ) -> dict:
        """Ask a question; returns the answer with its verbatim passages and sources as JSON."""
        try:
            answer = self.bot.ask(
                inputs.question_text(question),
                top_k=inputs.passage_count(top_k),
                towns=inputs.town_names(towns),
                year=inputs.year_number(year),
            )
        except ZhenbaoError as error:
            raise _shown(str(error), "无法回答") from None
        return answer.to_dict()


@dataclass(frozen=True)
class _Page:
    """The components the callbacks read and write."""

    turns: gr.State
    conversation: gr.HTML
    question: gr.Textbox
    ask_button: gr.Button
    towns: gr.Dropdown
    year: gr.Dropdown
    top_k: gr.Slider
    clear_button: gr.Button
    markdown_button: gr.DownloadButton
    word_button: gr.DownloadButton
    files: gr.File
    upload_button: gr.Button
    upload_status: gr.Markdown
    corpus_info: gr.Markdown
    identity: IdentityForm


def _layout(bot: Bot) -> _Page:
    turns = gr.State([])
    gr.HTML(
        f'<div class="zb-header"><h1>{TITLE}</h1>'
        "<p>用大白话提问乡镇法治政府建设年度报告。回答逐字引用报告原文，注明乡镇、年份和章节，"
        "可一键复制到文稿。全程在本机运行，不联网。</p></div>"
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            conversation = gr.HTML(
                render_conversation([]),
                js_on_load=COPY_JS,
                elem_id="zb-conversation",
                min_height=320,
                autoscroll=True,
            )
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    show_label=False,
                    placeholder="输入问题，例如：哪个镇办理行政执法案件最多（按回车提问）",
                    lines=1,
                    max_lines=4,
                    scale=5,
                    elem_id="zb-question",
                )
                ask_button = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="zb-ask")
            gr.Examples(EXAMPLES, inputs=[question], label="示例问题（点击填入）")
        with gr.Column(scale=1, min_width=260):
            with gr.Accordion("筛选", open=True):
                towns = gr.Dropdown(
                    choices=bot.townships(), multiselect=True, label="乡镇（可多选，不选即全部）"
                )
                year = gr.Dropdown(choices=_year_choices(bot.years()), value=ALL_YEARS, label="年份")
                top_k = gr.Slider(1, 8, value=3, step=1, label="引用段落数")
            clear_button = gr.Button("清空对话")
            with gr.Accordion("导出对话", open=True):
                markdown_button = gr.DownloadButton("下载 Markdown", interactive=False, size="sm")
                word_button = gr.DownloadButton("下载 Word（.docx）", interactive=False, size="sm")
            with gr.Accordion("添加报告", open=False):
                files = report_files(
                    label=f"报告文件（{describe_supported()}，每个不超过 {MAX_UPLOAD_MB} MB）",
                    file_count="multiple",
                    file_types=list(SUPPORTED_SUFFIXES),
                    type="filepath",
                )
                upload_button = gr.Button("添加到语料库并建立索引", size="sm")
                upload_status = gr.Markdown()
            identity = identity_form(bot)
            corpus_info = gr.Markdown(_corpus_summary(bot), elem_id="zb-corpus")
    return _Page(
        turns, conversation, question, ask_button, towns, year, top_k, clear_button,
        markdown_button, word_button, files, upload_button, upload_status, corpus_info, identity,
    )  # fmt: skip


def _wire(page: _Page, callbacks: _Callbacks) -> None:
    chat_event = {
        "fn": callbacks.chat,
        "inputs": [page.question, page.turns, page.towns, page.year, page.top_k],
        "outputs": [page.conversation, page.turns, page.question, page.markdown_button, page.word_button],
        "concurrency_id": "ask",
        "concurrency_limit": ASK_CONCURRENCY,
    }
    page.ask_button.click(**chat_event, api_name="chat", api_visibility="undocumented")
    page.question.submit(**chat_event, api_visibility="private")
    page.clear_button.click(
        callbacks.clear,
        outputs=[page.conversation, page.turns, page.markdown_button, page.word_button],
        api_visibility="private",
    )
    page.upload_button.click(
        callbacks.upload,
        inputs=[page.files],
        outputs=[
            page.upload_status,
            page.files,
            page.towns,
            page.year,
            page.corpus_info,
            page.identity.report,
        ],
        api_name="upload",
        api_visibility="undocumented",
        concurrency_limit=1,
    )
    form = page.identity
    form.report.change(
        callbacks.pick_report,
        inputs=[form.report],
        outputs=[form.township, form.county, form.year, form.status],
        api_visibility="private",
    )
    form.save_button.click(
        callbacks.save_report_info,
        inputs=[form.report, form.township, form.county, form.year],
        outputs=[form.status, form.report, page.towns, page.year, page.corpus_info],
        api_name="report_info",
        api_visibility="undocumented",
        concurrency_limit=1,
    )
    gr.api(callbacks.ask, api_name="ask", concurrency_id="ask", concurrency_limit=ASK_CONCURRENCY)


def launch(
    app: gr.Blocks, *, port: int | None = None, host: str = "127.0.0.1", allowed: Sequence[str] = ()
) -> str:
    """Serve on `host` (loopback unless a LAN deployment asks otherwise), answering only requests whose
    Host header is a loopback name, `host` or one of `allowed`; no share link, no outside fonts.

    Returns at once; the server runs in a background thread (`app.block_thread()` waits on it).
    """
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        app_kwargs={"middleware": [Middleware(HostCheck, hosts=allowed_hosts(host, allowed))]},
        share=False,
        inbrowser=False,
        prevent_thread_lock=True,
        theme=theme(),
        css=CSS + HEADER_CSS,
        js=PAGE_JS,
        footer_links=["api"],
        max_file_size=MAX_UPLOAD_BYTES,
        quiet=True,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
    )
    return url


def theme() -> gr.themes.Base:
    return gr.themes.Default(primary_hue="red", neutral_hue="gray", font=SANS_FONTS, font_mono=MONO_FONTS)


HEADER_CSS = """
.zb-header h1 { margin: 4px 0 2px 0; font-size: 28px; letter-spacing: 2px; }
.zb-header p { margin: 0 0 6px 0; color: #4b5563; }
"""


def _year_choices(years: Sequence[int]) -> list[tuple[str, str]]:
    return [("全部年份", ALL_YEARS), *((f"{year}年", str(year)) for year in years)]


def _corpus_summary(bot: Bot) -> str:
    reports = sorted(bot.reports, key=lambda r: (r.township, r.year or 0))
    listed = "、".join(
        f"{_text(r.township)}（{r.year or '年份不详'}{'，待确认' if r.doubtful else ''}）" for r in reports
    )
    text = f"**语料库**：{len(reports)} 份报告 —— {listed}"
    if bot.skipped:
        text += f"\n\n已跳过 {len(bot.skipped)} 个无法读取的文件：" + "；".join(
            f"{_text(_relative(s.path, bot.corpus_dir))}（{_text(s.reason)}）" for s in bot.skipped
        )
    return text


def _relative(path: str, folder: Path) -> str:
    """A path as the user knows it: relative to the report folder (the page shows no absolute paths)."""
    try:
        return Path(path).resolve().relative_to(Path(folder).resolve()).as_posix()
    except ValueError:
        return Path(path).name


# Markdown/HTML specials a file name may hold ("<img src=x onerror=…>.txt", "*", "_", "[").
_MARKDOWN_SPECIAL = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]()#+-.!|~>"})


def _text(value: str) -> str:
    """A name or message shown as literal text inside Markdown: HTML-escaped and Markdown-escaped."""
    return html.escape(value, quote=False).translate(_MARKDOWN_SPECIAL)
