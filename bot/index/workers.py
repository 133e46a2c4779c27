"""Worker processes for the per-file work of a large sync: read → parse → figures, then BM25 words.

The build is pure Python and CPU-bound, so threads would share one core. A few worker processes
(`python -m bot.index.workers`, started fresh as bot.ingest.readers.ocr_worker is: no fork beside
the embedder's or the page server's threads, the same on Windows, and the caller's own script is
never imported again as multiprocessing's "spawn" would) each take one task at a time over a pipe
and send back plain data (pickled dataclasses, never code). Because the main process knows which
task each worker holds, a worker that dies (a segfault in a reader, MemoryError) costs exactly that
task: its file is named as skipped and a new worker takes the rest. Results come back with their
task's position, so the caller assembles them in the single-process order and writes
byte-identical index files.

Workers never see Ctrl-C (their own session / process group): it reaches the main process, which
ends them while its KeyboardInterrupt goes on to the usual "已中断…".
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

# Fewer new files than this are read in the main process. A worker costs ~1.5 s of CPU to start
# (interpreter, imports, jieba's dictionary) and results are pickled both ways: at 150 reports two
# workers used 14 s of CPU against 7 s in one process (measured under load, benchmarks/README.md),
# at 1,500 the same CPU as one process in half the wall time.
PARALLEL_FROM = 200
MAX_WORKERS = 4  # each worker holds ~100 MB (jieba, figure rules); more cores rarely sit idle here
WORKERS_VARIABLE = "ZHENBAO_INDEX_WORKERS"  # e.g. 1 to force the single-process build
WORKER_DIED = (
    "读取此文件时处理进程意外退出（可能内存不足或文件已损坏），已跳过此文件。修改或替换文件后会重新读取"
)


class Died:
    """The outcome of a task whose worker process exited before answering."""

    def __repr__(self) -> str:
        return "Died()"


DIED = Died()


class PoolUnavailable(RuntimeError):
    """Worker processes could not be started here (no interpreter to start, a locked-down OS)."""


def worker_count(files: int, requested: int | None = None) -> int:
    """How many worker processes to use for `files` new files: 1 means the in-process path."""
    if requested is None:
        setting = os.environ.get(WORKERS_VARIABLE, "").strip()
        requested = int(setting) if setting.isdigit() else min(os.cpu_count() or 1, MAX_WORKERS)
    if requested <= 1 or files < PARALLEL_FROM:
        return 1
    return min(requested, files)


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    ready: bool = False  # it has started and imported everything: a death from now on is its task's

    def send(self, message: Any) -> None:
        pickle.dump(message, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.flush()


class Pool:
    """`n` worker processes; `run` hands out tasks and yields each outcome with its position."""

    def __init__(self, n: int, context: dict[str, Any]) -> None:
        self._n = n
        self._context = context  # what every worker needs first: the file limits in force
        self._workers: list[_Worker] = []
        self._done: queue.Queue = queue.Queue()  # (worker, outcome) from the workers' reader threads
        self._failed_starts = 0
        self._broken = False

    def start(self) -> None:
        """Start the workers; PoolUnavailable when none can be started."""
        try:
            self._workers = [self._start() for _ in range(self._n)]
        except (OSError, ValueError, TypeError) as exc:  # e.g. no interpreter to start, too many processes
            self.close(wait=False)
            raise PoolUnavailable(str(exc)) from exc

    def _start(self) -> _Worker:
        # The package's own folder first on the path: the child imports this very copy of bot.
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
        apart = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {}
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.index.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a crashing reader's last words are not for the user's terminal
            env=env,
            start_new_session=os.name != "nt",  # Ctrl-C in the terminal goes to the main process only
            **apart,
        )
        worker = _Worker(process)
        threading.Thread(target=self._read, args=(worker,), daemon=True).start()
        worker.send(self._context)
        return worker

    def _read(self, worker: _Worker) -> None:
        # A thread per worker, not select(): select cannot wait on pipes on Windows.
        try:
            while True:
                status, result = pickle.load(worker.process.stdout)
                if status == "ready":
                    worker.ready = True
                    continue
                self._done.put((worker, result if status == "ok" else DIED))
        except Exception:  # EOF, a broken pipe, a truncated answer: the worker is gone
            self._done.put((worker, DIED))

    def run(self, kind: str, payloads: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        """Yield (position, result or DIED) for every payload, in the order they finish."""
        if self._broken:
            raise PoolUnavailable("处理进程无法启动")
        pending = deque(enumerate(payloads))
        busy: dict[int, int] = {}  # id(worker) → position of its task
        idle = list(self._workers)
        while pending or busy:
            while idle and pending:
                worker = idle.pop()
                position, payload = pending.popleft()
                try:
                    worker.send((kind, payload))
                except OSError:  # the pipe broke: the worker is gone, the task goes to another one
                    pending.appendleft((position, payload))
                    idle.extend(self._replace(worker, needed=True))
                    continue
                busy[id(worker)] = position
            if not busy:
                raise PoolUnavailable("没有可用的处理进程")
            worker, outcome = self._next()
            if id(worker) not in busy:
                continue  # the death notice of a worker already replaced
            position = busy.pop(id(worker))
            if outcome is DIED and not worker.ready:  # it never started: not its task's fault
                pending.appendleft((position, payloads[position]))
                self._failed_start()
                idle.extend(self._replace(worker, needed=True))
                continue
            if outcome is DIED:
                idle.extend(self._replace(worker, needed=bool(pending)))
            else:
                idle.append(worker)
            yield position, outcome

    def _failed_start(self) -> None:
        """Workers that die before their first task (a broken install): give up, read here."""
        self._failed_starts += 1
        if self._failed_starts > self._n:
            self._broken = True
            self.close(wait=False)
            raise PoolUnavailable("处理进程无法启动")

    def _next(self) -> tuple[_Worker, Any]:
        while True:  # a timeout, so that Ctrl-C is seen on Windows too
            with contextlib.suppress(queue.Empty):
                return self._done.get(timeout=0.5)

    def _replace(self, dead: _Worker, *, needed: bool) -> list[_Worker]:
        _end(dead, 0.0)
        self._workers.remove(dead)
        if not needed:
            return []
        try:
            fresh = self._start()
        except (OSError, ValueError, TypeError) as exc:
            if not self._workers:
                raise PoolUnavailable(str(exc)) from exc
            return []  # the others carry on
        self._workers.append(fresh)
        return [fresh]

    def close(self, *, wait: bool = True) -> None:
        """Let every (idle) worker finish (`wait`), and end any that does not at once."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.process.stdin.close()  # end of tasks: the worker returns
            _end(worker, 2.0 if wait else 0.0)
        self._workers = []


def _end(worker: _Worker, grace: float) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.process.wait(timeout=grace)
    if worker.process.poll() is None:
        worker.process.kill()
        worker.process.wait()
    with contextlib.suppress(OSError):
        worker.process.stdout.close()


@contextlib.contextmanager
def open_pool(files: int, requested: int | None = None) -> Iterator[Pool | None]:
    """A pool for reading `files` new files, or None: the in-process path (few files, 1 worker,
    or no worker could be started)."""
    n = worker_count(files, requested)
    pool: Pool | None = Pool(n, pool_context()) if n > 1 else None
    try:
        if pool is not None:
            pool.start()
    except PoolUnavailable:
        pool = None
    try:
        yield pool
    except BaseException:
        if pool is not None:  # an error or Ctrl-C: the workers' current tasks are of no use
            pool.close(wait=False)
        raise
    if pool is not None:
        pool.close()


def pool_context() -> dict[str, Any]:
    """What a worker must share with this process before its first task."""
    from bot.ingest.limits import current

    return {"limits": asdict(current())}


# --- in the worker process ----------------------------------------------------------------------------
def serve(tasks: BinaryIO, answers: BinaryIO) -> None:
    """A worker's life: take a task, answer it, until the main process closes the pipe."""
    from bot.index.reading import TASKS
    from bot.ingest.limits import lowered

    try:
        context = pickle.load(tasks)
    except EOFError:
        return
    pickle.dump(("ready", None), answers)
    answers.flush()
    with lowered(**context["limits"]):
        while True:
            try:
                kind, payload = pickle.load(tasks)
            except EOFError:
                return
            try:
                answer = ("ok", TASKS[kind](payload))
            except MemoryError:
                answer = ("died", None)
            pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # belt and braces: Ctrl-C is the main process's
    # The answers go to the real stdout; anything a library prints goes to stderr instead.
    _answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, _answers)
