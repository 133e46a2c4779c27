"""The real app (real load_bot on a copy of the seeds) served on a free port, driven by gradio_client."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import socket
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from bot.engine import Bot, load_bot
from ui.app import _text, build_app, launch

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TIMEOUT = 180
NEW_REPORT = """石马镇人民政府关于2024年法治政府建设情况的报告

一、主要举措和成效

（一）坚持和发展新时代“枫桥经验”

石马镇全年共排查化解矛盾纠纷137件，设立“院坝调解室”9个，调解成功率98%。

（二）创新普法形式

在场镇开展“法治赶场天”活动26场，发放<b>普法手册</b>3000余份，<img src=x onerror="alert(1)">群众满意。
"""


@dataclass(frozen=True)
class Served:
    url: str
    bot: Bot
    corpus: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Served:
    corpus = tmp_path_factory.mktemp("ui-app") / "reports"
    shutil.copytree(SEEDS, corpus)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ZHENBAO_CACHE_DIR", str(tmp_path_factory.mktemp("ui-app-cache")))
        bot = load_bot(corpus)
        app = build_app(bot)
        url = launch(app, port=_free_port())
        try:
            yield Served(url, bot, corpus)
        finally:
            app.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _client(served: Served) -> Client:
    return Client(served.url, verbose=False, download_files=False)


def _chat(client: Client, question: str, towns=(), year: str = "", top_k: int = 3):
    """The page's own chat endpoint: (conversation HTML, question box, Markdown export, Word export)."""
    return client.submit(question, list(towns), year, top_k, api_name="/chat").result(timeout=TIMEOUT)


def test_ask_api_answers_the_ranking_question_with_jijia_and_its_quote(served):
    result = _client(served).predict("哪个镇办理行政执法案件最多", api_name="/ask")
    assert result["status"] == "answered"
    assert result["answer"].lstrip().find("季家镇") < result["answer"].find("728")
    jijia = [p for p in result["passages"] if p["township"] == "季家镇"]
    assert any("共办理各类行政执法案件728件" in p["text"] for p in jijia)
    # The quote is verbatim: it sits at its offsets in the source file.
    source = Path(jijia[0]["source"]).read_text(encoding="utf-8")
    assert source[jijia[0]["start"] : jijia[0]["end"]] == jijia[0]["text"]


def test_ask_api_applies_filters_and_reports_bad_ones_in_chinese(served):
    client = _client(served)
    only_heshi = client.predict("化解了多少矛盾纠纷", towns=["河市镇"], api_name="/ask")
    assert only_heshi["passages"] and {p["township"] for p in only_heshi["passages"]} == {"河市镇"}
    year_2023 = client.predict("法治宣传教育", year=2023, top_k=2, api_name="/ask")
    assert {p["year"] for p in year_2023["passages"]} == {2023}
    assert len(year_2023["passages"]) <= 2
    with pytest.raises(AppError, match=r"语料库中没有“石马乡”。可选的乡镇：.*季家镇"):
        client.predict("普法", towns=["石马乡"], api_name="/ask")


def test_chat_renders_cards_and_resolves_follow_ups_with_exports(served):
    client = _client(served)
    page, box, _, _ = _chat(client, "兴隆镇化解了多少矛盾纠纷")
    assert box == ""
    assert '<span class="zb-township">兴隆镇</span>' in page
    page, _, markdown, word = _chat(client, "那河市镇呢？")
    assert "理解为：河市镇化解了多少矛盾纠纷" in page
    last_turn = page.rsplit('class="zb-turn"', 1)[1]
    townships = re.findall(r'<span class="zb-township">([^<]*)</span>', last_turn)
    assert townships and set(townships) == {"河市镇"}
    assert "<mark>" in last_turn and 'class="zb-copy" data-memo="“' in last_turn
    # The download buttons serve both turns with their citations.
    text = urllib.request.urlopen(markdown["value"]["url"], timeout=30).read().decode("utf-8")
    assert "## 1. 问：兴隆镇化解了多少矛盾纠纷" in text and "## 2. 问：那河市镇呢？" in text
    assert "（来源：河市镇" in text and word["value"]["orig_name"].endswith(".docx")
    document = docx.Document(io.BytesIO(urllib.request.urlopen(word["value"]["url"], timeout=30).read()))
    assert "2. 问：那河市镇呢？" in [p.text for p in document.paragraphs]


def test_question_markup_comes_back_escaped(served):
    page, *_ = _chat(_client(served), "<script>alert(1)</script>兴隆镇普法宣传")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;兴隆镇普法宣传" in page


def test_uploaded_report_is_indexed_answered_from_and_its_markup_escaped(served, tmp_path):
    upload = tmp_path / "石马镇2024年法治政府建设情况报告.txt"
    upload.write_text(NEW_REPORT, encoding="utf-8")
    client = _client(served)
    status, _files, towns, _years, summary, _reports = client.submit(
        [handle_file(str(upload))], api_name="/upload"
    ).result(timeout=TIMEOUT)
    # The status is Markdown: the file name is escaped so that it shows literally.
    assert status == f"已添加 1 份报告：\n- {_text(upload.name)}：石马镇，2024年，已建立索引"
    assert (served.corpus / upload.name).read_bytes() == upload.read_bytes()
    assert "石马镇" in served.bot.townships()
    assert "石马镇" in str(towns) and "6 份报告" in summary

    answer = client.predict("石马镇化解了多少矛盾纠纷", api_name="/ask")
    assert answer["status"] == "answered" and "137件" in answer["answer"]
    assert answer["passages"][0]["township"] == "石马镇"
    assert "排查化解矛盾纠纷137件" in answer["passages"][0]["text"]
    assert answer["passages"][0]["source"] == str((served.corpus / upload.name).resolve())

    page, *_ = _chat(client, "石马镇法治赶场天活动")
    assert "<img" not in page and "<b>" not in page
    assert html.escape('<img src=x onerror="alert(1)">') in page and "&lt;b&gt;普法手册" in page


def test_a_bad_upload_is_refused_in_chinese_and_changes_nothing(served, tmp_path):
    before = sorted(p.name for p in served.corpus.iterdir())
    reports_before = served.bot.reports
    english = tmp_path / "report.txt"
    english.write_text("Annual report, English only.\n", encoding="utf-8")
    with pytest.raises(AppError, match="没有任何中文"):
        _client(served).submit([handle_file(str(english))], api_name="/upload").result(timeout=TIMEOUT)
    duplicate = tmp_path / "季家镇.txt"
    shutil.copy(SEEDS / "004_e5c0c62a5ed9b609.txt", duplicate)
    with pytest.raises(AppError, match=r"与已有报告“004_e5c0c62a5ed9b609\.txt”内容完全相同"):
        _client(served).submit([handle_file(str(duplicate))], api_name="/upload").result(timeout=TIMEOUT)
    assert sorted(p.name for p in served.corpus.iterdir()) == before
    assert served.bot.reports == reports_before


def test_twenty_simultaneous_clients_each_get_their_own_township(served):
    topics = ["化解了多少矛盾纠纷", "开展了哪些普法宣传活动", "行政执法工作情况", "法治政府建设存在哪些不足"]
    townships = ["兴隆镇", "河市镇", "商酒务镇", "宁河镇", "季家镇"]
    questions = [(township, township + topic) for township in townships for topic in topics]

    def ask(pair: tuple[str, str]) -> tuple[str, dict]:
        township, question = pair
        return township, _client(served).submit(question, api_name="/ask").result(timeout=TIMEOUT)

    with ThreadPoolExecutor(max_workers=len(questions)) as pool:
        results = list(pool.map(ask, questions))
    assert len(results) == 20
    for (township, question), (_, answer) in zip(questions, results, strict=True):
        assert answer["question"] == question
        assert answer["passages"], question
        assert {p["township"] for p in answer["passages"]} == {township}, question


def test_page_is_served_offline_and_chinese(served):
    def fetch(path: str) -> str:
        return urllib.request.urlopen(served.url + path, timeout=30).read().decode("utf-8")

    config = json.loads(fetch("config"))
    assert config["title"] == "镇报问答" and config["analytics_enabled"] is False
    theme = fetch("theme.css")
    assert "Microsoft YaHei" in theme
    for text in (fetch(""), theme, json.dumps(config)):
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text


def test_a_report_without_a_township_is_marked_and_can_be_named_from_the_page(served, tmp_path):
    silent = tmp_path / "报告（无名）.txt"
    silent.write_text(
        "2024年法治政府建设情况报告\n一、主要举措\n我们全年开展“法治夜校”17期，调解纠纷41件。\n",
        encoding="utf-8",
    )
    client = _client(served)
    *_rest, summary, reports = client.submit([handle_file(str(silent))], api_name="/upload").result(
        timeout=TIMEOUT
    )
    assert "⚠ 报告（无名）.txt" in str(reports)  # offered first in 核对报告信息
    report_id = silent.name
    assert "待确认" in summary
    report = next(r for r in served.bot.reports if r.report_id == report_id)
    assert "township" in report.doubtful

    note, *_rest, summary = client.submit(
        report_id, "东庄镇", "鼓楼区", 2024, api_name="/report_info"
    ).result(timeout=TIMEOUT)
    assert "已保存到 报告信息" in note and "东庄镇" in note
    assert "东庄镇（2024）" in summary
    assert "东庄镇" in (served.corpus / "报告信息.csv").read_text(encoding="utf-8-sig")
    answer = client.predict("东庄镇开展了多少期法治夜校？", api_name="/ask")
    assert answer["passages"][0]["township"] == "东庄镇"
    assert "法治夜校”17期" in answer["passages"][0]["text"]
