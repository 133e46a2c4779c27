"""The presence index: the paragraphs it says hold a phrase are exactly those whose plain text does."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers.context import CorpusView
from bot.answers.mentions import MentionIndex, mention_index, plain, plain_reading

# Few letters, so that phrases recur and pairs are shared; quote marks and spaces are stripped.
_LETTERS = "法律顾问枫桥经“”「 \n"
_texts = st.text(alphabet=_LETTERS, max_size=12)


def _reports(paragraphs_per_report: list[list[str]]) -> list[SimpleNamespace]:
    reports = []
    for texts in paragraphs_per_report:
        paragraphs = tuple(SimpleNamespace(text=t) for t in texts)
        report = SimpleNamespace(script="simplified")
        reports.append(SimpleNamespace(text="\n".join(texts), paragraphs=paragraphs, report=report))
    return reports


def _expected(index: MentionIndex, phrase: str) -> list[int]:
    return [i for i, t in enumerate(index.paragraphs.texts) if phrase in t]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_texts, max_size=4), max_size=5), st.text(alphabet=_LETTERS, min_size=1, max_size=4))
def test_containing_equals_checking_every_plain_paragraph(corpus, phrase):
    index = MentionIndex(_reports(corpus))
    phrase = plain(phrase)
    assert index.paragraphs.containing(phrase).tolist() == _expected(index, phrase)
    wholes = [plain_reading(r.text, r.report.script) for r in _reports(corpus)]
    holding = [i for i, t in enumerate(wholes) if phrase in t]
    assert index.wholes.containing(phrase).tolist() == holding
    # From the paragraphs first, then the report texts (the phrase across a paragraph break).
    assert index.reports_holding(phrase).tolist() == holding
    assert index.paragraphs.containing_any([phrase, "枫桥"]).tolist() == sorted(
        set(_expected(index, phrase)) | set(_expected(index, "枫桥"))
    )


def test_seed_paragraphs_and_report_positions(seed_corpus):
    index = MentionIndex(seed_corpus.reports)
    for phrase in ("法律顾问", "枫桥经验", "民法典宣传月", "矛", "不存在的说法"):
        assert index.paragraphs.containing(phrase).tolist() == _expected(index, phrase)
        assert index.reports_holding(phrase).tolist() == index.wholes.containing(phrase).tolist()
    for at, parsed in enumerate(seed_corpus.reports):
        assert index.position(parsed) == at
        first = int(index.first[at])
        for offset, paragraph in enumerate(parsed.paragraphs):
            assert index.paragraphs.texts[first + offset] == plain(paragraph.text)
            assert index.paragraph_report[first + offset] == at
            # A paragraph is a piece of its report: presence relies on it.
            assert index.paragraphs.texts[first + offset] in index.wholes.texts[at]
    assert isinstance(index.paragraph_report, np.ndarray)


def test_an_index_is_built_once_per_snapshot_corpus(seed_corpus):
    corpus = CorpusView(tuple(seed_corpus.reports), ())
    assert mention_index(corpus) is mention_index(corpus)
    other = CorpusView(tuple(seed_corpus.reports[:1]), ())
    assert mention_index(other) is not mention_index(corpus)
    assert len(mention_index(other).reports) == 1


def test_the_postings_of_a_corpus_too_big_for_one_sort_key_are_the_same(seed_corpus, monkeypatch):
    from bot.answers import mentions

    small = MentionIndex(seed_corpus.reports)
    monkeypatch.setattr(mentions, "_COMBINED_TEXTS", 0)  # as if there were over 2**21 paragraphs
    big = MentionIndex(seed_corpus.reports)
    for phrase in ("法律顾问", "枫桥经验", "民法典宣传月", "行政"):
        assert big.paragraphs.containing(phrase).tolist() == small.paragraphs.containing(phrase).tolist()
        assert big.wholes.containing(phrase).tolist() == small.wholes.containing(phrase).tolist()
