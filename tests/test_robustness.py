"""Issue 13, the CLI share: bad bytes in questions, argparse in Chinese, Ctrl-C without a traceback.

Fast: the engine runs on the fake encoder in-process; only the Ctrl-C case starts a real process.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ui.__main__ as ui_main
from bot import cli
from bot.errors import BadQuestion
from bot.lang.scope import check_question
from embeddings.encoders import _text_list
from tests.fakes.encoder import FakeEncoder

ROOT = Path(__file__).resolve().parent.parent
# English words argparse would print; none may reach a user of `python -m bot` / `python -m ui`.
_ENGLISH = re.compile(
    r"\b(usage|options|positional|arguments?|invalid|error|expected|required|unrecognized|"
    r"ambiguous|choose|show this help|value)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def fake_bot(seeds_dir, tmp_path_factory):
    from bot.engine import load_bot

    return load_bot(seeds_dir, encoder=FakeEncoder(), cache_dir=tmp_path_factory.mktemp("robust-cache"))


@pytest.fixture
def cli_with(fake_bot, monkeypatch, capsys):
    """Run cli.main on the fake-encoder bot with the given stdin bytes; (exit code, stdout, stderr)."""

    def run(*argv: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr(cli, "_load", lambda args: fake_bot)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_stream_answers_every_line_around_a_bad_one(cli_with):
    stdin = "好".encode() + b"\xff\n" + "哪个镇办理行政执法案件最多\n".encode() + b"\xed\xa0\x80\n"
    code, out, err = cli_with("ask", "--json", "-", stdin=stdin)
    assert code == 0, err
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["status"] for a in answers] == ["error", "answered", "error"]
    assert "第 1 行不是有效的 UTF-8" in answers[0]["error"] and "第 3 行" in answers[2]["error"]
    assert answers[1]["answer"].startswith("季家镇办理行政执法案件最多：728件")


def test_stream_bad_question_is_status_error(cli_with):
    code, out, _ = cli_with("ask", "--json", "-", stdin=("问" * 300 + "\n？？\n").encode())
    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["status"] for a in answers] == ["error", "error"]
    assert "问题太长" in answers[0]["error"] and "问题里没有文字" in answers[1]["error"]


@pytest.mark.parametrize("question", ["\udcff\udcfe", "好\udcff", "\ud800"])
def test_undecodable_argv_question_is_a_chinese_message(cli_with, question):
    # On POSIX, Python hands argv bytes that are not UTF-8 over as lone surrogates (surrogateescape).
    code, out, err = cli_with("ask", question)
    assert code == 2 and out == ""
    assert "无法识别的字符" in err and "Traceback" not in err


def test_encoders_never_pass_on_a_lone_surrogate():
    for text in _text_list(["好\udcff", "\ud800", "正常"]):
        text.encode("utf-8")  # raises UnicodeEncodeError for a surrogate
    assert _text_list(["正常"]) == ["正常"]


ARGPARSE_CASES = [
    ["--help"],
    ["ask", "--help"],
    ["index", "--help"],
    [],
    ["ask"],
    ["frob"],
    ["ask", "x", "--top-k", "abc"],
    ["ask", "x", "--year", "1.5"],
    ["ask", "x", "--top-k"],
    ["ask", "x", "--bogus"],
    ["ask", "x", "--t", "3"],
]


@pytest.mark.parametrize("argv", ARGPARSE_CASES, ids=" ".join)
def test_cli_argparse_speaks_chinese(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    out, err = capsys.readouterr()
    assert exit_info.value.code == (0 if "--help" in argv else 2)
    assert re.search(r"[\u4e00-\u9fff]", out + err)
    assert not _ENGLISH.search(out + err), out + err


@pytest.mark.parametrize("argv", [["--help"], ["--port", "abc"], ["--zz"], ["--port"]], ids=" ".join)
def test_ui_argparse_speaks_chinese(argv, capsys):
    with pytest.raises(SystemExit):
        ui_main.main(argv)
    out, err = capsys.readouterr()
    assert re.search(r"[\u4e00-\u9fff]", out + err)
    assert not _ENGLISH.search(out + err), out + err


def _uninterrupted(main, argv: list[str]) -> int:
    # A KeyboardInterrupt escaping main would stop the whole pytest session, not fail this test.
    try:
        return main(argv)
    except KeyboardInterrupt:
        pytest.fail("KeyboardInterrupt escaped main()")


@pytest.mark.parametrize("where", ["_load", "format_answer"])
def test_cli_ctrl_c_exits_130_with_a_message(where, fake_bot, monkeypatch, capsys):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_load", lambda args: fake_bot)
    monkeypatch.setattr(cli, where, interrupt)
    assert _uninterrupted(cli.main, ["ask", "季家镇办理了多少件行政执法案件？"]) == 130
    assert "已中断" in capsys.readouterr().err


def test_ui_ctrl_c_while_loading_exits_130(monkeypatch, capsys):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ui_main, "load_bot", interrupt)
    assert _uninterrupted(ui_main.main, ["--port", "7999"]) == 130
    assert "已中断" in capsys.readouterr().err


def test_ui_on_a_taken_port_says_so_in_chinese(fake_bot, monkeypatch, capsys):
    """The page started twice on one port: Gradio's OSError used to end `python -m ui` in a traceback."""
    monkeypatch.setattr(ui_main, "load_bot", lambda *args, **kwargs: fake_bot)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert ui_main.main(["--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and "端口已被占用" in err and "Cannot find" not in err


def test_ui_on_an_address_not_of_this_computer_says_so_at_once(monkeypatch, capsys):
    """192.0.2.1 is a documentation address (RFC 5737) no computer has; Gradio tried 100 ports on it
    (over 5 minutes here) after loading the index, then raised its OSError."""
    monkeypatch.setattr(
        ui_main, "load_bot", lambda *args, **kwargs: pytest.fail("the index was loaded first")
    )
    started = time.monotonic()
    assert ui_main.main(["--host", "192.0.2.1"]) == 2
    assert time.monotonic() - started < 10
    assert "192.0.2.1 不是本机的地址" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env_port"), [(["--port", "70000"], None), (["--port", "-1"], None), ([], "abc")]
)
def test_ui_port_number_out_of_range_is_said_before_loading(argv, env_port, monkeypatch, capsys):
    """Gradio raised socket's English OverflowError ("port must be 0-65535") after the index loaded."""
    monkeypatch.setattr(
        ui_main, "load_bot", lambda *args, **kwargs: pytest.fail("the index was loaded first")
    )
    if env_port is None:
        monkeypatch.delenv("GRADIO_SERVER_PORT", raising=False)
    else:
        monkeypatch.setenv("GRADIO_SERVER_PORT", env_port)
    assert ui_main.main(argv) == 2
    err = capsys.readouterr().err
    assert "端口应为 1 到 65535 之间的整数" in err and "Overflow" not in err


def test_loopback_and_wildcard_addresses_are_bindable():
    assert all(ui_main._bindable(host) for host in ("127.0.0.1", "localhost", "0.0.0.0"))


@pytest.mark.slow
def test_ctrl_c_during_index_has_no_traceback(seeds_dir, tmp_path):
    """A real SIGINT to `python -m bot index` a few seconds in (imports, model load or embedding)."""
    env = {**os.environ, "ZHENBAO_CACHE_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "bot", "index", "--corpus", str(seeds_dir)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    text = err.decode("utf-8", "replace")
    assert process.returncode == 130, text
    assert "Traceback" not in text and "已中断" in text


# Hypothesis: the question reader on arbitrary bytes and text never raises anything but BadQuestion.
_LINE = st.binary(max_size=40).map(lambda raw: raw.replace(b"\n", b" ").replace(b"\r", b" "))
_ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60)


@settings(max_examples=150, deadline=500)
@given(st.lists(_LINE, max_size=8))
def test_fuzz_line_reader_one_result_per_line(lines):
    stream = io.TextIOWrapper(io.BytesIO(b"\n".join(lines)), encoding="utf-8")
    results = list(cli._lines(stream))
    assert len(results) <= len(lines)
    for question, problem in results:
        assert (question is None) != (problem is None)
        if question is not None:
            question.encode("utf-8")  # a decoded line holds no lone surrogate


@settings(max_examples=300, deadline=500)
@given(_ANY_TEXT)
def test_fuzz_check_question(text):
    try:
        checked = check_question(text)
    except BadQuestion as exc:
        assert re.search(r"[\u4e00-\u9fff]", str(exc))
        return
    checked.encode("utf-8")
    assert checked == checked.strip() and checked


@pytest.mark.parametrize("question", ["", "   ", "？？？", "\udcff"])
def test_an_unusable_question_is_refused_before_the_index_loads(question, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_load", lambda args: pytest.fail("the index was loaded first"))
    assert cli.main(["ask", question]) == 2
    assert "问题" in capsys.readouterr().err


def test_undecodable_town_filter_is_a_chinese_message(cli_with):
    code, _, err = cli_with("ask", "法律顾问", "--town", "\udcff镇")
    assert code == 2 and "语料库中没有" in err and "Traceback" not in err


@pytest.mark.parametrize("top_k", ["0", "-3", "21", "100000"])
def test_a_passage_count_out_of_range_is_refused_before_the_index_loads(top_k, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_load", lambda args: pytest.fail("the index was loaded first"))
    for question in ("法律顾问", "-"):
        assert cli.main(["ask", question, "--top-k", top_k]) == 2
        assert "1 到 20" in capsys.readouterr().err


def test_a_csv_target_that_cannot_be_written_is_refused_before_the_index_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "_load", lambda args: pytest.fail("the index was loaded first"))
    for target, expected in ((tmp_path, "是文件夹"), (tmp_path / "无此文件夹" / "数字.csv", "不存在")):
        assert cli.main(["figures", "--metric", "行政执法案件", "--csv", str(target)]) == 2
        err = capsys.readouterr().err
        assert expected in err and "Traceback" not in err
