"""The OCR engine in a process of its own: `python -m bot.ingest.readers.ocr_worker`.

Why a separate process rather than a thread: a page past the time limit is stopped by killing the
process, which no thread can do for a running onnxruntime session; and the worker gets its own HOME
and temp folder inside the cache folder, so what onnxruntime writes (a device id and a database
under ~/.cache/Microsoft, a ".ses" file in the temp folder) stays out of the user's home.
A plain subprocess rather than multiprocessing: multiprocessing's spawn re-runs the caller's main
script in the child, which breaks any script that lacks an `if __name__ == "__main__"` guard.

Protocol: pickled frames over stdin/stdout. The worker sends ("ready", None) once its models are
loaded, then for every page of pixels (an RGB numpy array) ("boxes", rows) or ("error", reason).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import subprocess
import sys
import threading
from pathlib import Path

from bot.errors import UnsupportedFile

# Seconds the worker may take to start and load its models (several on a busy machine).
START_SECONDS = 120.0
MISSING = '扫描件需要文字识别组件：pip install "zhenbao[ocr]"'
_REINSTALL = '请重新安装：pip install "zhenbao[ocr]"'
# Boxes scored below this are noise (stamps, smudges); RapidOCR's own default.
_MIN_SCORE = 0.5
_HOME_VARIABLES = ("HOME", "USERPROFILE", "TMPDIR", "TEMP", "TMP", "XDG_CACHE_HOME")


class PageTimeout(Exception):
    """The worker did not answer within the page's time limit; it has been stopped."""


class Worker:
    """One running worker process; `page` sends pixels and waits for the boxes."""

    def __init__(self, runtime: Path) -> None:
        runtime.mkdir(parents=True, exist_ok=True)
        # The package's own folder first on the path: the child imports this very copy of bot.
        package_root = str(Path(__file__).resolve().parents[3])
        env = {**os.environ, **dict.fromkeys(_HOME_VARIABLES, str(runtime))}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.ingest.readers.ocr_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=str(runtime),
            env=env,
        )
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        # A thread, not select(): select cannot wait on pipes on Windows.
        try:
            while True:
                self.answers.put(pickle.load(self.process.stdout))
        except (EOFError, OSError, pickle.UnpicklingError):
            self.answers.put(None)

    def wait(self, seconds: float):
        """The next answer; PageTimeout (worker stopped) past `seconds`; None when the worker died."""
        try:
            answer = self.answers.get(timeout=seconds)
        except queue.Empty:
            self.stop()
            raise PageTimeout from None
        if answer is None:
            self.stop()
        return answer

    def send(self, pixels) -> bool:
        """Hand the worker a page; False when it has died."""
        try:
            pickle.dump(pixels, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
            return True
        except OSError:
            self.stop()
            return False

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()


def start(path: Path, runtime: Path) -> Worker:
    """A worker with its models loaded; UnsupportedFile naming `path` when it cannot start."""
    worker = Worker(runtime)
    try:
        answer = worker.wait(START_SECONDS)
    except PageTimeout:
        raise UnsupportedFile(
            str(path), f"文字识别组件在 {START_SECONDS:g} 秒内未能启动，已跳过此文件"
        ) from None
    if answer is None:
        raise UnsupportedFile(
            str(path), '文字识别组件无法启动，已跳过此文件。请重新安装：pip install "zhenbao[ocr]"'
        )
    if answer[0] == "error":
        worker.stop()
        raise UnsupportedFile(str(path), answer[1])
    return worker


def _serve() -> None:
    """The worker's loop: load the models once, then answer each page's pixels with its boxes."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the frames

    def reply(kind: str, value) -> None:
        pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        from rapidocr import RapidOCR

        engine = RapidOCR(params={"Global.log_level": "error"})
    except ImportError:
        return reply("error", MISSING)
    except Exception as exc:  # a broken install or model file: the reason goes back to the user
        return reply(
            "error", f'文字识别组件无法加载（{type(exc).__name__}）。请重新安装：pip install "zhenbao[ocr]"'
        )
    reply("ready", None)
    while True:
        try:
            pixels = pickle.load(sys.stdin.buffer)
        except (EOFError, OSError):
            return None
        try:
            reply("boxes", _boxes(engine(pixels)))
        except Exception as exc:  # one bad image must not end the worker's answers
            reply("error", f"文字识别失败（{type(exc).__name__}），已跳过此文件。请检查扫描图片")


def _boxes(result) -> list[list]:
    """[left, top, right, bottom, text] of each confident box."""
    if result.boxes is None or result.txts is None:
        return []
    rows = []
    for points, text, score in zip(result.boxes, result.txts, result.scores, strict=False):
        if score >= _MIN_SCORE and text.strip():
            xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
            rows.append([min(xs), min(ys), max(xs), max(ys), str(text)])
    return rows


if __name__ == "__main__":
    _serve()
