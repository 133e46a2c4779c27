"""Managing the corpus from the page: add, correct, remove reports, samples on/off, and keeping every
corpus-dependent element (filters, summary, examples, the 报告 tab) current after each change and on
every page load. Each callback calls one `bot` method, then returns `current()`'s values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import gradio as gr

from bot import FIELD_LABELS, TABLE_NAME, ZhenbaoError, describe_supported, set_samples, shown_path
from ui.identity import report_choices
from ui.messages import markdown_text as _text
from ui.messages import shown as _shown
from ui.reports_tab import tab_updates

if TYPE_CHECKING:
    from bot import Bot

ALL_YEARS = ""
# The questions the page suggests; those naming a township are offered only when it is in the corpus.
EXAMPLES = [
    "哪个镇办理行政执法案件最多",
    "兴隆镇化解了多少矛盾纠纷",
    "那河市镇呢？",
    "季家镇开展了哪些普法宣传活动",
    "各镇行政复议和行政诉讼情况如何",
    "商酒务镇法治政府建设存在哪些不足",
]
_TOWN_TEMPLATES = [
    "{}化解了多少矛盾纠纷",
    "那{}呢？",
    "{}开展了哪些普法宣传活动",
    "{}法治政府建设存在哪些不足",
]


def indexing_status(bot: Bot) -> str:
    """One line while sentence vectors are still computed in the background, else nothing."""
    progress = bot.indexing_progress()
    if progress.complete:
        return ""
    return (
        f"⏳ 句子向量后台计算中：已完成 {progress.done}/{progress.total} 句。"
        "期间的回答按关键词和数字检索，完成后自动加上语义检索。"
    )


def example_questions(townships: Sequence[str]) -> list[str]:
    """EXAMPLES when the samples' townships are all there, else the same questions about the corpus's own."""
    named = ("兴隆镇", "河市镇", "季家镇", "商酒务镇")
    if all(town in townships for town in named):
        return list(EXAMPLES)
    general = [EXAMPLES[0], EXAMPLES[4]]
    own = [template.format(town) for template, town in zip(_TOWN_TEMPLATES, townships, strict=False)]
    return [general[0], *own[:2], general[1], *own[2:]]


def year_choices(years: Sequence[int]) -> list[tuple[str, str]]:
    return [("全部年份", ALL_YEARS), *((f"{year}年", str(year)) for year in years)]


def corpus_summary(bot: Bot) -> str:
    reports = sorted(bot.reports, key=lambda r: (r.township, r.year or 0))
    listed = "、".join(
        f"{_text(r.township)}（{r.year or '年份不详'}{'，待确认' if r.doubtful else ''}）" for r in reports
    )
    text = f"**语料库**：{len(reports)} 份报告 —— {listed}"
    if bot.skipped:
        text += f"\n\n已跳过 {len(bot.skipped)} 个无法读取的文件：" + "；".join(
            f"{_text(shown_path(s.path, bot.corpus_dir))}（{_text(s.reason)}）" for s in bot.skipped
        )
    return text


class Manage:
    """The 报告 tab's buttons and the page-load refresh."""

    def __init__(self, bot: Bot):
        self.bot = bot

    def current(self) -> tuple:
        """(towns, year, summary, identity report, examples, folder, table, remove choice, samples)."""
        bot = self.bot
        examples = gr.Dataset(samples=[[q] for q in example_questions(bot.townships())])
        return (
            gr.Dropdown(choices=bot.townships()),
            gr.Dropdown(choices=year_choices(bot.years())),
            corpus_summary(bot),
            gr.Dropdown(choices=report_choices(bot)),
            examples,
            *tab_updates(bot),
        )

    # Gradio recognises the progress tracker by this default value.
    def upload(self, files: list[str] | None, progress=gr.Progress()):  # noqa: B008
        if not files:
            raise _shown(f"请先选择要添加的报告文件（{describe_supported()}）。", "未选择文件")
        try:
            # Reading and embedding report their progress here (Bot.add_reports → sync_index). A future
            # Bot.indexing_progress() → (done, total) for background indexing would be polled here too.
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
        towns, years, summary, reports, *_ = self.current()
        return "\n".join(lines), None, towns, years, summary, reports

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
        towns, years, summary, reports, *_ = self.current()
        return note, reports, towns, years, summary

    def remove(self, report_id: str | None, confirmed: bool, progress=gr.Progress()):  # noqa: B008
        if not report_id:
            raise _shown("请先选择要删除的报告。", "未选择报告")
        if not confirmed:
            raise _shown("请先勾选“确认删除”，再点删除。", "未确认")
        try:
            self.bot.remove_report(report_id, lambda fraction, message: progress(fraction, desc=message))
        except ZhenbaoError as error:
            raise _shown(str(error), "无法删除") from None
        return f"已删除 {_text(report_id)}，索引已更新。", False

    def samples(self, enabled: bool, progress=gr.Progress()):  # noqa: B008
        try:
            set_samples(enabled)
            self.bot.refresh(lambda fraction, message: progress(fraction, desc=message))
        except ZhenbaoError as error:
            raise _shown(str(error), "无法更改") from None
        return "已启用示例报告。" if enabled else "已停用示例报告（只删除了报告文件夹中的副本）。"
