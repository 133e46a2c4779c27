"""Check the seed question sets benchmarks/data/seed_questions<N>.jsonl against the five seeds (stdlib only).

python benchmarks/data/check_seed_questions.py [FILE ...]  → prints problems, exit 1 on any (default:
every seed_questions<N>.jsonl beside this script).
Checks: every evidence string occurs in the named town's seed (whitespace and punctuation width
ignored); each list key occurs in exactly the listed towns' seeds; an aggregate's plain numbers occur
in some seed or in its note; a forbid string never occurs in the asked town's seed; a `none` question's
town (…镇 in the question) is not a corpus town unless it asks a year the town has no report for;
no question (or follow-up turn list) repeats one of the earlier seed sets word for word (the sets
under tests/data, the seed rows of probe_questions.jsonl, and every seed_questions<M>.jsonl with M < N).
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOWNS = {"兴隆镇": "000", "河市镇": "001", "商酒务镇": "002", "宁河镇": "003", "季家镇": "004"}
YEARS = {"兴隆镇": 2024, "河市镇": 2024, "商酒务镇": 2023, "宁河镇": 2024, "季家镇": 2024}
HALF = str.maketrans(",:;()!?", "，：；（）！？")
T2S = str.maketrans(
    "鎮鄉區寧興隆務與綜執審業紛糾調處會議資發宣傳講聽們來裡這個為說",
    "镇乡区宁兴隆务与综执审业纷纠调处会议资发宣传讲听们来里这个为说",
)


def norm(s: str) -> str:
    return re.sub(r"\s+", "", s).translate(HALF)


def seeds() -> dict:
    out = {}
    for town, prefix in TOWNS.items():
        (path,) = (ROOT / "seeds").glob(prefix + "_*.txt")
        text = path.read_text(encoding="utf-8")
        assert town in text, (town, path)
        out[town] = norm(text)
    return out


def asked_town(q: str):
    q = q.translate(T2S)
    return next((t for t in TOWNS if t in q), None)


def check(row: dict, text: dict) -> list:
    kind = row["as"] if row["type"] == "followup" else row["type"]
    q = row["turns"][-1] if row["type"] == "followup" else row["q"]
    probs = []
    if kind in ("lookup", "paraphrase", "section"):
        if row["town"] not in TOWNS:
            probs.append(f"town {row['town']} not a seed town")
        for ev in row["evidence"]:
            if norm(ev) not in text[row["town"]]:
                probs.append(f"evidence {ev!r} not in {row['town']}")
    elif kind == "list":
        has = sorted(t for t in TOWNS if norm(row["key"]) in text[t])
        if has != sorted(row["towns_all"]):
            probs.append(f"key {row['key']!r} in {has}, listed {row['towns_all']}")
    elif kind == "aggregate":
        if row.get("first") and row["first"] not in TOWNS:
            probs.append(f"first {row['first']} not a seed town")
        every = "".join(text.values()) + norm(row.get("note", ""))
        for a in row["answer_has"]:
            if a not in TOWNS and not re.search(rf"(?<!\d){re.escape(a)}(?!\d)", every):
                probs.append(f"answer {a!r} in no seed nor note")
    elif kind == "negative":
        town = asked_town(q) or (asked_town(row["turns"][0]) if row["type"] == "followup" else None)
        for f in row.get("forbid", []):
            if town is None or norm(f) in text[town]:
                probs.append(f"forbid {f!r} occurs in {town}'s seed (or no town)")
        if row.get("none") and town is not None:
            year = re.search(r"20\d\d", q)
            if not year or int(year.group()) == YEARS[town]:
                probs.append(f"none for corpus town {town} without an absent year")
    return probs


HERE = Path(__file__).resolve().parent
BEFORE_ANY = [
    "tests/data/questions.jsonl",
    "tests/data/questions_heldout.jsonl",
    "tests/data/off_topic.jsonl",
    "benchmarks/data/probe_questions.jsonl",
]


def _number(path: Path) -> int:
    return int(re.search(r"(\d+)\.jsonl$", path.name).group(1))


def asked_before(path: Path) -> set:
    earlier = [ROOT / name for name in BEFORE_ANY]
    earlier += [p for p in HERE.glob("seed_questions*.jsonl") if _number(p) < _number(path)]
    seen = set()
    for name in earlier:
        for line in name.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                for key in ("q", "question"):
                    if key in row:
                        seen.add(norm(row[key]))
                if "turns" in row:
                    seen.add(norm("|".join(row["turns"])))
    return seen


def problems(path: Path) -> list[str]:
    """Each problem of one question file, as "ID what"."""
    text = seeds()
    seen = asked_before(path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = []
    for row in rows:
        found += [f"{row['id']} {p}" for p in check(row, text)]
        asked = row["q"] if "q" in row else "|".join(row["turns"])
        if norm(asked) in seen:
            found.append(f"{row['id']} asked before word for word")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        found.append("duplicate ids")
    return found


def main() -> int:
    paths = [Path(a) for a in sys.argv[1:]] or sorted(HERE.glob("seed_questions*.jsonl"), key=_number)
    failed = 0
    for path in paths:
        found = problems(path)
        for problem in found:
            print(problem)
        print(f"{path.name}: {len(found)} problems")
        failed += len(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
