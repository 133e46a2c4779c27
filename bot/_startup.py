"""Ctrl-C while the program is still starting: a Chinese message and exit 130, never a traceback.

`python -m bot` imports the package (bot/__init__.py, which pulls in bot.cli and its dependencies)
before bot/__main__.py runs, and the `zhenbao`/`zhenbao-ui` scripts and `python -m ui` import it
before their main() runs, so a try/except in main comes too late for a Ctrl-C in the first second.
This module is imported first by bot/__init__.py; when the process is one of those entry points it
turns SIGINT into that exit. Each main() (and bot/__main__.py) restores Python's own handler as it
starts, whose KeyboardInterrupt handling takes over. Imported any other way (tests, a library user,
a worker process) it changes nothing.
"""

from __future__ import annotations

import itertools
import signal
import sys
from pathlib import Path

STARTUP_INTERRUPTED = "已中断（程序尚未启动，没有做任何改动）。"


def _exit_quietly(signum, frame) -> None:
    sys.stderr.write(STARTUP_INTERRUPTED + "\n")
    raise SystemExit(130)


def restore_interrupt() -> None:
    """Give SIGINT back to Python (KeyboardInterrupt) once start-up is over; a no-op when this module
    did not take it (then it may also be called from any thread)."""
    if signal.getsignal(signal.SIGINT) is _exit_quietly:
        signal.signal(signal.SIGINT, signal.default_int_handler)


# The console scripts of pyproject.toml's [project.scripts] (on Windows: .exe launchers, or -script.py).
_SCRIPTS = ("zhenbao", "zhenbao-ui")


def _starting() -> bool:
    """True while one of the program's entry points is importing the package, before its main():
    `python -m bot` locating bot/__main__.py (not `-m bot.other`), `python -m ui` running ui/__main__.py,
    or a console script."""
    argv = getattr(sys, "orig_argv", [])
    modules = {name for flag, name in itertools.pairwise(argv) if flag == "-m"}
    if "bot" in modules and sys.argv[:1] == ["-m"]:
        return True
    if "ui" in modules and sys.argv[:1] and Path(sys.argv[0]).parent.name == "ui":
        return True
    script = Path(sys.argv[0]).name.lower() if sys.argv[:1] else ""
    return script.removesuffix(".exe").removesuffix("-script.py") in _SCRIPTS


if _starting() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _exit_quietly)
