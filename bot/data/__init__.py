"""The word lists and tables that rules read (package data), and the one loader for them.

Every list is a UTF-8 text file here: one entry a line, `#` starts a comment. Editing a list changes
behaviour without touching code; the index fingerprints say which lists an index depends on.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources


def data_bytes(name: str) -> bytes:
    """The raw bytes of a bundled data file, e.g. "metrics.json"."""
    return resources.files(__name__).joinpath(name).read_bytes()


def data_text(name: str) -> str:
    return data_bytes(name).decode("utf-8")


@cache
def word_list(name: str) -> tuple[str, ...]:
    """Entries of a one-entry-a-line list, comments and blank lines dropped, in file order."""
    entries = []
    for line in data_text(name).splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return tuple(entries)


def fingerprint(*names: str) -> str:
    """A short hash of the named data files: changes when any of them is edited."""
    digest = hashlib.sha1()
    for name in names:
        digest.update(name.encode())
        digest.update(data_bytes(name))
    return digest.hexdigest()[:10]
