"""The out-of-sample probe set (benchmarks/data/probe_reports): its labels hold against its own reports.

The reports and questions were written for the probe (benchmarks/data/probe_reports/README.md); these
checks are those of tests/data/realworld/verify_truth.py, run on the probe's files as a user's folder
holds them (GBK, BOM, CRLF, .docx), so a label that a careful reader would reject fails here.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.evaluate import SCORER, load_jsonl, norm

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "benchmarks" / "data" / "probe_reports"
QUESTIONS = load_jsonl(ROOT / "benchmarks" / "data" / "probe_reports_questions.jsonl")
TRUTH = json.loads((PROBE / "truth.json").read_text(encoding="utf-8"))
TRAD_MARKS = "鎮鄉區縣國學習黨會議於為"


def _make_corpus():
    spec = importlib.util.spec_from_file_location("probe_make_corpus", PROBE / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FILES = _make_corpus().FILES  # id -> (file under corpus/, format, options)


def _decoded(name: str, fmt: str, opts: dict) -> str:
    """The text of a corpus file as a reader of it sees it (paragraphs for .docx)."""
    path = PROBE / "corpus" / name
    if fmt == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    data = path.read_bytes()
    if opts.get("bom"):
        assert data.startswith(b"\xef\xbb\xbf")
        data = data[3:]
    return data.decode(opts.get("enc", "utf-8")).replace("\r\n", "\n")


TEXTS = {name: _decoded(name, fmt, opts) for name, fmt, opts in FILES.values()}
BY_TOWN: dict[str, str] = {}
for _file, _row in TRUTH.items():  # a town with two reports: both texts
    BY_TOWN[_row["township"]] = BY_TOWN.get(_row["township"], "") + norm(TEXTS[_file])
TOWNS = sorted(BY_TOWN, key=len, reverse=True)


def test_corpus_files_are_built_from_src_and_listed_in_truth():
    assert set(TRUTH) == set(TEXTS)
    for rid, (name, _fmt, _opts) in FILES.items():
        src = (PROBE / "src" / f"{rid}.txt").read_text(encoding="utf-8")
        assert norm(TEXTS[name]) == norm(src), name
        assert 800 <= len(norm(src)) <= 2500, (name, len(norm(src)))
    for name, row in TRUTH.items():
        assert row["township"] in TEXTS[name]
        assert row["county"] is None or row["county"] in TEXTS[name]
        assert 2022 <= row["year"] <= 2025


def test_every_row_is_a_probe_row_of_a_known_type_with_a_unique_id():
    assert all(q["corpus"] == "probe" for q in QUESTIONS)
    assert all(q["type"] in SCORER.ORDER for q in QUESTIONS)
    assert max(Counter(q["id"] for q in QUESTIONS).values()) == 1


def _rows(kind: str):
    return [q for q in QUESTIONS if SCORER.kind_of(q) == kind]


@pytest.mark.parametrize("q", _rows("lookup") + _rows("paraphrase") + _rows("section"), ids=lambda q: q["id"])
def test_evidence_occurs_in_the_named_town_s_report(q):
    assert q["evidence"]
    assert [e for e in q["evidence"] if norm(e) not in BY_TOWN[q["town"]]] == []


@pytest.mark.parametrize("q", _rows("list"), ids=lambda q: q["id"])
def test_a_list_names_exactly_the_towns_whose_report_has_its_key(q):
    keys = [norm(k) for k in (q.get("key") or re.search(r"“(.+?)”", q["q"]).group(1), *q.get("alt_keys", []))]
    have = {town for town, body in BY_TOWN.items() if any(k in body for k in keys)}
    assert have == set(q["towns_all"])


@pytest.mark.parametrize("q", _rows("aggregate"), ids=lambda q: q["id"])
def test_an_aggregate_names_corpus_towns_and_numbers_from_its_table(q):
    assert q["first"] is None or q["first"] in BY_TOWN
    for wanted in q["answer_has"]:
        if re.fullmatch(r"\d+(\.\d+)?", wanted):
            assert SCORER.contains(norm(q["note"]), wanted) or (
                q["first"] and SCORER.contains(BY_TOWN[q["first"]], wanted)
            ), wanted
        else:
            assert wanted in BY_TOWN, wanted
    for town in BY_TOWN:  # the note's table covers every report
        assert town in q["note"]


@pytest.mark.parametrize("q", _rows("negative"), ids=lambda q: q["id"])
def test_a_negative_forbids_only_what_the_asked_town_s_report_lacks(q):
    asked = [t for t in TOWNS if t in q["turns"][-1]] if "turns" in q else [t for t in TOWNS if t in q["q"]]
    assert q.get("none") or q.get("forbid")
    for town in asked:
        assert [s for s in q.get("forbid", []) if norm(s) in BY_TOWN[town]] == []
    if q.get("none") and asked:
        # A corpus town asked about must be asked for a year the corpus has no report of.
        years = {row["year"] for row in TRUTH.values() if row["township"] in asked}
        assert {int(y) for y in re.findall(r"(20\d\d)年", q["q"])} - years


def _kind(town: str) -> str:
    for suffix in ("街道", "苏木", "乡", "镇"):
        if town.endswith(suffix) or town.endswith({"乡": "鄉", "镇": "鎮"}.get(suffix, suffix)):
            return suffix
    raise ValueError(town)


def _meta_expected(question: str) -> list[str]:
    rows = list(TRUTH.items())
    if question == "一共有多少份报告？":
        return [str(len(rows))]
    if m := re.fullmatch(r"有几份(20\d\d)年的报告？", question):
        return [str(sum(r["year"] == int(m.group(1)) for _, r in rows))]
    if m := re.fullmatch(r"哪些报告是(20\d\d)年的？", question):
        return sorted({r["township"] for _, r in rows if r["year"] == int(m.group(1))})
    if m := re.fullmatch(r"有几份(街道|乡|镇|苏木)的报告？", question):
        return [str(sum(_kind(r["township"]) == m.group(1) for _, r in rows))]
    if question == "哪些是民族乡的报告？":
        return sorted({r["township"] for _, r in rows if r["township"].endswith("民族乡")})
    if m := re.fullmatch(r"(.+?)的报告是哪个(?:镇|乡|苏木|街道)的？", question):
        return sorted({r["township"] for _, r in rows if r["county"] == m.group(1)})
    if question == "哪份报告是用繁体字写的？":
        return sorted({r["township"] for f, r in rows if sum(TEXTS[f].count(c) for c in TRAD_MARKS) > 20})
    raise ValueError(f"a meta question of a form this check cannot recompute: {question}")


@pytest.mark.parametrize("q", _rows("meta"), ids=lambda q: q["id"])
def test_a_meta_answer_is_what_truth_json_gives(q):
    assert sorted(q["answer_has"]) == _meta_expected(q["q"])
