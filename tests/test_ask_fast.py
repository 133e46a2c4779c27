"""Bot.ask and answer(ctx) in milliseconds: the seeds parsed through the production path, the fake
encoder or the fake retriever instead of the bundled model. Every answer is checked for soundness."""

from __future__ import annotations

import pytest

from bot.answers.answer import answer
from bot.answers.render import render
from bot.errors import BadQuestion, ZhenbaoError
from bot.ingest.scan import load_corpus
from tests.checks import assert_sound
from tests.fakes.encoder import FakeEncoder
from tests.fakes.retriever import FakeRetriever, fake_context


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return load_corpus(seeds_dir).reports


@pytest.fixture(scope="module")
def ask_ctx(seeds):
    """answer(ctx) over the seeds with the fake retriever, checked."""

    def ask(question, **kwargs):
        result = answer(fake_context(question, seeds, **kwargs))
        assert_sound(result, seeds)
        return result

    return ask


@pytest.fixture(scope="module")
def fake_bot(seeds_dir, tmp_path_factory):
    from bot.engine import load_bot

    return load_bot(seeds_dir, encoder=FakeEncoder(), cache_dir=tmp_path_factory.mktemp("fast-cache"))


@pytest.fixture(scope="module")
def ask_bot(fake_bot):
    """Bot.ask with the fake encoder, checked against the bot's own corpus."""

    def ask(question, **kwargs):
        result = fake_bot.ask(question, **kwargs)
        assert_sound(result, fake_bot)
        return result

    return ask


# --- answer(ctx): one answerer per intent --------------------------------------------------------


def test_figure_question_gets_a_ranking_built_from_parts(ask_ctx):
    result = ask_ctx("哪个镇办理行政执法案件最多")
    assert (result.kind, result.status) == ("figures", "answered")
    assert result.lead == "季家镇办理行政执法案件最多：728件。"
    assert result.answer == render(result.lead, result.rows)
    shown = {id(row.figure.figure) for row in result.rows if row.figure is not None}
    assert shown == {id(figure) for figure, _ in result.figures}  # every cited figure has its row


def test_presence_question_lists_the_towns_with_their_sentence(ask_ctx):
    result = ask_ctx("哪些镇提到了枫桥经验")
    assert result.kind == "presence"
    assert [p.report.township for p in result.passages] == ["河市镇", "宁河镇"]
    quotes = [row for row in result.rows if row.quote is not None]
    assert all(row.quote in row.passage.paragraph.text for row in quotes)


def test_ordinary_question_quotes_the_best_passage(ask_ctx):
    result = ask_ctx("商酒务镇怎样治理违章建筑？")
    assert (result.kind, result.status) == ("passages", "answered")
    top = result.passages[0]
    assert top.report.township == "商酒务镇" and "违章建筑" in top.paragraph.text
    assert result.answer.startswith(f"最相关的原文出自商酒务镇{top.report.cited_title}：“")
    assert result.lead == result.answer


def test_question_without_support_abstains(ask_ctx):
    result = ask_ctx("明天天气怎么样？")
    assert (result.kind, result.status, result.passages) == ("abstain", "not_found", ())


def test_unknown_place_is_named_before_figures_are_tried(ask_ctx):
    result = ask_ctx("北京市哪个镇执法案件最多")
    assert (result.kind, result.status, result.figures) == ("abstain", "not_found", ())
    assert result.answer.startswith("语料库中没有北京市的报告。目前收录的报告：兴隆镇（2024）")


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("北关镇化解了多少件矛盾纠纷？", "北关镇"),
        ("张庄乡2024年办理了多少行政执法案件", "张庄乡"),
        ("北京市化解了多少矛盾纠纷", "北京市"),
        ("正镶白旗化解了多少矛盾纠纷", "正镶白旗"),
        ("沛县哪个镇化解矛盾纠纷最多", "沛县"),
        ("王家镇办理了多少件行政执法案件", "王家镇"),
    ],
)
def test_figure_question_about_an_unknown_place_gets_no_other_towns_numbers(ask_ctx, question, place):
    result = ask_ctx(question)
    assert (result.kind, result.status, result.figures, result.passages) == ("abstain", "not_found", (), ())
    assert result.answer.startswith(f"语料库中没有{place}的报告。目前收录的报告：兴隆镇（2024）")
    assert "217" not in result.answer and "728" not in result.answer


def test_unknown_township_beside_a_known_one_is_named_in_the_answer(ask_ctx):
    result = ask_ctx("北关镇和河市镇化解了多少矛盾纠纷")
    assert result.lead == "河市镇化解矛盾纠纷217件。"
    assert result.answer.endswith("语料库中没有北关镇的报告，以上只就河市镇作答。")
    assert "语料库中没有北关镇的报告，以上只就河市镇作答。" in result.notes


@pytest.mark.parametrize("question", ["宁河镇律师到镇里值了几次班？", "河市镇组织全乡干部参加了什么考试"])
def test_words_taken_for_a_place_beside_a_known_town_are_not_noted_as_missing(ask_ctx, question):
    assert not any(note.startswith("语料库中没有") for note in ask_ctx(question).notes)


def test_rate_question_gets_the_percentage_not_the_count_in_the_same_sentence(ask_ctx):
    result = ask_ctx("季家镇办理行政执法案件的准确率是多少")
    assert (result.kind, result.status) == ("figures", "answered")
    assert result.lead == "季家镇案件办理准确率100%。"
    assert [f.unit for f, _ in result.figures] == ["%"]


def test_unknown_place_beside_a_known_town_is_answered(ask_ctx):
    result = ask_ctx("北京市的河市镇化解了多少矛盾纠纷")
    assert result.kind == "figures" and result.lead == "河市镇化解矛盾纠纷217件。"


def test_corpus_question(ask_ctx):
    result = ask_ctx("一共有几份报告")
    assert result.kind == "corpus" and result.answer.startswith("语料库中共有5份报告：")


def test_the_retriever_is_the_only_search(seeds):
    retriever = FakeRetriever(seeds)
    result = answer(fake_context("哪些镇提到了矛盾纠纷", seeds, retriever=retriever))
    assert len(retriever.calls) == 5  # one lookup per report with several candidate paragraphs
    assert_sound(result, seeds)


# --- Bot.ask: follow-ups, greeting, input checks, the JSON contract -----------------------------------


def test_bot_answers_a_figure_question(ask_bot):
    result = ask_bot("河市镇化解了多少矛盾纠纷？")
    assert result.answer.startswith("河市镇化解矛盾纠纷217件。")


def test_bot_resolves_a_follow_up_from_history(ask_bot):
    result = ask_bot("那河市镇呢？", history=["兴隆镇化解了多少矛盾纠纷"])
    assert result.question == "河市镇化解了多少矛盾纠纷"
    assert result.answer.startswith("河市镇化解矛盾纠纷217件。")


def test_follow_up_on_a_ranking_says_the_town_states_no_such_figure_and_shows_its_closest_passage(ask_bot):
    result = ask_bot("那河市镇呢？", history=["哪个镇办理行政执法案件最多"])
    assert (result.kind, result.status) == ("figures", "not_found")
    assert result.answer.startswith("河市镇的报告未给出办理行政执法案件的数字。")
    assert "728" not in result.answer and result.figures == ()
    assert [p.report.township for p in result.passages] == ["河市镇"]
    assert "最接近的段落（其中没有该数字）：" in result.answer


def test_bot_greets(ask_bot):
    result = ask_bot("你好")
    assert (result.kind, result.status) == ("abstain", "not_found")
    assert "哪个镇办理行政执法案件最多" in result.answer


def test_bot_names_a_place_outside_the_corpus(ask_bot):
    result = ask_bot("北京市2024年的GDP是多少")
    assert result.status == "not_found" and "北京市" in result.answer and "季家镇" in result.answer


def test_bot_quotes_passages(ask_bot):
    # Worded close to the report: the fake encoder has no dense gate, so only shared words count.
    result = ask_bot("商酒务镇如何开展违章建筑巡查", top_k=2)
    assert result.kind == "passages" and len(result.passages) <= 2
    assert {p.report.township for p in result.passages} == {"商酒务镇"}


def test_bot_rejects_bad_input(fake_bot):
    with pytest.raises(BadQuestion):
        fake_bot.ask("  ")
    with pytest.raises(ZhenbaoError):
        fake_bot.ask("法律顾问", top_k=0)


def test_json_contract_of_a_figure_answer(ask_bot):
    data = ask_bot("哪个镇化解矛盾纠纷最多").to_dict()
    assert set(data) == {"question", "status", "answer", "passages", "figures"}
    assert data["figures"][0]["township"] == "季家镇" and data["figures"][0]["value"] == 485
    passage_only = ask_bot("商酒务镇如何开展违章建筑巡查").to_dict()
    assert set(passage_only) == {"question", "status", "answer", "passages"}
