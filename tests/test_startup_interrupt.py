"""Ctrl-C while `python -m bot` is still importing bot.cli: a Chinese message, exit 130, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# SIGINT is raised from an import hook (a sitecustomize module, loaded at interpreter start) the moment
# the package starts importing bot.answers, so it lands inside `import bot` every time, however fast
# the machine is.
_INTERRUPT_DURING_IMPORT = textwrap.dedent(
    """
    import signal, sys

    class Interrupt:
        def find_spec(self, name, path=None, target=None):
            if name == "bot.answers":
                sys.meta_path.remove(self)
                signal.raise_signal(signal.SIGINT)
            return None

    sys.meta_path.insert(0, Interrupt())
    """
)
_QUESTION = "季家镇办理了多少件行政执法案件？"


def _env(tmp_path: Path, *paths: Path) -> dict[str, str]:
    pythonpath = os.pathsep.join(str(p) for p in (*paths, ROOT))
    return {
        "PATH": os.environ.get("PATH", ""),
        "ZHENBAO_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": pythonpath,
    }


# What pip writes for each [project.scripts] entry (the console scripts import the package before main()).
_SCRIPT = """# -*- coding: utf-8 -*-
import re
import sys
from {module} import main
if __name__ == "__main__":
    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])
    sys.exit(main())
"""
_ENTRY_POINTS = {
    "python -m bot": ["-m", "bot", "ask"],
    "python -m ui": ["-m", "ui", "--port", "7999"],
    "zhenbao": ["{scripts}/zhenbao", "ask"],
    "zhenbao-ui": ["{scripts}/zhenbao-ui", "--port", "7999"],
}


@pytest.mark.parametrize("entry", _ENTRY_POINTS)
def test_sigint_while_importing_the_package_exits_130_in_chinese(tmp_path, entry):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_INTERRUPT_DURING_IMPORT, encoding="utf-8")
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "zhenbao").write_text(_SCRIPT.format(module="bot.cli"), encoding="utf-8")
    (scripts / "zhenbao-ui").write_text(_SCRIPT.format(module="ui.__main__"), encoding="utf-8")
    arguments = [part.format(scripts=scripts) for part in _ENTRY_POINTS[entry]]
    command = [sys.executable, *arguments, "--corpus", str(tmp_path)]
    if arguments[-1] == "ask":
        command.append(_QUESTION)
    done = subprocess.run(command, cwd=ROOT, env=_env(tmp_path, hook), capture_output=True, timeout=60)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 130, err
    assert "Traceback" not in err and "已中断" in err


def test_real_sigint_while_bot_modules_import_has_no_traceback(tmp_path):
    """A real SIGINT from outside, sent once the first bot module has been imported.

    `-X importtime` reports each import on stderr as it completes: the signal goes out at the first
    "bot." line, so it lands in the rest of the imports or in main, never in the interpreter's own
    start-up (which no program can handle) however slow the machine is.
    """
    command = [sys.executable, "-X", "importtime", "-m", "bot", "ask", "--corpus", str(tmp_path), _QUESTION]
    process = subprocess.Popen(
        command, cwd=ROOT, env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    seen = []
    for raw in process.stderr:
        seen.append(raw)
        if b"| bot." in raw:
            process.send_signal(signal.SIGINT)
            break
    _, err = process.communicate(timeout=60)
    text = b"".join([*seen, err]).decode("utf-8", "replace")
    assert "Traceback" not in text, text[-2000:]
    if process.returncode != 130:
        # The process may have ended on its own first (the empty folder is an error it reports).
        assert process.returncode in (1, 2), text[-2000:]
        return
    assert "已中断" in text
