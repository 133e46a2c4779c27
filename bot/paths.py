"""Where the user's reports live and where the bundled sample reports come from.

The default corpus is ONE folder in the user's data folder (platformdirs: ~/.local/share/zhenbao/报告 on
Linux, %LOCALAPPDATA%\\zhenbao\\报告 on Windows, ~/Library/Application Support/zhenbao/报告 on macOS). On
first run the packaged samples are copied into its subfolder 示例报告/. One folder rather than one index
over two folders because everything per corpus (the index, see bot.index.store.index_dir_for; the
报告信息.csv corrections; uploads and their duplicate check) is kept per folder: a copy makes the samples
ordinary reports of that folder, while the packaged files (and the repository's seeds/) are never written.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from bot.errors import ZhenbaoError

APP_NAME = "zhenbao"
# Overrides the per-user data folder (tests, portable installs on a USB stick).
DATA_DIR_ENV = "ZHENBAO_DATA_DIR"
REPORTS_FOLDER = "报告"
SAMPLES_FOLDER = "示例报告"
SETTINGS_FILE = "设置.json"
_SAMPLES_KEY = "使用示例报告"
_PACKAGED_SAMPLES = Path(__file__).resolve().parent / "samples"
# A source checkout (or an editable install) has no bot/samples: the samples are the repository's seeds/.
_REPOSITORY_SAMPLES = Path(__file__).resolve().parent.parent / "seeds"


def data_dir() -> Path:
    """The per-user data folder (not created here)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def reports_dir() -> Path:
    """The user's report folder: the default corpus, where "添加报告" stores uploads."""
    return data_dir() / REPORTS_FOLDER


def bundled_samples() -> Path | None:
    """The folder of the sample reports shipped with the program (read only), or None if absent."""
    for folder in (_PACKAGED_SAMPLES, _REPOSITORY_SAMPLES):
        if folder.is_dir() and any(folder.glob("*.txt")):
            return folder
    return None


@dataclass(frozen=True)
class Settings:
    """The data folder's 设置.json; a missing or unreadable file means the defaults."""

    samples: bool = True


def read_settings() -> Settings:
    try:
        data = json.loads((data_dir() / SETTINGS_FILE).read_text(encoding="utf-8"))
        return Settings(samples=bool(data.get(_SAMPLES_KEY, True)))
    except (OSError, ValueError, AttributeError):
        return Settings()


def is_sample(corpus_dir: Path, report_id: str) -> bool:
    """Whether a report of `corpus_dir` is a copied sample (only the default corpus has them)."""
    return report_id.split("/", 1)[0] == SAMPLES_FOLDER and _same(corpus_dir, reports_dir())


def own_report_files(folder: Path) -> list[Path]:
    """The report files of the user's folder other than the copied samples."""
    from bot.ingest.scan import list_report_files

    return [p for p in list_report_files(folder) if p.relative_to(folder).parts[0] != SAMPLES_FOLDER]


def shown_path(path: str | Path, folder: Path) -> str:
    """A report's path as the user knows it: relative to the report folder (the page and the command
    line show no absolute paths), or the bare file name for a file outside it."""
    try:
        return Path(path).resolve().relative_to(Path(folder).resolve()).as_posix()
    except ValueError:
        return Path(path).name


def default_corpus() -> Path:
    """The user's report folder, created on first run, with the samples copied in unless switched off."""
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if read_settings().samples:
        _copy_samples(folder / SAMPLES_FOLDER)
    return folder


def set_samples(enabled: bool) -> Path:
    """Switch the samples on (copied back in) or off (the copies removed); returns the report folder.

    Only the copies inside the user's data folder are removed, never the packaged samples. Raises
    ZhenbaoError when switching off while the folder holds no report of the user's own.
    """
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not enabled and not own_report_files(folder):
        raise ZhenbaoError(f"报告文件夹 {folder} 中还没有您自己的报告：请先添加报告，再停用示例报告。")
    settings_path = data_dir() / SETTINGS_FILE
    try:
        data = json.loads(settings_path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    data[_SAMPLES_KEY] = enabled
    settings_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    copies = folder / SAMPLES_FOLDER
    if enabled:
        _copy_samples(copies)
    elif copies.is_dir():
        shutil.rmtree(copies)
    return folder


def _copy_samples(target: Path) -> None:
    # Only missing files are copied: a sample the user corrected through 报告信息.csv stays as it is,
    # and a newer program version brings its new samples in.
    source = bundled_samples()
    if source is None:
        return
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*.txt")):
        if not (target / path.name).exists():
            shutil.copyfile(path, target / path.name)


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False
