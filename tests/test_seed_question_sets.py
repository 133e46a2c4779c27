"""The seed question sets of benchmarks/data (seed_questions<N>.jsonl) stay true to the seeds: every
evidence string in its town's seed, list keys in exactly the listed seeds, nothing asked twice."""

import importlib.util
import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "benchmarks" / "data"
_spec = importlib.util.spec_from_file_location("check_seed_questions", DATA / "check_seed_questions.py")
checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(checker)


@pytest.mark.parametrize("path", sorted(DATA.glob("seed_questions*.jsonl")), ids=lambda p: p.name)
def test_seed_question_set_has_no_problem(path):
    assert checker.problems(path) == []


def test_the_checker_finds_a_wrong_label(tmp_path):
    bad = tmp_path / "seed_questions99.jsonl"
    row = {"id": "X1", "type": "lookup", "q": "兴隆镇执法人员？", "town": "兴隆镇", "evidence": ["999人"]}
    bad.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert checker.problems(bad) == ["X1 evidence '999人' not in 兴隆镇"]
