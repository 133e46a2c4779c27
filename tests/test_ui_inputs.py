"""Wrongly typed API or page input gets a Chinese message naming the field (issue 13, point 5)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from bot import ZhenbaoError
from bot.answers.model import Answer
from ui import inputs
from ui.app import _Callbacks


@dataclass
class _RecordingBot:
    """Stands in for Bot.ask only: the checks under test run before the bot is called."""

    calls: list[dict] = field(default_factory=list)

    def ask(self, question, **options):
        self.calls.append({"question": question, **options})
        return Answer(question, "answered", "季家镇：共办理各类行政执法案件728件。")


@pytest.mark.parametrize(("value", "expected"), [(3, 3), (3.0, 3), ("5", 5), (" 8 ", 8)])
def test_passage_count_accepts_whole_numbers_and_their_text(value, expected):
    assert inputs.passage_count(value) == expected


@pytest.mark.parametrize("value", ["abc", 2.5, True, None, [3], "３", "-1x"])
def test_passage_count_refuses_anything_else_naming_top_k(value):
    with pytest.raises(ZhenbaoError, match="top_k 应为"):
        inputs.passage_count(value)


def test_years_towns_and_questions_are_checked_the_same_way():
    assert inputs.year_number("") is None and inputs.year_number(None) is None
    assert inputs.year_number("2024") == 2024 and inputs.year_number(2024) == 2024
    assert inputs.town_names("季家镇") == ("季家镇",)
    assert inputs.town_names(["季家镇", "河市镇"]) == ("季家镇", "河市镇")
    assert inputs.town_names(None) == ()
    assert inputs.question_text(None) == ""
    for check, value, field_name in [
        (inputs.year_number, "二〇二四", "year"),
        (inputs.year_number, {"y": 1}, "year"),
        (inputs.town_names, 3, "towns"),
        (inputs.town_names, ["季家镇", 3], "towns"),
        (inputs.question_text, ["问题"], "question"),
    ]:
        with pytest.raises(ZhenbaoError, match=f"^{field_name} 应为"):
            check(value)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def api():
    bot = _RecordingBot()
    callbacks = _Callbacks(bot)
    with gr.Blocks() as app:
        gr.api(callbacks.ask, api_name="ask")
    app.launch(server_name="127.0.0.1", server_port=_free_port(), prevent_thread_lock=True, quiet=True)
    try:
        yield Client(app.local_url, verbose=False), bot
    finally:
        app.close()


@pytest.mark.parametrize(
    ("arguments", "field_name"),
    [
        ({"question": "季家镇行政执法", "top_k": "abc"}, "top_k"),
        ({"question": "季家镇行政执法", "towns": 3}, "towns"),
        ({"question": "季家镇行政执法", "year": "去年"}, "year"),
        ({"question": 42}, "question"),
    ],
)
def test_the_ask_api_answers_wrong_types_in_chinese_not_error_null(api, arguments, field_name):
    client, bot = api
    before = len(bot.calls)
    with pytest.raises(AppError) as raised:
        client.predict(**arguments, api_name="/ask")
    message = str(raised.value)
    assert message.startswith(f"{field_name} 应为"), message
    assert "upstream" not in message and len(bot.calls) == before


def test_the_ask_api_passes_well_typed_input_on_as_numbers_and_a_tuple(api):
    client, bot = api
    result = client.predict("季家镇行政执法", ["季家镇"], "2024", "2", api_name="/ask")
    assert result["answer"] == "季家镇：共办理各类行政执法案件728件。"
    assert bot.calls[-1] == {"question": "季家镇行政执法", "top_k": 2, "towns": ("季家镇",), "year": 2024}


@pytest.mark.parametrize("value", [0, 21, "-1", 100000])
def test_passage_count_out_of_range_is_refused_before_the_bot_is_called(value):
    bot = _RecordingBot()
    with pytest.raises(gr.Error, match="1 到 20"):
        _Callbacks(bot).ask("季家镇行政执法", top_k=value)
    assert bot.calls == []
