"""The 报告 tab: what is indexed and what was read for each file; correct, remove, add, samples on/off.

Everything here is recomputed from the `Bot` on every page load and after every change (`corpus_state`),
so a page opened after an upload never shows the corpus as it was at start-up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import gradio as gr
import pandas as pd

from bot import FIELD_LABELS, reports_dir
from ui.messages import markdown_text

if TYPE_CHECKING:
    from bot import Bot

COLUMNS = ["文件", "乡镇", "县区", "年份", "标题", "段落数", "数字数", "待确认", "示例"]


@dataclass(frozen=True)
class ReportsTab:
    folder: gr.Markdown
    table: gr.Dataframe
    remove_choice: gr.Dropdown
    remove_confirm: gr.Checkbox
    remove_button: gr.Button
    remove_status: gr.Markdown
    samples: gr.Checkbox
    samples_status: gr.Markdown


def reports_tab_layout(bot: Bot) -> ReportsTab:
    """The table and the remove/samples controls (the caller places the identity and upload forms)."""
    folder = gr.Markdown(folder_note(bot), elem_id="zb-folder")
    table = gr.Dataframe(
        value=reports_table(bot),
        label="已索引的报告（⚠ 表示有推测项，请核对）",
        interactive=False,
        wrap=True,
        elem_id="zb-reports",
    )
    with gr.Accordion("删除报告", open=False):
        remove_choice = gr.Dropdown(
            choices=removable_choices(bot), label="要删除的报告（只列出您自己添加的，示例报告不能单独删除）"
        )
        remove_confirm = gr.Checkbox(False, label="确认删除：文件将从报告文件夹中删除，不能恢复")
        remove_button = gr.Button("删除并更新索引", size="sm", variant="stop")
        remove_status = gr.Markdown()
    samples = gr.Checkbox(
        value=_samples_in_use(bot),
        label="使用随程序附带的示例报告",
        visible=uses_default_folder(bot),
        elem_id="zb-samples",
    )
    samples_status = gr.Markdown()
    return ReportsTab(
        folder, table, remove_choice, remove_confirm, remove_button, remove_status, samples, samples_status
    )


def uses_default_folder(bot: Bot) -> bool:
    return bot.corpus_dir.resolve() == reports_dir().resolve()


def _samples_in_use(bot: Bot) -> bool:
    return any(bot.is_sample(r.report_id) for r in bot.reports)


def folder_note(bot: Bot) -> str:
    where = markdown_text(str(bot.corpus_dir))
    if uses_default_folder(bot):
        return f"**您的报告文件夹**：{where}（“添加报告”存到这里；示例报告的副本在其中的“示例报告”子文件夹）"
    return f"**报告文件夹**：{where}（启动时用 --corpus 指定）"


def reports_table(bot: Bot) -> pd.DataFrame:
    """One row per indexed report: identity as read (or corrected), and how much of it was indexed."""
    figures = Counter(figure.report_id for figure in bot.corpus.figures)
    rows = []
    for parsed in bot.corpus.reports:
        report = parsed.report
        rows.append(
            [
                report.report_id,
                report.township,
                report.district or "",
                str(report.year) if report.year else "年份不详",
                report.title or "",
                len(parsed.paragraphs),
                figures[report.report_id],
                "⚠ " + "、".join(FIELD_LABELS[name] for name in report.doubtful) if report.doubtful else "",
                "是" if bot.is_sample(report.report_id) else "",
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def removable_choices(bot: Bot) -> list[tuple[str, str]]:
    return [
        (f"{r.report_id}（{r.township}，{r.year or '年份不详'}）", r.report_id)
        for r in bot.reports
        if not bot.is_sample(r.report_id)
    ]


def tab_updates(bot: Bot) -> tuple:
    """Current values for (folder, table, remove_choice, samples)."""
    return (
        folder_note(bot),
        reports_table(bot),
        gr.Dropdown(choices=removable_choices(bot), value=None),
        gr.Checkbox(value=_samples_in_use(bot), visible=uses_default_folder(bot)),
    )
