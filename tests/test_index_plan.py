"""bot.index.plan.plan_sync: what a sync must do, from the manifest and the folder alone."""

from __future__ import annotations

import dataclasses

from bot.index.fingerprints import Fingerprints
from bot.index.plan import plan_sync
from bot.index.store import SCHEMA_VERSION, FileStamp, Manifest

NOW = Fingerprints(parse="p1", tokens="t1", vectors="v1", figures="f1")


def stamp(n: int) -> FileStamp:
    return FileStamp(sha256=f"{n:064d}", size=n, mtime_ns=n)


def manifest(files, skipped=None, fingerprints=NOW) -> Manifest:
    return Manifest(
        schema=SCHEMA_VERSION,
        fingerprints=fingerprints.to_dict(),
        encoder="fake",
        dim=8,
        corpus="/c",
        generation="gen-x",
        files=files,
        skipped=skipped or {},
    )


def test_without_an_index_every_file_is_read():
    plan = plan_sync(None, {"a.txt": stamp(1), "b.txt": stamp(2)}, NOW)
    assert plan.read == ("a.txt", "b.txt") and plan.keep == () and plan.removed == ()
    assert plan.retokenize and plan.rechunk and plan.reextract_figures


def test_unchanged_files_are_kept_changed_read_gone_removed():
    old = manifest({"a.txt": stamp(1), "b.txt": stamp(2), "gone.txt": stamp(3)})
    plan = plan_sync(old, {"a.txt": stamp(1), "b.txt": stamp(20), "new.txt": stamp(4)}, NOW)
    assert plan.keep == ("a.txt",)
    assert plan.read == ("b.txt", "new.txt")
    assert plan.removed == ("gone.txt",)
    assert not plan.retokenize and not plan.rechunk and not plan.reextract_figures
    assert not plan.changes_nothing(old)
    assert plan_sync(old, {"a.txt": stamp(1), "b.txt": stamp(2), "gone.txt": stamp(3)}, NOW).changes_nothing(
        old
    )


def test_an_unchanged_bad_file_keeps_its_verdict_and_is_not_read_again():
    verdict = {"stamp": vars(stamp(5)), "reason": "文件为空"}
    old = manifest({"a.txt": stamp(1)}, {"bad.txt": verdict})
    plan = plan_sync(old, {"a.txt": stamp(1), "bad.txt": stamp(5)}, NOW)
    assert plan.still_skipped == {"bad.txt": verdict} and plan.read == ()
    assert plan_sync(old, {"a.txt": stamp(1), "bad.txt": stamp(6)}, NOW).read == ("bad.txt",)


def test_each_rule_change_redoes_only_its_own_part():
    old = manifest({"a.txt": stamp(1)}, {"bad.txt": {"stamp": vars(stamp(5)), "reason": "空"}})
    folder = {"a.txt": stamp(1), "bad.txt": stamp(5)}
    tokens = plan_sync(old, folder, Fingerprints("p1", "t2", "v1", "f1"))
    assert tokens.retokenize and tokens.keep == ("a.txt",) and not tokens.reextract_figures
    figures = plan_sync(old, folder, Fingerprints("p1", "t1", "v1", "f2"))
    assert figures.reextract_figures and not figures.retokenize and figures.read == ()
    parse = plan_sync(old, folder, Fingerprints("p2", "t1", "v1", "f1"))
    assert parse.read == ("a.txt", "bad.txt") and parse.keep == ()  # new rules may read a bad file now
    vectors = plan_sync(old, folder, Fingerprints("p1", "t1", "v2", "f1"))
    assert vectors.rechunk and vectors.keep == ("a.txt",) and not vectors.retokenize
    assert not vectors.changes_nothing(old)


def test_a_later_copy_is_a_duplicate_until_the_first_is_gone():
    old = manifest({"a.txt": stamp(1)})
    plan = plan_sync(old, {"a.txt": stamp(1), "b_copy.txt": stamp(1)}, NOW)
    assert plan.keep == ("a.txt",) and plan.read == ()
    assert "a.txt" in plan.duplicates["b_copy.txt"] and plan.changes_nothing(old)
    alone = plan_sync(old, {"b_copy.txt": stamp(1)}, NOW)
    assert alone.read == ("b_copy.txt",) and alone.removed == ("a.txt",) and alone.duplicates == {}


def test_copies_follow_path_order_as_a_fresh_build_would():
    old = manifest({"b.txt": stamp(1)})
    plan = plan_sync(old, {"a_copy.txt": stamp(1), "b.txt": stamp(1)}, NOW)
    assert plan.read == ("a_copy.txt",) and plan.removed == ("b.txt",)
    assert set(plan.duplicates) == {"b.txt"}


def test_planning_reads_nothing_and_changes_nothing():
    old = manifest({"a.txt": stamp(1)})
    before = old.to_json()
    plan_sync(old, {"a.txt": stamp(2)}, Fingerprints("p2", "t2", "v2", "f2"))
    assert old.to_json() == before


def test_a_new_row_in_the_report_table_reads_that_file_only():
    old = manifest({"a.txt": stamp(1), "b.txt": stamp(2)})
    with_row = dataclasses.replace(stamp(2), info='["东庄镇", null, null]')
    plan = plan_sync(old, {"a.txt": stamp(1), "b.txt": with_row}, NOW)
    assert plan.keep == ("a.txt",) and plan.read == ("b.txt",)
