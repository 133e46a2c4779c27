"""Command line: `python -m bot index` and `python -m bot ask` (console script: zhenbao)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from bot.answers.model import Answer
from bot.errors import ZhenbaoError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhenbao", description="镇报问答：就乡镇法治政府建设年度报告提问，逐字引用原文作答。"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", help="报告文件夹（.txt/.docx/.pdf），默认为仓库中的 seeds/")
    common.add_argument(
        "--model",
        help="嵌入模型：default（内置 e5-small）、e5、use，或 sentence-transformers 模型名/本地文件夹",
    )
    common.add_argument("--cache-dir", help="索引存放位置，默认 ZHENBAO_CACHE_DIR 或用户缓存目录")
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("index", parents=[common], help="建立或更新索引")

    ask = commands.add_parser("ask", parents=[common], help="提问")
    ask.add_argument("question", help="问题；写 - 则从标准输入逐行读取问题（配合 --json）")
    ask.add_argument("--json", action="store_true", help="输出 JSON（逐行输入时每行一个 JSON 对象）")
    ask.add_argument("--top-k", type=int, default=3, help="引用的段落数（默认 3）")
    ask.add_argument("--town", action="append", default=[], help="只在该乡镇的报告中查找，可重复")
    ask.add_argument("--year", type=int, help="只在该年度的报告中查找")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _utf8_output()
    try:
        bot = _load(args)
        if args.command == "index":
            return _index(bot)
        if args.question == "-":
            return _ask_stream(bot, args)
        answer = bot.ask(args.question, top_k=args.top_k, towns=args.town, year=args.year)
    except ZhenbaoError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return 0


def _load(args):
    from bot.engine import load_bot

    return load_bot(args.corpus, model=args.model, cache_dir=args.cache_dir, show_bar=sys.stderr.isatty())


def _index(bot) -> int:
    print(f"索引位置：{bot.index_dir}")
    print(f"已索引 {len(bot.reports)} 份报告：")
    for report in bot.reports:
        print(f"  {report.township}  {report.year or '年份不详'}  {report.report_id}")
    if bot.skipped:
        print(f"跳过 {len(bot.skipped)} 个文件：")
        for skipped in bot.skipped:
            print(f"  {skipped.path}：{skipped.reason}")
    return 0


def _ask_stream(bot, args) -> int:
    """One question per input line, one JSON object per output line; the index is loaded once."""
    for line in sys.stdin:
        question = line.strip()
        if not question:
            continue
        try:
            data = bot.ask(question, top_k=args.top_k, towns=args.town, year=args.year).to_dict()
        except ZhenbaoError as exc:
            data = {
                "question": question,
                "status": "not_found",
                "answer": str(exc),
                "passages": [],
                "error": str(exc),
            }
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
            reconfigure(encoding="utf-8")
