"""`python -m ui` / `zhenbao-ui`: load the index once, then serve the chat page on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import sys
import threading
from pathlib import Path

from bot import ChineseArgumentParser, ZhenbaoError, load_bot, reports_dir, restore_interrupt


class ConsoleProgress:
    """Prints index-building progress a line at a time: on each new step, and every 10% within a step."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.message = ""
        self.shown = -1.0

    def __call__(self, fraction: float, message: str) -> None:
        finished = fraction >= 1.0 > self.shown
        if message == self.message and fraction < self.shown + 0.1 and not finished:
            return
        self.message, self.shown = message, fraction
        print(f"[{fraction:4.0%}] {message}", file=self.stream, flush=True)


def main(argv: list[str] | None = None) -> int:
    restore_interrupt()  # from here on Ctrl-C is a KeyboardInterrupt, handled below
    try:
        return _serve(argv)
    except KeyboardInterrupt:
        # Ctrl-C while the index loads, or to stop the page: a message, exit 130, no traceback.
        print("已中断，网页已停止。", file=sys.stderr)
        return 130


def _parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="zhenbao-ui",
        description="镇报问答网页：在本机浏览器中提问报告。",
        epilog=f"您的报告文件夹：{reports_dir()}（首次运行时创建，含示例报告的副本；网页上添加的报告存到这里）",
    )
    parser.add_argument(
        "--port", type=int, default=None, help="端口（默认取 GRADIO_SERVER_PORT，否则 7860 起第一个空闲端口）"
    )
    parser.add_argument("--corpus", type=Path, default=None, help="报告文件夹（默认：您的报告文件夹，见下）")
    parser.add_argument(
        "--model", default=None, help="向量模型：default、e5、use 或 sentence-transformers 模型名"
    )
    parser.add_argument(
        "--backend",
        choices=("faiss", "milvus"),
        default=None,
        help="检索后端：faiss（默认）或 milvus；默认取 ZHENBAO_BACKEND",
    )
    parser.add_argument(
        "--milvus-uri",
        default=None,
        help="Milvus 地址（默认 ZHENBAO_MILVUS_URI，否则索引文件夹中的 milvus-lite 文件）",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="监听地址（默认 127.0.0.1，仅本机；局域网部署可设为本机局域网地址）",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="名称",
        help="另外允许的主机名或地址（可重复；也可用环境变量 ZHENBAO_ALLOWED_HOSTS，逗号分隔）。"
        "网页只接受 Host 为本机回环地址、监听地址或这些名称的请求，以防 DNS 重绑定",
    )
    return parser


def _serve(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    port = _port(args.port, os.environ.get("GRADIO_SERVER_PORT"))
    if problem := _refusal(args.host, port):
        print(f"错误：{problem}", file=sys.stderr)
        return 2

    # Imported here so that `--help` answers at once; loading happens exactly once, below.
    from ui.app import build_app, launch

    print("正在加载报告索引（首次运行需要建立索引，请稍候）……", file=sys.stderr, flush=True)
    try:
        bot = load_bot(
            args.corpus,
            model=args.model,
            progress=ConsoleProgress(),
            backend=args.backend,
            milvus_uri=args.milvus_uri,
            # The page opens once words and figures are indexed; sentence vectors follow (its status line).
            background=True,
        )
    except ZhenbaoError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    print(f"已加载 {len(bot.reports)} 份报告：{'、'.join(bot.townships())}", file=sys.stderr, flush=True)
    app = build_app(bot)
    try:
        url = launch(app, port=port, host=args.host, allowed=args.allowed_host)
    except OSError:
        # Gradio's English OSError ("Cannot find empty port in range: 7861-7861"): the port is taken,
        # often by the page already running in another window, or the address is not this computer's.
        print(_cannot_serve(args.host, port), file=sys.stderr)
        bot.stop_indexing()
        return 2
    print(f"镇报问答已启动：请在浏览器中打开 {url}（按 Ctrl+C 退出）", file=sys.stderr, flush=True)
    _say_when_vectors_are_done(bot)
    app.block_thread()
    return 0


def _bindable(host: str) -> bool:
    """True when this computer can listen on `host` (an address or name of one of its interfaces)."""
    try:
        for family, kind, proto, _, address in socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM):
            with socket.socket(family, kind, proto) as probe:
                probe.bind(address)
                return True
    except OSError:
        pass
    return False


def _port(given: int | None, from_env: str | None) -> int | str | None:
    """The port asked for (None: Gradio picks from 7860), or the text of one that is no port number."""
    if given is not None:
        return given
    if from_env and from_env.strip():
        return int(from_env) if from_env.strip().isdecimal() else from_env
    return None


def _refusal(host: str, port: int | str | None) -> str | None:
    """Why the page cannot start on `host`:`port`, said before the index loads (minutes on a new folder)."""
    if port is not None and (isinstance(port, str) or not 1 <= port <= 65535):
        # Gradio would raise socket's English OverflowError after loading, or fail on a text one.
        return f"端口“{port}”无效：端口应为 1 到 65535 之间的整数（--port 或 GRADIO_SERVER_PORT）。"
    if not _bindable(host):
        # Gradio would try 100 ports on it for minutes, after the index has loaded.
        use = "请用 127.0.0.1（仅本机），或本机的局域网地址。"
        return f"--host {host} 不是本机的地址，无法在其上启动网页。{use}"
    return None


def _cannot_serve(host: str, port: int | None) -> str:
    where = f"{host}:{port}" if port else f"{host} 的 7860 起的端口"
    return (
        f"错误：无法在 {where} 启动网页：端口已被占用（可能已有一个镇报问答网页在运行，"
        "可直接在浏览器中打开它），或监听地址不是本机的地址。请用 --port 换一个端口，或检查 --host。"
    )


def _say_when_vectors_are_done(bot) -> None:
    """A terminal line while sentence vectors are computed in the background, and one when done."""
    if bot.indexing_progress().complete:
        return
    print("句子向量在后台计算中，期间按关键词和数字回答（网页上方显示进度）……", file=sys.stderr, flush=True)

    def wait() -> None:
        while not bot.wait_for_dense(5.0):
            if not bot.dense_seconds_left():  # the job ended without finishing: its status line says why
                return
        print("句子向量已全部完成，回答已使用语义检索。", file=sys.stderr, flush=True)

    threading.Thread(target=wait, daemon=True, name="zhenbao-dense-notice").start()


if __name__ == "__main__":
    sys.exit(main())
