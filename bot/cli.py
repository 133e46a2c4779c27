"""Command line: `python -m bot index` and `python -m bot ask` (console script: zhenbao)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from bot._startup import restore_interrupt
from bot.answers.model import Answer
from bot.errors import TOP_K_RANGE, ZhenbaoError, check_top_k
from bot.ingest.formats import describe_supported
from bot.ingest.report_info import COLUMNS, TABLE_NAME, read_table
from bot.lang.scope import check_question
from bot.report import FIELD_LABELS

# argparse speaks English; an official at a Windows prompt gets its messages in Chinese.
_ARGPARSE_ZH = (
    (re.compile(r"the following arguments are required: (.+)"), r"缺少必需的参数：\1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"无法识别的参数：\1。可用 -h 查看用法"),
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), r"参数 \1 需要一个整数，收到的是“\2”"),
    (
        re.compile(r"argument (\S+): invalid choice: '(.*)' \(choose from (.+)\)"),
        r"参数 \1 不能是“\2”，可选：\3",
    ),
    (re.compile(r"argument (\S+): expected one argument"), r"参数 \1 后面需要一个值"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '(.*)'"), r"参数 \1 的值“\3”无效"),
    (re.compile(r"ambiguous option: (\S+) could match (.+)"), r"选项 \1 不明确，可能是：\2"),
    (re.compile(r"argument (\S+): (.+)"), r"参数 \1 有误：\2"),
)


class _ChineseHelpFormatter(argparse.HelpFormatter):
    """The usage line of --help in Chinese (the section titles are set by the parser)."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its error messages and --help texts in Chinese (the CLI and `python -m ui` share it)."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ARGPARSE_ZH:
            if pattern.fullmatch(message):
                message = pattern.sub(chinese, message)
                break
        self.exit(2, f"{self.prog}：错误：{message}\n")


def _common_options() -> argparse.ArgumentParser:
    """The options every command takes: where the reports, the model, the index and the backend are."""
    common = ChineseArgumentParser(add_help=False)
    common.add_argument(
        "--corpus", help=f"报告文件夹（{describe_supported()}），默认为您的报告文件夹（含示例报告）"
    )
    samples = common.add_mutually_exclusive_group()
    samples.add_argument(
        "--no-samples", dest="samples", action="store_false", default=None,
        help="停用示例报告（从您的报告文件夹移除示例报告的副本，记入设置，之后一直有效）",
    )  # fmt: skip
    samples.add_argument("--samples", dest="samples", action="store_true", help="重新启用示例报告")
    common.add_argument(
        "--model",
        help="嵌入模型：default（内置 e5-small）、e5、use，或 sentence-transformers 模型名/本地文件夹",
    )
    common.add_argument("--cache-dir", help="索引存放位置，默认 ZHENBAO_CACHE_DIR 或用户缓存目录")
    common.add_argument(
        "--backend",
        choices=("faiss", "milvus"),
        help="检索后端：faiss（默认，内存中）或 milvus（本机 milvus-lite 文件，或 --milvus-uri 指定的服务）；"
        "默认取 ZHENBAO_BACKEND",
    )
    common.add_argument(
        "--milvus-uri",
        help="Milvus 地址，如 http://host:19530；默认 ZHENBAO_MILVUS_URI，否则索引文件夹中的文件",
    )
    return common


def _parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="zhenbao",
        description="镇报问答：就乡镇法治政府建设年度报告提问，逐字引用原文作答。",
        epilog=_data_folder_note(),
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    common = _common_options()
    commands = parser.add_subparsers(
        dest="command", required=True, title="命令", parser_class=ChineseArgumentParser
    )

    index = commands.add_parser(
        "index", parents=[common], help="建立或更新索引", epilog=_data_folder_note(), add_help=False
    )
    index.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    index.add_argument(
        "--json", action="store_true", help="每个文件输出一行 JSON（已索引或跳过，及识别结果）"
    )

    ask = commands.add_parser(
        "ask", parents=[common], help="提问", epilog=_data_folder_note(), add_help=False
    )
    ask.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    ask.add_argument("question", help="问题；写 - 则从标准输入逐行读取问题（配合 --json）")
    ask.add_argument("--json", action="store_true", help="输出 JSON（逐行输入时每行一个 JSON 对象）")
    top_k = f"引用的段落数，{TOP_K_RANGE.start}–{TOP_K_RANGE.stop - 1}（默认 3）"
    ask.add_argument("--top-k", type=int, default=3, help=top_k)
    ask.add_argument("--town", action="append", default=[], help="只在该乡镇的报告中查找，可重复")
    ask.add_argument("--year", type=int, help="只在该年度的报告中查找")

    _add_figures_command(commands, common)
    return parser


def _add_figures_command(commands, common: argparse.ArgumentParser) -> None:
    figures = commands.add_parser(
        "figures", parents=[common], help="查看或导出各报告中的数字（按指标排序，或某乡镇的全部数字）",
        epilog="不加 --metric 和 --town 时列出可用的指标。", add_help=False,
    )  # fmt: skip
    figures.add_argument("-h", "--help", action="help", help="显示帮助并退出")
    figures.add_argument("--metric", help="指标，如 行政执法案件：各报告的数字从大到小，按单位分组并合计")
    figures.add_argument("--town", help="只看该乡镇的数字")
    figures.add_argument("--year", type=int, help="只看该年度报告的数字")
    figures.add_argument("--csv", help="把所列数字写入该 CSV 文件（可用 Excel 打开）")


# One message for Ctrl-C wherever it lands (imports, model load, sync, a question), never a traceback.
INTERRUPTED = "已中断：已停止；已完成的部分已保存，下次自动继续。"
# A one-shot question waits for the sentence vectors only when they are this close to done (seconds).
DENSE_WAIT = 30.0


def main(argv: Sequence[str] | None = None) -> int:
    restore_interrupt()  # from here on Ctrl-C is a KeyboardInterrupt, handled below
    _utf8_output()
    try:
        return _run(_parser().parse_args(argv))
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    bot = None
    try:
        if args.command == "ask":
            # Said at once: loading may first build the index, minutes on a new report folder.
            check_top_k(args.top_k)
            if args.question != "-":
                check_question(args.question)
        if args.command == "figures" and args.csv and (problem := _csv_problem(args.csv)):
            raise ZhenbaoError(problem)
        bot = _load(args)
        if args.command == "index":
            return _index_json(bot) if args.json else _index(bot)
        if args.command == "figures":
            return _figures(bot, args)
        if args.question == "-":
            return _ask_stream(bot, args)
        _wait_for_dense(bot)
        answer = bot.ask(args.question, top_k=args.top_k, towns=args.town, year=args.year)
    except ZhenbaoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        if bot is not None:
            bot.stop_indexing()  # saves the sentence vectors embedded so far
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def _data_folder_note() -> str:
    from bot.paths import SAMPLES_FOLDER, reports_dir

    return (
        f"您的报告文件夹：{reports_dir()}（首次运行时创建；网页上“添加报告”存到这里；"
        f"示例报告的副本在其中的 {SAMPLES_FOLDER} 子文件夹）"
    )


def _load(args):
    from bot.engine import load_bot
    from bot.paths import set_samples

    if args.samples is not None:
        set_samples(args.samples)
    # `index` embeds every sentence before it returns; `ask` answers from words and figures at once
    # and embeds in the background meanwhile (see _wait_for_dense).
    return load_bot(
        args.corpus,
        model=args.model,
        cache_dir=args.cache_dir,
        show_bar=sys.stderr.isatty(),
        backend=args.backend,
        milvus_uri=args.milvus_uri,
        background=args.command in ("ask", "figures"),
    )


def _figures(bot, args) -> int:
    from bot.figures_export import select, source_names, text_lines, write_csv
    from bot.index.store import open_figures

    db = open_figures(bot.index_dir)
    if db is None:
        raise ZhenbaoError("还没有可用的索引，请先运行 zhenbao index。")
    with db:
        if args.metric is None and args.town is None:
            print(
                "可用的指标（给出该数字的报告数）；用 --metric 指标 查看排序，--town 乡镇 查看某乡镇的数字："
            )
            for metric, reports in db.curated_metrics():
                print(f"  {metric}（{reports}份报告）")
            return 0
        rows = select(db, metric=args.metric, town=args.town, year=args.year)
    if not rows:
        asked = "、".join(x for x in (args.metric, args.town, f"{args.year}年" if args.year else None) if x)
        print(f"没有找到符合条件（{asked}）的数字；不加参数运行 zhenbao figures 可列出可用的指标。")
        return 2
    sources = source_names(bot.reports, Path(bot.corpus_dir))
    print("\n".join(text_lines(rows, sources, args.metric)))
    if args.csv:
        try:
            write_csv(Path(args.csv), rows, sources)
        except OSError as exc:  # a folder given, no permission, disk full: said, not a traceback
            raise ZhenbaoError(_csv_problem(args.csv, exc)) from exc
        print(f"已写入 {len(rows)} 行：{args.csv}")
    return 0


def _csv_problem(target: str, exc: OSError | None = None) -> str | None:
    """Why a CSV cannot be written at `target` (checked before loading, and again when writing)."""
    path = Path(target)
    if path.is_dir():
        return f"--csv 应为一个文件名（如 数字.csv），“{target}”是文件夹。"
    if not path.parent.is_dir():
        return f"无法写入 {target}：文件夹“{path.parent}”不存在。请先建立该文件夹，或换一个位置。"
    if exc is not None:
        return f"无法写入 {target}（{exc.strerror or exc}）。请检查权限和磁盘空间，或换一个位置。"
    return None


def _wait_for_dense(bot) -> None:
    """Wait for the sentence vectors when they are done within DENSE_WAIT seconds; else answer now
    from words and figures (the answer says so) and say how to finish them."""
    import time

    deadline = time.monotonic() + DENSE_WAIT
    while bot.dense_seconds_left() > 0:
        if time.monotonic() + bot.dense_seconds_left() > deadline:
            progress = bot.indexing_progress()
            print(f"{progress.message}；运行 zhenbao index 可一次算完。", file=sys.stderr)
            return
        bot.wait_for_dense(0.2)


def _index(bot) -> int:
    print(f"索引位置：{bot.index_dir}")
    print(f"已索引 {len(bot.reports)} 份报告：")
    for report in bot.reports:
        print(f"  {report.township}  {report.year or '年份不详'}  {report.report_id}{_doubt_note(report)}")
    if any(report.doubtful for report in bot.reports):
        print(
            f"标有“待确认”的项是推测出来的：请核对，必要时在报告文件夹的 {TABLE_NAME} 中写明"
            f"（列：{'，'.join(COLUMNS)}）。"
        )
    for problem in read_table(bot.corpus_dir).problems:
        print(problem)
    if bot.skipped:
        print(f"跳过 {len(bot.skipped)} 个文件：")
        for skipped in bot.skipped:
            print(f"  {skipped.path}：{skipped.reason}")
    return 0


def _index_json(bot) -> int:
    """One JSON object per file, indexed or skipped, so that scripts can check what was read."""
    for report in bot.reports:
        print(
            json.dumps(
                {"file": report.report_id, "status": "indexed", **_identity(report)}, ensure_ascii=False
            )
        )
    for skipped in bot.skipped:
        print(
            json.dumps(
                {"file": skipped.path, "status": "skipped", "reason": skipped.reason}, ensure_ascii=False
            )
        )
    return 0


def _doubt_note(report) -> str:
    if not report.doubtful:
        return ""
    return f"  （待确认：{'、'.join(FIELD_LABELS[name] for name in report.doubtful)}）"


def _identity(report) -> dict[str, Any]:
    """Each identity field with where it was read and how sure that reading is."""
    fields: dict[str, Any] = {
        "township": report.township,
        "county": report.district,
        "year": report.year,
        "title": report.title,
        "doubtful": list(report.doubtful),
        "script": report.script,
    }
    for source in report.sources:
        fields[f"{source.field}_source"] = source.source
        fields[f"{source.field}_confidence"] = round(source.confidence, 2)
    return fields


def _lines(stream) -> Iterator[tuple[str | None, str | None]]:
    """(question, None) per non-blank line, or (None, problem) for a line that is not valid UTF-8:
    one bad line must not stop the questions after it."""
    for number, raw in enumerate(stream.buffer if hasattr(stream, "buffer") else stream, start=1):
        if isinstance(raw, str):
            line = raw
        else:
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield None, f"第 {number} 行不是有效的 UTF-8 文本，已跳过。请把问题另存为 UTF-8 编码"
                continue
        if line.strip():
            yield line.strip(), None


def _ask_stream(bot, args) -> int:
    """One question per input line, one JSON object per output line; the index is loaded once."""
    for question, problem in _lines(sys.stdin):
        if problem is None:
            try:
                data = bot.ask(question, top_k=args.top_k, towns=args.town, year=args.year).to_dict()
            except ZhenbaoError as exc:
                problem = str(exc)
        if problem is not None:
            # status "error": a script can tell a question it must fix from one the reports do not answer.
            data = {"question": question or "", "status": "error", "answer": problem, "passages": []}
            data["error"] = problem
        if args.json:
            print(json.dumps(data, ensure_ascii=False), flush=True)
        else:
            print(data["answer"], flush=True)
    return 0


def format_answer(answer: Answer) -> str:
    """Plain-text rendering for the terminal: lead, then each quote with its citation."""
    lines = [answer.answer]
    if answer.kind == "passages":
        for n, passage in enumerate(answer.passages, start=1):
            report = passage.report
            lines += [
                "",
                f"【{n}】{report.township} · {report.year or '年份不详'}年 · "
                f"{passage.paragraph.section or '正文开头'}（得分 {passage.score:.3f}）",
                passage.paragraph.text.strip(),
                passage.citation,
            ]
    return "\n".join(lines)


def _utf8_output() -> None:
    """Windows consoles and pipes default to GBK; JSON and quotes must come out as UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8", errors="replace")
