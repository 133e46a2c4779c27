"""Ctrl-C while `python -m bot` is still starting: a Chinese message and exit 130, never a traceback.

`python -m bot` imports the package (bot/__init__.py, which pulls in bot.cli and its dependencies)
before bot/__main__.py runs, so a try/except there comes too late for a Ctrl-C in the first second.
This module is imported first by bot/__init__.py; while the interpreter is still locating the -m
module (CPython then sets sys.argv[0] to "-m") it turns SIGINT into that exit. bot/__main__.py
restores Python's own handler before main() starts, whose KeyboardInterrupt handling takes over.
Imported any other way (the page, tests, a library user) it changes nothing.
"""

from __future__ import annotations

import itertools
import signal
import sys

STARTUP_INTERRUPTED = "已中断（程序尚未启动，没有做任何改动）。"


def _exit_quietly(signum, frame) -> None:
    sys.stderr.write(STARTUP_INTERRUPTED + "\n")
    raise SystemExit(130)


def restore_interrupt() -> None:
    """Give SIGINT back to Python (KeyboardInterrupt), once start-up is over."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _starting_python_m_bot() -> bool:
    """True while `python -m bot` is locating bot/__main__.py (not `-m ui`, not `-m bot.other`)."""
    argv = getattr(sys, "orig_argv", [])
    launched = any(flag == "-m" and name == "bot" for flag, name in itertools.pairwise(argv))
    return sys.argv[:1] == ["-m"] and launched


if _starting_python_m_bot() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _exit_quietly)
