"""What a sync must do, decided before anything is done: a pure function of manifest and folder."""

from __future__ import annotations

from dataclasses import dataclass

from bot.index.fingerprints import Fingerprints
from bot.index.store import FileStamp, Manifest


@dataclass(frozen=True)
class SyncPlan:
    """Which files keep their stored reading, which are read, which are gone, and what is redone."""

    keep: tuple[str, ...]  # report_ids whose stored paragraphs, tokens and figures stand
    read: tuple[str, ...]  # new or changed files, and every file when the parse rules changed
    removed: tuple[str, ...]  # stored reports whose file is gone (or now skipped)
    still_skipped: dict[str, dict]  # report_id → the remembered verdict of an unchanged bad file
    retokenize: bool  # the token rules changed: every kept paragraph is tokenised again
    reextract_figures: bool  # the figure rules changed: figures of kept reports are extracted again
    reuse_vectors: bool  # the chunk rules are unchanged: a stored sentence vector may be reused

    def changes_nothing(self, manifest: Manifest | None) -> bool:
        return (
            manifest is not None
            and not self.read
            and not self.removed
            and not self.retokenize
            and not self.reextract_figures
            and self.reuse_vectors
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
    keep = tuple(rid for rid, stamp in stamps.items() if files.get(rid) == stamp)
    still_skipped = {
        rid: skipped[rid]
        for rid, stamp in stamps.items()
        if rid in skipped and FileStamp(**skipped[rid]["stamp"]) == stamp
    }
    read = tuple(rid for rid in stamps if rid not in keep and rid not in still_skipped)
    previous = set(manifest.files) if manifest else set()
    removed = tuple(sorted(previous - set(keep) - set(read)))
    return SyncPlan(
        keep=keep,
        read=read,
        removed=removed,
        still_skipped=still_skipped,
        retokenize=before.get("tokens") != now.tokens,
        reextract_figures=before.get("figures") != now.figures,
        reuse_vectors=before.get("chunks") == now.chunks,
    )
