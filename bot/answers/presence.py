""" "哪些镇…" questions: which reports mention the thing asked, each with the sentence that does.

The lexical check decides whether a report has evidence; retrieval only chooses among several
paragraphs that pass it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from bot.answers.context import AnswerContext
from bot.answers.figure_answer import years_note
from bot.answers.intent import HOW_MANY_TOWNS
from bot.answers.mentions import MentionIndex, mention_index, plain, plain_reading
from bot.answers.model import Answer, Passage, Row
from bot.answers.render import NAMED_TOWNS, compose, some_names, some_town_names
from bot.figures.extract import sentence_spans
from bot.report import Paragraph, ParsedReport, Report

if TYPE_CHECKING:
    from bot.lang.tokenizer import Tokenizer

# Question words around the thing asked about: "哪些镇的报告里提到了…吗".
_PRESENCE_FRAME = re.compile(
    r"^(?:请问)?(?:一共|总共|共)?(?:有)?(?:哪些|哪几个|哪几|哪个|多少个|几个|有没有|是否有)(?:乡镇|镇|街道|乡)?"
    r"(?:(?:或|和|及|、)(?:乡镇|镇|街道|乡))?"  # "哪些镇或街道…"
    r"(?:[（(](?:街道|乡镇|镇|乡|苏木)[)）])?"  # "哪些乡镇（街道）…"
    r"(?:的报告)?(?:中|里|里面)?"
    r"(?:提到|提及|写到|说到|谈到|涉及|有)?了?(?P<phrase>.+?)(?:的内容|的情况|的做法)?(?:吗|呢)?[？?。！!]*$"
)
# Words a presence question may carry that the reports need not repeat: "哪些镇建立了综治中心"
# asks whether 综治中心 is there, however the report words its setting up.
_WEAK_TERMS = frozenset(
    "建立 建设 开展 组织 实施 推进 落实 进行 做好 成立 设立 活动 工作 情况 方面 内容 相关 做法 "
    "哪几 几个 哪几个 乡镇 街道 提及 写到 说到 谈到 涉及 什么 "
    # how a thing is done or used, not the thing: "执行了“三重一大”制度", "通过微信公众号…"
    "执行 实行 推行 施行 采用 使用 运用 利用 通过 借助 依托 采取 坚持".split()
)
_T = TypeVar("_T")
# Either-or in a question ("公开信息或普法"); a quoted name ("“三重一大”").
_EITHER = re.compile(r"(或者|或是|或)")
_QUOTED = re.compile(r"[“\"]([^“”\"]{2,})[”\"]")
_WEAK_EDGES = re.compile(
    r"^(?:建立|建设|开展|组织|实施|推进|落实|进行|成立|设立)了?|(?:活动|工作|情况|制度建设)$"
)


@lru_cache(maxsize=1)
def _own_tokenizer() -> Tokenizer:
    from bot.lang.tokenizer import Tokenizer

    return Tokenizer()


def presence_terms(
    question: str, towns: Sequence[str] = (), texts: Sequence[str] = (), tokenizer: Tokenizer | None = None
) -> list[str]:
    """The words a "哪些镇…" question asks about.

    The asked-about phrase itself when some report contains it ("民法典宣传月", "枫桥经验",
    quote marks ignored); otherwise its words, longest forms only ("聘请了法律顾问" → 聘请, 法律顾问).
    `texts` are the reports' texts, used to see whether the whole phrase occurs. `tokenizer` is
    the caller's (its jieba dictionary is already loaded); by default one is loaded on first use.
    """
    plain_texts = [plain(t) for t in texts]
    return _terms(question, towns, lambda phrase: any(phrase in t for t in plain_texts), tokenizer)


def _terms(
    question: str, towns: Sequence[str], occurs: Callable[[str], bool], tokenizer: Tokenizer | None
) -> list[str]:
    """presence_terms, told by `occurs` whether some report's plain text holds a phrase."""
    text = question.strip()
    for town in towns:
        text = text.replace(town, "")
    framed = _PRESENCE_FRAME.match(text)
    phrase = framed.group("phrase") if framed else text
    quoted = [q for q in _QUOTED.findall(phrase) if occurs(q)]
    phrase = _WEAK_EDGES.sub("", plain(phrase))
    if len(phrase) >= 2 and occurs(phrase):
        return [phrase]
    tokenizer = tokenizer or _own_tokenizer()
    left, either, right = [*_EITHER.split(phrase, maxsplit=1), "", ""][:3]
    words = _words(left, quoted, tokenizer)
    right = _WEAK_EDGES.sub("", right)
    if not (either and right and words):
        return _words(phrase, quoted, tokenizer)
    # "通过微信公众号公开信息或普法": 普法 stands in for the words of the left it is as long as.
    taken = 0
    while taken < len(words) and len("".join(words[len(words) - taken - 1 :])) < len(right):
        taken += 1
    alternative = left[left.rfind(words[-taken - 1]) :]
    return [*words[: -taken - 1], f"{alternative}或{right}"]


def _words(phrase: str, quoted: list[str], tokenizer: Tokenizer) -> list[str]:
    """The content words of a phrase, longest forms only; a quoted name some report holds stays whole
    ("执行了“三重一大”制度" → 三重一大, 制度: 执行 only says it is done)."""
    words = [w for w in tokenizer.terms(phrase) if w not in _WEAK_TERMS]
    words = [*quoted, *(w for w in words if not any(w in q for q in quoted))]
    words = [w for w in dict.fromkeys(words) if not any(w != o and w in o for o in words)]
    long_words = [w for w in words if len(w) > 1]
    return long_words or words


def _synonyms(vocabulary, term: str) -> list[str]:
    """A term's synonyms; an either-or term's are both sides' ("信息或普法")."""
    sides = term.split("或")
    return [
        s
        for side in (sides if len(sides) == 2 and all(sides) else [term])
        for s in vocabulary.synonyms_of(side)
    ]


def _forms(vocabulary, term: str) -> tuple[str, ...]:
    """A term's synonyms without quote marks (_plain_forms), either-or sides both."""
    return tuple(dict.fromkeys(_plain_forms(tuple(_synonyms(vocabulary, term)))))


# A presence question checks each term's synonyms against every paragraph of every report: strip
# them once, not once per paragraph.
@lru_cache(maxsize=4096)
def _plain_forms(synonyms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(plain(s) for s in synonyms)


# The sentences of a quoted paragraph, each with its plain text: a snapshot's paragraphs keep their
# text, asked again and again, and stripping each sentence per question was most of a mention's cost.
@lru_cache(maxsize=1 << 16)
def _sentences(text: str, script: str) -> tuple[tuple[str, str], ...]:
    return tuple((text[a:b], plain_reading(text[a:b], script)) for a, b in sentence_spans(text))


class _Holding:
    """Which paragraphs and reports hold a phrase, each phrase looked up once a question (the
    asked phrase is looked up whole, then again among its synonyms)."""

    def __init__(self, index: MentionIndex):
        self.index = index
        self._paragraphs: dict[str, np.ndarray] = {}
        self._reports: dict[str, np.ndarray] = {}

    def paragraphs(self, phrase: str) -> np.ndarray:
        if phrase not in self._paragraphs:
            self._paragraphs[phrase] = self.index.paragraphs.containing(phrase)
        return self._paragraphs[phrase]

    def reports(self, phrase: str) -> np.ndarray:
        if phrase not in self._reports:
            self._reports[phrase] = self.index.reports_holding(phrase, self.paragraphs(phrase))
        return self._reports[phrase]

    def paragraphs_any(self, phrases: Sequence[str]) -> np.ndarray:
        return _union([self.paragraphs(p) for p in dict.fromkeys(phrases)])

    def reports_any(self, phrases: Sequence[str]) -> np.ndarray:
        return _union([self.reports(p) for p in dict.fromkeys(phrases)])


def _union(found: list[np.ndarray]) -> np.ndarray:
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _candidates(
    holding: _Holding, terms: list[str], forms: dict[str, tuple[str, ...]]
) -> dict[int, list[int]]:
    """Report position → ids of its paragraphs that hold all terms, the question's own words
    beating synonyms ("矛盾纠纷" over a bare "矛盾"); reports with none are left out.
    `forms`: each term's synonyms without quote marks (_plain_forms)."""
    qualifying = functools.reduce(np.intersect1d, (holding.paragraphs_any(forms[t]) for t in terms))
    if not len(qualifying):
        return {}
    own = (np.isin(qualifying, holding.paragraphs(t), assume_unique=True) for t in terms)
    exact = sum(o.astype(np.int64) for o in own)
    report = holding.index.paragraph_report[qualifying]
    new_report = np.r_[True, report[1:] != report[:-1]]
    best = np.maximum.reduceat(exact, np.flatnonzero(new_report))[np.cumsum(new_report) - 1]
    chosen: dict[int, list[int]] = {}
    for pid, r in zip(qualifying[exact == best].tolist(), report[exact == best].tolist(), strict=True):
        chosen.setdefault(r, []).append(pid)
    return chosen


@dataclass(frozen=True)
class _TermCount:
    """How many of the terms a plain text holds (any synonym); `most` is all of them."""

    terms: tuple[str, ...]
    forms: dict[str, tuple[str, ...]]

    def __call__(self, text: str) -> int:
        # Plain loops: called for a few sentences of each of ~1,500 reports per question.
        count = 0
        for term in self.terms:
            for form in self.forms[term]:
                if form in text:
                    count += 1
                    break
        return count

    @property
    def most(self) -> int:
        return len(self.terms)


def _first_best(items: Iterable[_T], key: Callable[[_T], int], most: int, default: _T) -> _T:
    """max(items, key=key, default=default), which keeps the first of the best, but stopping at the
    first item scoring `most` (none can beat it): most quoted sentences are found early."""
    best, best_score = default, None
    for item in items:
        score = key(item)
        if score >= most:
            return item
        if best_score is None or score > best_score:
            best, best_score = item, score
    return best


def _quote(passage: Passage, term_count: _TermCount) -> str:
    """The sentence of the chosen paragraph holding most terms (the first such)."""
    text = passage.paragraph.text
    quote, most = text.strip(), -1
    # max() by count, stopping at all terms
    for sentence, plain_sentence in _sentences(text, passage.report.script):
        count = term_count(plain_sentence)
        if count > most:
            quote, most = sentence, count
            if count >= term_count.most:
                break
    return quote


def _choose(
    parsed: ParsedReport, candidates: list[Paragraph], hit: Passage | None, term_count: _TermCount
) -> Passage:
    """Among qualifying paragraphs, retrieval's best (`hit`); when it picks none of them, the
    paragraph with all terms in one sentence."""
    if len(candidates) == 1:
        return Passage(parsed.report, candidates[0], 0.0)
    if hit is not None and any(hit.paragraph.index == p.index for p in candidates):
        return Passage(parsed.report, hit.paragraph, hit.score)

    def most_in_a_sentence(p: Paragraph) -> int:
        counts = (term_count(plain_text) for _, plain_text in _sentences(p.text, parsed.report.script))
        return _first_best(counts, lambda n: n, term_count.most, 0)

    chosen = _first_best(candidates, most_in_a_sentence, term_count.most, candidates[0])
    return Passage(parsed.report, chosen, 0.0)


def _under_heading(parsed: ParsedReport, term_count: _TermCount) -> list[Paragraph]:
    """For a report holding every term, but no paragraph all of them: the first paragraph whose
    headings and text hold them together ("（四）深化“枫桥经验”，化解基层矛盾纠纷" over its body)."""
    script = parsed.report.script
    for paragraph in parsed.paragraphs:
        if term_count(plain_reading(paragraph.section + paragraph.text, script)) >= term_count.most:
            return [paragraph]
    return []


def _choices(
    ctx: AnswerContext, holding: _Holding, term_count: _TermCount
) -> list[tuple[ParsedReport, Passage | None, list[str]]]:
    """Each report's chosen paragraph (None when no paragraph holds every term) and the terms it has.

    Retrieval is asked only for reports where several paragraphs qualify, all in one call: a
    single candidate needs no choosing, and one search per report made the cost reports × corpus.
    """
    index, terms, forms = holding.index, term_count.terms, term_count.forms
    qualifying = _candidates(holding, list(terms), forms)
    has = {t: set(holding.reports_any(forms[t]).tolist()) for t in terms}
    found = []
    for parsed in ctx.reports:
        at = index.position(parsed)
        ids = qualifying.get(at, [])
        candidates = [parsed.paragraphs[i - index.first[at]] for i in ids]
        holds = [t for t in terms if at in has[t]]
        if not candidates and len(holds) == len(terms):
            candidates = _under_heading(parsed, term_count)
        found.append((parsed, candidates, holds))
    several = [parsed.report.report_id for parsed, candidates, _ in found if len(candidates) > 1]
    hits = ctx.retriever.best_in_reports(ctx.query, several) if several else {}
    return [
        (
            parsed,
            _choose(parsed, candidates, hits.get(parsed.report.report_id), term_count)
            if candidates
            else None,
            has,
        )
        for parsed, candidates, has in found
    ]


def presence_answer(ctx: AnswerContext) -> Answer | None:
    index = mention_index(ctx.corpus)
    holding = _Holding(index)
    asked = np.array([index.position(p) for p in ctx.reports], dtype=np.int64)

    def occurs(phrase: str) -> bool:
        return bool(np.isin(holding.reports(phrase), asked).any())

    terms = _terms(ctx.question, ctx.scope.towns, occurs, ctx.tokenizer)
    if not terms:
        return None
    forms = {t: _forms(ctx.vocabulary, t) for t in terms}
    term_count = _TermCount(tuple(terms), forms)
    shown_terms = "”“".join(_shown(t) for t in terms)
    passages: list[Passage] = []
    without: list[str] = []
    reports_of = Counter(p.report.township for p in ctx.reports)
    for parsed, passage, found in _choices(ctx, holding, term_count):
        if passage is not None:
            passages.append(passage)
        else:
            without.append(_unmentioned(parsed.report, found, terms, reports_of[parsed.report.township] > 1))
    if not passages:
        lead = f"各镇报告中都没有找到同时提到“{shown_terms}”的段落。"
        rows = [Row(f"已查：{some_names(without, '份报告')}。")] if without else []
        return compose(ctx.question, "not_found", "presence", lead, rows, notes=[lead], terms=terms)
    # One entry per report (a town's reports of several years are several), counted as reports.
    notes = [f"未提到的乡镇：{some_names(without, '份报告')}。"] if without else []
    rows = [*_quoted_rows(passages, term_count), *(Row(n) for n in notes)]
    rows.append(Row(years_note([p.report for p in passages])))
    matched = [
        s for t in terms for s in _synonyms(ctx.vocabulary, t) if any(s in p.paragraph.text for p in passages)
    ]
    names = some_town_names(p.report for p in passages)
    lead = f"报告中提到“{shown_terms}”的乡镇：{names}。"
    if how_many := HOW_MANY_TOWNS.search(ctx.question):  # "一共有多少个乡镇开展了述法": the count leads
        towns = dict.fromkeys(p.report.township for p in passages)
        kind = how_many.group(0).split("个")[-1]  # 乡镇, 街道 …, as asked
        lead = f"共有{len(towns)}个{kind}的报告提到“{shown_terms}”：{names}。"
    return compose(
        ctx.question,
        "answered",
        "presence",
        lead,
        rows,
        passages=passages,
        notes=notes,
        terms=dict.fromkeys(matched),
    )


def _shown(term: str) -> str:
    """A term as an answer names it inside “…”: an either-or term's sides apart ("信息”或“普法")."""
    return term.replace("或", "”或“")


def _unmentioned(report: Report, found: Sequence[str], terms: Sequence[str], several: bool) -> str:
    """A report without a paragraph of every term, as the list of those not mentioning it names it;
    with its year when its town has reports of several years ("关庙乡（2023年）"), else it reads twice."""
    year = f"{report.year}年" if several and report.year else ""
    partly = "、".join(f"“{_shown(t)}”" for t in found)
    missing = "、".join(f"“{_shown(t)}”" for t in terms if t not in found)
    if found and missing:
        why = f"报告提到{partly}，但未见{missing}"
    elif found:  # every term, but only across paragraphs
        why = f"报告提到{partly}，但不在同一段落中"
    else:
        why = ""
    inside = "；".join(w for w in (year, why) if w)
    return f"{report.township}（{inside}）" if inside else report.township


def _quoted_rows(passages: Sequence[Passage], term_count: _TermCount) -> list[Row]:
    """One row per report quoting its sentence; beyond NAMED_TOWNS reports the first ones, and a
    remark on the rest (a city's ~1,460 quotes in one text are read by no one). Every paragraph
    stays in the answer's passages (the page's cards, the JSON), so only the listed are quoted."""
    rows = [Row("- ", quote=_quote(p, term_count), passage=p) for p in passages[:NAMED_TOWNS]]
    if len(passages) > NAMED_TOWNS:
        rest = len(passages) - NAMED_TOWNS
        rows.append(
            Row(
                f"（只列出前{NAMED_TOWNS}份报告的原句；其余{rest}份报告的段落附在答案之后，也可加上镇名单独问。）"
            )
        )
    return rows
