"""bot.index.plan.plan_sync: what a sync must do, from the manifest and the folder alone."""

from __future__ import annotations

from bot.index.fingerprints import Fingerprints
from bot.index.plan import plan_sync
from bot.index.store import SCHEMA_VERSION, FileStamp, Manifest

NOW = Fingerprints(parse="p1", tokens="t1", chunks="c1", figures="f1")


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
    assert plan.retokenize and plan.reextract_figures and not plan.reuse_vectors


def test_unchanged_files_are_kept_changed_read_gone_removed():
    old = manifest({"a.txt": stamp(1), "b.txt": stamp(2), "gone.txt": stamp(3)})
    plan = plan_sync(old, {"a.txt": stamp(1), "b.txt": stamp(20), "new.txt": stamp(4)}, NOW)
    assert plan.keep == ("a.txt",)
    assert plan.read == ("b.txt", "new.txt")
    assert plan.removed == ("gone.txt",)
    assert not plan.retokenize and not plan.reextract_figures and plan.reuse_vectors
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
    tokens = plan_sync(old, folder, Fingerprints("p1", "t2", "c1", "f1"))
    assert tokens.retokenize and tokens.keep == ("a.txt",) and not tokens.reextract_figures
    figures = plan_sync(old, folder, Fingerprints("p1", "t1", "c1", "f2"))
    assert figures.reextract_figures and not figures.retokenize and figures.read == ()
    parse = plan_sync(old, folder, Fingerprints("p2", "t1", "c1", "f1"))
    assert parse.read == ("a.txt", "bad.txt") and parse.keep == ()  # new rules may read a bad file now
    assert parse.reuse_vectors  # re-read, but unchanged sentences keep their vectors
    chunks = plan_sync(old, folder, Fingerprints("p1", "t1", "c2", "f1"))
    assert not chunks.reuse_vectors
