"""The out-of-sample probe set (benchmarks/data/probe_reports): its labels hold against its own reports.

The reports and questions were written for the probe (benchmarks/data/probe_reports/README.md); these
checks are those of tests/data/realworld/verify_truth.py, run on the probe's files as a user's folder
holds them (GBK, BOM, CRLF, .docx), so a label that a careful reader would reject fails here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.evaluate import SCORER, load_jsonl, norm

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "benchmarks" / "data" / "probe_reports"
QUESTIONS = load_jsonl(ROOT / "benchmarks" / "data" / "probe_reports_questions.jsonl")
TRAD_MARKS = "鎮鄉區縣國學習黨會議於為"
# corpus name → its folder (src/, corpus/, truth.json); each batchN/ is a corpus of its own ("probeN") so that
# batch 1's aggregates and counts stay those its first run was judged on.
FOLDERS = {"probe": PROBE} | {
    "probe" + batch.name.removeprefix("batch"): batch for batch in sorted(PROBE.glob("batch[0-9]*"))
}


def _files(folder: Path) -> dict:
    """id -> (file under corpus/, format, options), as the batch's files.json lists them."""
    rows = json.loads((folder / "files.json").read_text(encoding="utf-8"))
    return {rid: tuple(row) for rid, row in rows.items()}


def _decoded(path: Path, fmt: str, opts: dict) -> str:
    """A corpus file's text as a reader sees it (paragraphs for .docx, the text layer of a .pdf)."""
    if fmt == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(str(path)).paragraphs)
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    data = path.read_bytes()
    if opts.get("bom"):
        assert data.startswith(b"\xef\xbb\xbf")
        data = data[3:]
    return data.decode(opts.get("enc", "utf-8")).replace("\r\n", "\n")


class Corpus:
    def __init__(self, folder: Path):
        self.folder = folder
        self.files = _files(folder)
        self.truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        self.texts = {
            name: _decoded(folder / "corpus" / name, fmt, opts) for name, fmt, opts in self.files.values()
        }
        self.src = {
            name: (folder / "src" / f"{rid}.txt").read_text("utf-8")
            for rid, (name, _f, _o) in self.files.items()
        }
        self.by_town: dict[str, str] = {}  # a town with two reports: both texts
        for file, row in self.truth.items():
            self.by_town[row["township"]] = self.by_town.get(row["township"], "") + norm(self.texts[file])
        self.towns = sorted(self.by_town, key=len, reverse=True)

    def holds(self, town: str, evidence: str) -> bool:
        """In the file as read and in its source text (a PDF's text layer moves quote marks)."""
        src = "".join(norm(self.src[f]) for f, row in self.truth.items() if row["township"] == town)
        return norm(evidence) in self.by_town[town] and norm(evidence) in src


CORPORA = {name: Corpus(folder) for name, folder in FOLDERS.items()}


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_corpus_files_are_built_from_src_and_listed_in_truth(name):
    corpus = CORPORA[name]
    assert set(corpus.truth) == set(corpus.texts)
    for file, src in corpus.src.items():
        if corpus.files[next(r for r, v in corpus.files.items() if v[0] == file)][1] != "pdf":
            assert norm(corpus.texts[file]) == norm(src), file
        assert 800 <= len(norm(src)) <= 2500, (file, len(norm(src)))
    for file, row in corpus.truth.items():
        assert row["township"] in corpus.src[file]
        assert row["county"] is None or row["county"] in corpus.src[file]
        assert 2022 <= row["year"] <= 2025


def test_every_row_is_a_probe_row_of_a_known_type_with_a_unique_id():
    assert all(q["corpus"] in CORPORA for q in QUESTIONS)
    assert all(q["type"] in SCORER.ORDER for q in QUESTIONS)
    assert max(Counter(q["id"] for q in QUESTIONS).values()) == 1


def _rows(kind: str):
    return [q for q in QUESTIONS if SCORER.kind_of(q) == kind]


@pytest.mark.parametrize("q", _rows("lookup") + _rows("paraphrase") + _rows("section"), ids=lambda q: q["id"])
def test_evidence_occurs_in_the_named_town_s_report(q):
    assert q["evidence"]
    assert [e for e in q["evidence"] if not CORPORA[q["corpus"]].holds(q["town"], e)] == []


@pytest.mark.parametrize("q", _rows("list"), ids=lambda q: q["id"])
def test_a_list_names_exactly_the_towns_whose_report_has_its_key(q):
    keys = [norm(k) for k in (q.get("key") or re.search(r"“(.+?)”", q["q"]).group(1), *q.get("alt_keys", []))]
    have = {town for town, body in CORPORA[q["corpus"]].by_town.items() if any(k in body for k in keys)}
    assert have == set(q["towns_all"])


@pytest.mark.parametrize("q", _rows("aggregate"), ids=lambda q: q["id"])
def test_an_aggregate_names_corpus_towns_and_numbers_from_its_table(q):
    by_town = CORPORA[q["corpus"]].by_town
    assert q["first"] is None or q["first"] in by_town
    for wanted in q["answer_has"]:
        if re.fullmatch(r"\d+(\.\d+)?", wanted):
            assert SCORER.contains(norm(q["note"]), wanted) or (
                q["first"] and SCORER.contains(by_town[q["first"]], wanted)
            ), wanted
        elif re.fullmatch(r"[一二三四五六七八九十百]+", wanted):  # a count the report writes in words
            assert wanted in q["note"] and wanted in by_town[q["first"]], wanted
        else:
            assert wanted in by_town, wanted
    for town in by_town:  # the note's table covers every report
        assert town in q["note"]


@pytest.mark.parametrize("q", _rows("negative"), ids=lambda q: q["id"])
def test_a_negative_forbids_only_what_the_asked_town_s_report_lacks(q):
    corpus = CORPORA[q["corpus"]]
    text = q["turns"][-1] if "turns" in q else q["q"]
    asked = [t for t in corpus.towns if t in text]
    assert q.get("none") or q.get("forbid")
    for town in asked:
        assert [s for s in q.get("forbid", []) if norm(s) in corpus.by_town[town]] == []
    if q.get("none") and asked:
        # A corpus town asked about must be asked for a year the corpus has no report of.
        years = {row["year"] for row in corpus.truth.values() if row["township"] in asked}
        assert {int(y) for y in re.findall(r"(20\d\d)年", q["q"])} - years


def _kind(town: str) -> str:
    for suffix in ("街道", "苏木", "乡", "镇"):
        if town.endswith(suffix) or town.endswith({"乡": "鄉", "镇": "鎮"}.get(suffix, suffix)):
            return suffix
    raise ValueError(town)


def _meta_expected(question: str, corpus: Corpus) -> list[str]:
    rows = list(corpus.truth.items())
    if question == "一共有多少份报告？":
        return [str(len(rows))]
    if m := re.fullmatch(r"有几份(20\d\d)年的报告？", question):
        return [str(sum(r["year"] == int(m.group(1)) for _, r in rows))]
    if m := re.fullmatch(r"哪些报告是(20\d\d)年的？", question):
        return sorted({r["township"] for _, r in rows if r["year"] == int(m.group(1))})
    if m := re.fullmatch(r"有几份(街道|乡|镇|苏木)的报告？", question):
        return [str(sum(_kind(r["township"]) == m.group(1) for _, r in rows))]
    if question == "哪些是民族乡的报告？":
        return sorted({r["township"] for _, r in rows if r["township"].endswith("族乡")})  # 瑶族乡 is one too
    if m := re.fullmatch(r"(.+?)的报告是哪个(?:镇|乡|苏木|街道)的？", question):
        return sorted({r["township"] for _, r in rows if r["county"] == m.group(1)})
    if question == "哪份报告是用繁体字写的？":
        return sorted(
            {r["township"] for f, r in rows if sum(corpus.texts[f].count(c) for c in TRAD_MARKS) > 20}
        )
    if m := re.fullmatch(r"(.+?)有哪几年的报告？", question):
        return sorted(str(r["year"]) for _, r in rows if r["township"] == m.group(1))
    raise ValueError(f"a meta question of a form this check cannot recompute: {question}")


@pytest.mark.parametrize("q", _rows("meta"), ids=lambda q: q["id"])
def test_a_meta_answer_is_what_truth_json_gives(q):
    assert sorted(q["answer_has"]) == _meta_expected(q["q"], CORPORA[q["corpus"]])
