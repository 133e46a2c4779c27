"""What a sync must do, decided before anything is done: a pure function of manifest and folder."""

from __future__ import annotations

from dataclasses import dataclass

from bot.index.fingerprints import Fingerprints
from bot.index.store import FileStamp, Manifest
from bot.ingest.scan import FirstCopies


@dataclass(frozen=True)
class SyncPlan:
    """Which files keep their stored reading, which are read, which are gone, and what is redone."""

    keep: tuple[str, ...]  # report_ids whose stored paragraphs, tokens and figures stand
    read: tuple[str, ...]  # new or changed files, and every file when the parse rules changed
    removed: tuple[str, ...]  # stored reports that are neither kept nor read (gone, or now a copy)
    still_skipped: dict[str, dict]  # report_id → the remembered verdict of an unchanged bad file
    duplicates: dict[str, str]  # report_id → why it is skipped: a later copy of another file's bytes
    retokenize: bool  # the token rules changed: every kept paragraph is tokenised again
    rechunk: bool  # the sentence-text rules changed: texts are cut again, new ones embedded
    reextract_figures: bool  # the figure rules changed: figures of kept reports are extracted again

    def changes_nothing(self, manifest: Manifest | None) -> bool:
        return (
            manifest is not None
            and not self.read
            and not self.removed
            and not self.retokenize
            and not self.rechunk
            and not self.reextract_figures
            and set(self.still_skipped) == set(manifest.skipped)
        )


def plan_sync(manifest: Manifest | None, stamps: dict[str, FileStamp], now: Fingerprints) -> SyncPlan:
    """The plan for bringing an index described by `manifest` up to the folder's `stamps`.

    `manifest` is None when there is no usable index: then every file is read.
    """
    before = manifest.fingerprints if manifest else {}
    reparse = manifest is None or before.get("parse") != now.parse
    files = {} if reparse else manifest.files
    skipped = {} if reparse else manifest.skipped
    duplicates = _duplicates(stamps)
    originals = [rid for rid in sorted(stamps) if rid not in duplicates]
    keep = tuple(rid for rid in originals if files.get(rid) == stamps[rid])
    still_skipped = {
        rid: skipped[rid]
        for rid in originals
        if rid in skipped and FileStamp(**skipped[rid]["stamp"]) == stamps[rid]
    }
    read = tuple(rid for rid in originals if rid not in keep and rid not in still_skipped)
    previous = set(manifest.files) if manifest else set()
    return SyncPlan(
        keep=keep,
        read=read,
        removed=tuple(sorted(previous - set(keep) - set(read))),
        still_skipped=still_skipped,
        duplicates=duplicates,
        retokenize=before.get("tokens") != now.tokens,
        rechunk=before.get("vectors") != now.vectors,
        reextract_figures=before.get("figures") != now.figures,
    )


def _duplicates(stamps: dict[str, FileStamp]) -> dict[str, str]:
    # Decided from the hashes alone, every sync, as bot.ingest.scan decides it: never remembered,
    # so removing the first copy lets the next one be indexed, and the index is the same whether
    # it was built at once or file by file.
    copies = FirstCopies()
    found = {}
    for report_id in sorted(stamps):
        if reason := copies.claim(report_id, stamps[report_id].sha256):
            found[report_id] = reason
    return found
