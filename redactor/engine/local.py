"""The local engine: this process for one worker, else a pool of worker processes.

Each worker process loads the models once (a ``Pipeline`` built in the pool's
initializer) and CTranslate2's threads are split between workers. A worker that dies
(killed, out of memory, a crash in native code) breaks the whole process pool: every job
it had is lost, and a fresh pool takes the retries.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from redactor.config import Config
from redactor.engine import EngineOptions, Lost, Pool, peak_rss_mb
from redactor.jobs import FileResult, Job, Sink
from redactor.pipeline import Pipeline, work

EX_PARENT_DIED = 70  # a worker whose driver died (EX_SOFTWARE); nobody reads it
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def default_workers() -> int:
    """One worker per two cores: whisper uses two threads well, more contend for memory."""
    return max(1, (os.cpu_count() or 1) // 2)


def threads_per_worker(config: Config, workers: int) -> int:
    if config.cpu_threads:
        return config.cpu_threads
    return max(1, (os.cpu_count() or 1) // workers)


class LocalEngine:
    def __init__(self, options: EngineOptions) -> None:
        self.workers = options.workers or default_workers()

    @contextlib.contextmanager
    def start(
        self, config: Config, sink: Sink, make_worker_sink: Callable[[], Sink], files: int
    ) -> Iterator[Pool]:
        if self.workers <= 1 or files <= 1:
            yield InProcess(config, sink)
            return
        pool = Processes(config, make_worker_sink, self.workers)
        try:
            yield pool
        finally:
            pool.close()


class InProcess:
    """One worker: this process, with the driver's sink."""

    exact_losses = True
    worker_name = "worker"

    def __init__(self, config: Config, sink: Sink) -> None:
        self.pipeline = Pipeline(config)
        self.pipeline.load()
        self.sink = sink
        self.job: Job | None = None

    def free(self) -> int:
        return 0 if self.job else 1

    def starting(self) -> bool:
        return False

    def submit(self, job: Job) -> None:
        self.job = job

    def wait(self) -> list[tuple[Job, FileResult | Lost]]:
        job, self.job = self.job, None
        assert job is not None
        result = work(self.pipeline, job, self.sink)
        result.rss_mb = peak_rss_mb()
        return [(job, result)]


class Processes:
    """Worker processes, forked (they start fast and inherit the loaded Python modules;
    the models load after the fork), with a few jobs queued per worker."""

    exact_losses = False
    worker_name = "worker process"

    def __init__(self, config: Config, make_sink: Callable[[], Sink], workers: int) -> None:
        self.config = config.replace(cpu_threads=threads_per_worker(config, workers))
        self.make_sink = make_sink
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None
        self.running: dict[Future[FileResult], Job] = {}

    def free(self) -> int:
        return self.workers * 2 - len(self.running)

    def starting(self) -> bool:
        return False

    def submit(self, job: Job) -> None:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_init_worker,
                initargs=(self.config, self.make_sink, os.getpid()),
            )
        self.running[self.executor.submit(_work, job)] = job

    def wait(self) -> list[tuple[Job, FileResult | Lost]]:
        done, _ = wait(self.running, return_when=FIRST_COMPLETED)
        ended: list[tuple[Job, FileResult | Lost]] = []
        broken = False
        for future in done:
            try:
                ended.append((self.running[future], future.result()))
            except BrokenProcessPool:
                broken = True
                continue
            del self.running[future]
        if broken:
            # A worker died: every job the pool had might have been the one. Each gets
            # another try in a fresh pool (see engine.Jobs), then fails alone.
            ended += [
                (job, Lost("its worker process died (twice)")) for job in self.running.values()
            ]
            self.running.clear()
            self.close()
        return ended

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown()
            self.executor = None


# -- in each worker process --------------------------------------------------------------------

_worker: dict[str, Any] = {}


def die_with_parent(parent: int) -> None:
    """A worker must not outlive its driver (killed by the OOM killer, a lost SSH session):
    an orphan would go on writing objects that no manifest entry will ever list. On Linux
    the kernel kills it (PR_SET_PDEATHSIG); elsewhere, and for a driver that died before
    that took effect, a thread watches for the parent to change."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(EX_PARENT_DIED)

    threading.Thread(target=watch, name="redactor-parent-watch", daemon=True).start()


def _init_worker(config: Config, make_sink: Callable[[], Sink], parent: int) -> None:
    die_with_parent(parent)
    _worker["pipeline"] = Pipeline(config)
    _worker["pipeline"].load()
    _worker["sink"] = make_sink()


def _work(job: Job) -> FileResult:
    result = work(_worker["pipeline"], job, _worker["sink"])
    result.rss_mb = peak_rss_mb()
    return result
