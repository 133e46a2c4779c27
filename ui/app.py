"""The Gradio page: each callback calls one `bot` method and renders; `bot` errors become gr.Error."""

from __future__ import annotations

import atexit
import functools
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

from bot import MAX_UPLOAD_BYTES, SUPPORTED_SUFFIXES, TOP_K_RANGE, ZhenbaoError, describe_supported
from ui import inputs
from ui.export import write_exports
from ui.figures import FigureView, figure_updates, figure_view
from ui.hosts import HostCheck, allowed_hosts
from ui.identity import IdentityForm, identity_form
from ui.manage import ALL_YEARS, Manage, example_questions, indexing_status, year_choices
from ui.manage import corpus_summary as _corpus_summary
from ui.messages import PAGE_JS, report_files
from ui.messages import markdown_text as _text  # noqa: F401  (tests read it from here)
from ui.messages import shown as _shown
from ui.render import COPY_JS, CSS, Turn, render_conversation
from ui.reports_tab import ReportsTab, reports_tab_layout
from ui.sizes import ChineseTooLarge

if TYPE_CHECKING:
    from bot import Bot

TITLE = "镇报问答"
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
    callbacks, manage = _Callbacks(bot), Manage(bot)
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as app:
        page = _layout(bot)
        _wire(page, callbacks, manage)
        # A page opened after uploads or corrections shows the corpus as it is now, not as at start-up.
        app.load(**_current(page, manage))
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

    def figures(self, turns: list[Turn]):
        """The last answer's figures as a table and, for rankings and per-town answers, a bar chart."""
        return figure_updates(turns[-1].answer if turns else None)

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
    examples: gr.Dataset
    figures: FigureView
    towns: gr.Dropdown
    year: gr.Dropdown
    top_k: gr.Slider
    clear_button: gr.Button
    markdown_button: gr.DownloadButton
    word_button: gr.DownloadButton
    corpus_info: gr.Markdown
    files: gr.File
    upload_button: gr.Button
    upload_status: gr.Markdown
    identity: IdentityForm
    reports: ReportsTab
    indexing: gr.Markdown


def _layout(bot: Bot) -> _Page:
    gr.HTML(
        f'<div class="zb-header"><h1>{TITLE}</h1>'
        "<p>用大白话提问乡镇法治政府建设年度报告。回答逐字引用报告原文，注明乡镇、年份和章节，"
        "可一键复制到文稿。全程在本机运行，不联网。</p></div>"
    )
    # Background embedding (load_bot(background=True)): its progress, polled by a timer in _wire.
    indexing = gr.Markdown(indexing_status(bot), elem_id="zb-indexing")
    with gr.Tabs():
        with gr.Tab("问答", id="ask"):
            asking = _ask_tab(bot)
        with gr.Tab("报告", id="reports", elem_id="zb-reports-tab"):
            managing = _reports_tab(bot)
    return _Page(*asking, *managing, indexing)


def _ask_tab(bot: Bot) -> tuple:
    turns = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            conversation = gr.HTML(
                render_conversation([]),
                js_on_load=COPY_JS,
                elem_id="zb-conversation",
                min_height=320,
                autoscroll=True,
            )
            figures = figure_view()
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
            examples = gr.Examples(
                example_questions(bot.townships()), inputs=[question], label="示例问题（点击填入）"
            )
        with gr.Column(scale=1, min_width=260):
            with gr.Accordion("筛选", open=True):
                towns = gr.Dropdown(
                    choices=bot.townships(), multiselect=True, label="乡镇（可多选，不选即全部）"
                )
                year = gr.Dropdown(choices=year_choices(bot.years()), value=ALL_YEARS, label="年份")
                # The slider stops short of TOP_K_RANGE's end: more than 8 cards is rarely wanted on a page.
                top_k = gr.Slider(TOP_K_RANGE.start, 8, value=3, step=1, label="引用段落数")
            clear_button = gr.Button("清空对话")
            with gr.Accordion("导出对话", open=True):
                markdown_button = gr.DownloadButton("下载 Markdown", interactive=False, size="sm")
                word_button = gr.DownloadButton("下载 Word（.docx）", interactive=False, size="sm")
            corpus_info = gr.Markdown(_corpus_summary(bot), elem_id="zb-corpus")
    return (
        turns, conversation, question, ask_button, examples.dataset, figures, towns, year, top_k,
        clear_button, markdown_button, word_button, corpus_info,
    )  # fmt: skip


def _reports_tab(bot: Bot) -> tuple:
    reports = reports_tab_layout(bot)
    with gr.Row(equal_height=False):
        with gr.Column(), gr.Accordion("添加报告", open=True):
            files = report_files(
                label=f"报告文件（{describe_supported()}，每个不超过 {MAX_UPLOAD_MB} MB）",
                file_count="multiple",
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="zb-files",
            )
            upload_button = gr.Button("添加到语料库并建立索引", size="sm", elem_id="zb-upload")
            upload_status = gr.Markdown(elem_id="zb-upload-status")
        with gr.Column():
            identity = identity_form(bot)
    return files, upload_button, upload_status, identity, reports


def _wire(page: _Page, callbacks: _Callbacks, manage: Manage) -> None:
    chat_event = {
        "fn": callbacks.chat,
        "inputs": [page.question, page.turns, page.towns, page.year, page.top_k],
        "outputs": [page.conversation, page.turns, page.question, page.markdown_button, page.word_button],
        "concurrency_id": "ask",
        "concurrency_limit": ASK_CONCURRENCY,
    }
    figures = {
        "fn": callbacks.figures,
        "inputs": [page.turns],
        "outputs": [page.figures.table, page.figures.chart],
        "api_visibility": "private",
    }
    page.ask_button.click(**chat_event, api_name="chat", api_visibility="undocumented").then(**figures)
    page.question.submit(**chat_event, api_visibility="private").then(**figures)
    page.clear_button.click(
        callbacks.clear,
        outputs=[page.conversation, page.turns, page.markdown_button, page.word_button],
        api_visibility="private",
    ).then(**figures)
    gr.api(callbacks.ask, api_name="ask", concurrency_id="ask", concurrency_limit=ASK_CONCURRENCY)
    gr.Timer(2.0).tick(
        functools.partial(indexing_status, callbacks.bot),
        outputs=page.indexing,
        api_visibility="private",
        queue=False,
    )
    _wire_reports(page, manage)


def _wire_reports(page: _Page, manage: Manage) -> None:
    tab, form = page.reports, page.identity
    current = _current(page, manage)
    filters = [page.towns, page.year, page.corpus_info, form.report]
    page.upload_button.click(
        manage.upload,
        inputs=[page.files],
        outputs=[page.upload_status, page.files, *filters],
        api_name="upload",
        api_visibility="undocumented",
        concurrency_limit=1,
    ).then(**current)
    form.report.change(
        manage.pick_report,
        inputs=[form.report],
        outputs=[form.township, form.county, form.year, form.status],
        api_visibility="private",
    )
    form.save_button.click(
        manage.save_report_info,
        inputs=[form.report, form.township, form.county, form.year],
        outputs=[form.status, form.report, page.towns, page.year, page.corpus_info],
        api_name="report_info",
        api_visibility="undocumented",
        concurrency_limit=1,
    ).then(**current)
    tab.remove_button.click(
        manage.remove,
        inputs=[tab.remove_choice, tab.remove_confirm],
        outputs=[tab.remove_status, tab.remove_confirm],
        api_name="remove_report",
        api_visibility="undocumented",
        concurrency_limit=1,
    ).then(**current)
    # .input, not .change: the page-load refresh sets the box too, and that must not switch anything.
    tab.samples.input(
        manage.samples, inputs=[tab.samples], outputs=[tab.samples_status], api_visibility="private"
    ).then(**current)


def _current(page: _Page, manage: Manage) -> dict:
    """The event that brings every corpus-dependent element up to date (`Manage.current`)."""
    tab = page.reports
    return {
        "fn": manage.current,
        "outputs": [
            page.towns, page.year, page.corpus_info, page.identity.report, page.examples,
            tab.folder, tab.table, tab.remove_choice, tab.samples,
        ],
        "api_visibility": "private",
    }  # fmt: skip


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
        app_kwargs={
            "middleware": [
                Middleware(HostCheck, hosts=allowed_hosts(host, allowed)),
                Middleware(ChineseTooLarge, limit_bytes=MAX_UPLOAD_BYTES),
            ]
        },
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
