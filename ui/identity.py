"""The 核对报告信息 form: one file's township, county and year, as the user confirms or corrects them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import gradio as gr

if TYPE_CHECKING:
    from bot import Bot


@dataclass(frozen=True)
class IdentityForm:
    """The 核对报告信息 form: one file's township, county and year, saved to 报告信息.csv."""

    report: gr.Dropdown
    township: gr.Textbox
    county: gr.Textbox
    year: gr.Number
    save_button: gr.Button
    status: gr.Markdown


def identity_form(bot: Bot) -> IdentityForm:
    with gr.Accordion("核对报告信息", open=True):
        report = gr.Dropdown(
            choices=report_choices(bot),
            value=None,
            label="报告文件（标 ⚠ 的有推测项）",
            elem_id="zb-identity-report",
        )
        township = gr.Textbox(label="乡镇", elem_id="zb-identity-township")
        county = gr.Textbox(label="县区", elem_id="zb-identity-county")
        year = gr.Number(None, label="年份", precision=0, elem_id="zb-identity-year")
        save_button = gr.Button("保存并重建索引", size="sm", elem_id="zb-identity-save")
        status = gr.Markdown(elem_id="zb-identity-status")
    return IdentityForm(report, township, county, year, save_button, status)


def report_choices(bot: Bot) -> list[tuple[str, str]]:
    """(label, report_id) per report; a report with a guessed field is marked ⚠ and listed first."""
    reports = sorted(bot.reports, key=lambda r: (not r.doubtful, r.report_id))
    return [
        (f"{'⚠ ' if r.doubtful else ''}{r.report_id}（{r.township}，{r.year or '年份不详'}）", r.report_id)
        for r in reports
    ]
