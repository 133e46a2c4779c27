"""The program as an official installs it: a built wheel, a fresh venv, an empty folder, a new user.

Also the per-user report folder and the sample switch (bot.paths), without a build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from bot import paths
from bot.errors import ZhenbaoError

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "哪个镇办理行政执法案件最多"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    return tmp_path / "data"


def test_first_run_creates_the_report_folder_with_copied_samples(data_home):
    folder = paths.default_corpus()
    assert folder == data_home / paths.REPORTS_FOLDER
    copies = sorted(p.name for p in (folder / paths.SAMPLES_FOLDER).iterdir())
    assert copies == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert paths.is_sample(folder, f"{paths.SAMPLES_FOLDER}/{copies[0]}")
    assert not paths.is_sample(folder, "我的报告.docx")
    # Another corpus folder has no samples, even with a subfolder of that name.
    assert not paths.is_sample(data_home / "elsewhere", f"{paths.SAMPLES_FOLDER}/{copies[0]}")


def test_samples_switch_off_only_with_own_reports_and_never_touch_the_originals(data_home):
    seeds_before = {p.name: p.read_bytes() for p in (ROOT / "seeds").iterdir()}
    folder = paths.default_corpus()
    with pytest.raises(ZhenbaoError, match="还没有您自己的报告"):
        paths.set_samples(False)
    assert paths.read_settings().samples
    (folder / "我的报告.txt").write_text("某某镇2024年法治政府建设年度报告\n", encoding="utf-8")
    paths.set_samples(False)
    assert not (folder / paths.SAMPLES_FOLDER).exists()
    assert not paths.read_settings().samples
    paths.default_corpus()  # a later run does not bring them back
    assert not (folder / paths.SAMPLES_FOLDER).exists()
    paths.set_samples(True)
    assert len(list((folder / paths.SAMPLES_FOLDER).glob("*.txt"))) == len(seeds_before)
    assert (folder / "我的报告.txt").exists()
    assert {p.name: p.read_bytes() for p in (ROOT / "seeds").iterdir()} == seeds_before


def test_unreadable_settings_mean_the_defaults(data_home):
    data_home.mkdir(parents=True)
    (data_home / paths.SETTINGS_FILE).write_bytes(b"\xff\xfe not json")
    assert paths.read_settings().samples


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=900, **kwargs)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def installed_python(tmp_path_factory) -> Path:
    """A fresh venv holding only the built wheel; the heavy dependencies come from this interpreter's
    site-packages through a .pth written after the install (so pip sees an empty environment and the
    wheel's own `bot` comes first on sys.path)."""
    work = tmp_path_factory.mktemp("wheel")
    # --no-isolation: CI and officials' build machines may be offline; setuptools is already installed.
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(work / "dist"), str(ROOT)])
    wheel = next((work / "dist").glob("zhenbao-*.whl"))
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # Without PYTHONPATH: a source tree on it (PYTHONPATH=$PWD, as worktrees run the tests) holds the
    # zhenbao.egg-info that `build` writes there, and pip would take it for zhenbao installed already.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)], env=clean)
    purelib = _run([str(python), "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])"])
    shared = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib.stdout.strip(), "zz_shared_deps.pth").write_text("\n".join(sorted(shared)) + "\n")
    return python


def _fresh_user(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENBAO_", "XDG_", "PYTHON"))}
    home = tmp_path / "home"
    for name in ("DATA", "CACHE", "CONFIG", "STATE"):
        (home / name.lower()).mkdir(parents=True)
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    env["HOME"] = str(home)
    return env


@pytest.mark.slow
def test_built_wheel_answers_from_an_empty_folder(installed_python, tmp_path):
    env = _fresh_user(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    where = _run([str(installed_python), "-c", "import bot;print(bot.__file__)"], cwd=empty, env=env)
    assert Path(where.stdout.strip()).is_relative_to(installed_python.parent.parent)

    result = _run([str(installed_python), "-m", "bot", "ask", QUESTION, "--json"], cwd=empty, env=env)
    answer = json.loads(result.stdout)
    assert "季家镇" in answer["answer"] and "728" in answer["answer"], answer["answer"]
    sources = json.dumps(answer, ensure_ascii=False)
    assert f"{paths.SAMPLES_FOLDER}/" in sources  # the figure cites its (copied) sample report
    reports = Path(env["XDG_DATA_HOME"]) / "zhenbao" / paths.REPORTS_FOLDER
    assert len(list((reports / paths.SAMPLES_FOLDER).glob("*.txt"))) == 5
    assert list(empty.iterdir()) == []

    shown = _run([str(installed_python), "-m", "bot", "ask", "--help"], cwd=empty, env=env)
    assert str(reports) in shown.stdout.replace("\n", "")
