"""Batches: one run at a time per destination, worker processes, a run summary.

- ``RunLock``: an ``flock`` on a file named after the destination (a hash of it, in the
  user's runtime or cache folder, never inside the store), so a second run of the same
  nightly job exits at once with EX_TEMPFAIL; the kernel drops the lock when the process
  dies, so there is no stale pid file to clean.
- ``run_batch``: each worker process loads the models once (``Pipeline`` built in the
  worker's initializer) and CTranslate2's threads are split between workers. Results come
  back as they finish; a worker that dies takes only its current file with it.
- ``Summary``: counts per status and entity type, audio and wall time, as JSON
  (``--summary``) and as Prometheus textfile metrics (``--metrics``), written atomically.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import json
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redactor.config import Config
from redactor.errors import RedactorError
from redactor.fs import write_atomic
from redactor.jobs import FileResult, Job, Sink
from redactor.pipeline import Pipeline, commit, plan, run, work

EX_TEMPFAIL = 75
EX_PARENT_DIED = 70  # a worker whose driver died (EX_SOFTWARE); nobody reads it
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
#: A file whose worker died this many times is reported failed (each death retries it).
MAX_WORKER_DEATHS = 1


class LockedError(RedactorError):
    """Another run is writing to the same destination."""

    exit_code = EX_TEMPFAIL


def lock_dir() -> Path:
    """$REDACTOR_LOCK_DIR; else systemd's RuntimeDirectory=; else the user's runtime or
    cache folder."""
    if os.environ.get("REDACTOR_LOCK_DIR"):
        return Path(os.environ["REDACTOR_LOCK_DIR"])
    if os.environ.get("RUNTIME_DIRECTORY"):  # set by systemd for RuntimeDirectory=
        return Path(os.environ["RUNTIME_DIRECTORY"].split(":")[0]) / "locks"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime else Path.home() / ".cache"
    return base / "redactor" / "locks"


#: Lock descriptors this process holds. A forked worker closes its copies at once, so the
#: lock belongs to the driver alone and dies with it, even if a worker outlives it.
_HELD: set[int] = set()


def _close_held_locks() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held_locks)


class RunLock:
    """Held for the whole run by the driver alone. ``destination`` names the --out folder
    or the store in a normal form (a resolved path; ``s3://bucket/prefix/`` and its
    endpoint), so two spellings of one destination take the same lock."""

    def __init__(self, destination: str) -> None:
        digest = hashlib.sha256(destination.encode()).hexdigest()[:24]
        self.path = lock_dir() / f"{digest}.lock"
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockedError(
                "another redactor run is writing to this destination; try again when it ends"
            ) from None
        self._fd = fd
        _HELD.add(fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            _HELD.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# -- workers ---------------------------------------------------------------------------------

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
    result.rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def threads_per_worker(config: Config, workers: int) -> int:
    if config.cpu_threads:
        return config.cpu_threads
    return max(1, (os.cpu_count() or 1) // workers)


def run_batch(
    config: Config,
    files: list[tuple[Path, Path]],
    sink: Sink,
    make_worker_sink: Callable[[], Sink],
    workers: int = 1,
) -> Iterator[FileResult]:
    """Every file through the pipeline; with workers > 1, in that many processes.

    ``sink`` is the driver's: it plans each input and commits what a worker wrote (see
    jobs.Sink); ``make_worker_sink`` builds each worker's, which only writes."""
    if workers <= 1 or len(files) <= 1:
        pipeline = Pipeline(config)
        pipeline.load()
        for result in run(pipeline, files, sink):
            result.rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            yield result
        return
    worker_config = config.replace(cpu_threads=threads_per_worker(config, workers))
    # fork: workers start fast and inherit the loaded Python modules; models load after it
    context = multiprocessing.get_context("fork")
    jobs = Jobs(sink, files)
    while jobs:
        with ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(worker_config, make_worker_sink, os.getpid()),
        ) as pool:
            running: dict[Future[FileResult], Job] = {}
            broken = False
            while (jobs or running) and not broken:
                while len(running) < workers * 2:  # back-pressure: a few queued
                    if any(jobs.suspect(j) for j in running.values()):
                        break  # a suspect runs alone, so a second death names it for sure
                    job = jobs.next(busy=bool(running))
                    if job is None:
                        break
                    if isinstance(job, FileResult):
                        yield job
                        continue
                    running[pool.submit(_work, job)] = job
                if not running:
                    continue
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    if jobs.suspect(job) and not future.exception():
                        jobs.cleared(job)  # it was not the one
                    try:
                        yield commit(sink, job, future.result())
                    except BrokenProcessPool:
                        broken = True
                        running[future] = job  # counted below
            # A worker died (killed, out of memory, a crash in native code): every file it
            # might have been doing gets one more try in a fresh pool, then fails alone.
            for job in running.values():
                failed = jobs.lost(job, "its worker process died (twice)")
                if failed:
                    yield failed


class Jobs:
    """The driver's queue: inputs planned one at a time as workers free up (planning reads
    each input once), with retried jobs first. It counts, per input, the workers that died
    while they had it (a process, or a Ray actor)."""

    def __init__(self, sink: Sink, files: list[tuple[Path, Path]]) -> None:
        self._planned = plan(sink, files)
        self._retries: list[Job] = []
        self._left = len(files)
        self._deaths: Counter[int] = Counter()

    def __bool__(self) -> bool:
        return bool(self._retries) or self._left > 0

    def lost(self, job: Job, reason: str) -> FileResult | None:
        """Its worker died while it had ``job``: one more try (queued), then the failed
        result to report."""
        self._deaths[job.index] += 1
        if self._deaths[job.index] > MAX_WORKER_DEATHS:
            return FileResult(job.relative, False, reason, job.label)
        self._retries.append(job)
        self._retries.sort(key=lambda j: j.index)
        return None

    def suspect(self, job: Job) -> bool:
        """A worker died while it had this job."""
        return bool(self._deaths[job.index])

    def cleared(self, job: Job) -> None:
        """It finished, so an earlier death was not its doing."""
        self._deaths[job.index] = 0

    def next(self, busy: bool = False) -> Job | FileResult | None:
        """The next retry or planned input; None when none is left. A retried job (its
        worker died) runs alone, so a second death names it for sure: None while ``busy``."""
        if self._retries:
            return None if busy else self._retries.pop(0)
        if self._left:
            self._left -= 1
            return next(self._planned)
        return None


# -- summary ---------------------------------------------------------------------------------


@dataclass
class Summary:
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    files: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    audio_seconds: float = 0.0
    processing_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)

    def add(self, result: FileResult) -> None:
        self.files[result.status] += 1
        self.peak_rss_mb = max(self.peak_rss_mb, result.rss_mb)
        if result.ok and not result.skipped:
            self.entities.update(result.entities)
            self.audio_seconds += result.duration
            self.processing_seconds += result.seconds
        if not result.ok:
            self.failures.append({"input": result.label, "reason": result.error})

    @property
    def wall_seconds(self) -> float:
        return (self.finished or time.time()) - self.started

    def to_dict(self) -> dict[str, Any]:
        wall = self.wall_seconds
        return {
            "schema": "redactor.summary/1",
            "started": self.started,
            "finished": self.finished,
            "files": dict(self.files),
            "entities": dict(sorted(self.entities.items())),
            "audio_seconds": round(self.audio_seconds, 3),
            "wall_seconds": round(wall, 3),
            # the files' own times, summed over workers: no model loading, no skipped files
            "processing_seconds": round(self.processing_seconds, 3),
            "real_time_factor": round(self.audio_seconds / wall, 3) if wall else 0.0,
            "peak_rss_mb_per_worker": round(self.peak_rss_mb, 1),
            "failures": self.failures,
        }

    def write_json(self, path: Path) -> None:
        write_atomic(path, (json.dumps(self.to_dict(), indent=2) + "\n").encode())

    def write_metrics(self, path: Path) -> None:
        """Prometheus textfile-collector format; the last-success time only when all went well."""
        data = self.to_dict()
        lines = [
            "# HELP redactor_run_duration_seconds Wall time of the last run.",
            "# TYPE redactor_run_duration_seconds gauge",
            f"redactor_run_duration_seconds {data['wall_seconds']}",
            "# HELP redactor_run_audio_seconds Audio processed by the last run.",
            "# TYPE redactor_run_audio_seconds gauge",
            f"redactor_run_audio_seconds {data['audio_seconds']}",
            "# HELP redactor_run_files Files of the last run by status.",
            "# TYPE redactor_run_files gauge",
            *(
                f'redactor_run_files{{status="{status}"}} {self.files.get(status, 0)}'
                for status in ("ok", "skipped", "failed")
            ),
            "# HELP redactor_run_entities Entities found by the last run by type.",
            "# TYPE redactor_run_entities gauge",
            *(f'redactor_run_entities{{type="{t}"}} {n}' for t, n in data["entities"].items()),
            "# HELP redactor_run_last_run_timestamp_seconds When the last run ended.",
            "# TYPE redactor_run_last_run_timestamp_seconds gauge",
            f"redactor_run_last_run_timestamp_seconds {self.finished or time.time():.0f}",
        ]
        success = "redactor_run_last_success_timestamp_seconds"
        if not self.files.get("failed"):
            last_success = f"{self.finished or time.time():.0f}"
        else:  # keep the previous run's value: alerts fire on its age
            previous = path.read_text().splitlines() if path.is_file() else []
            found = [line.split()[-1] for line in previous if line.startswith(success + " ")]
            last_success = found[0] if found else ""
        if last_success:
            lines += [
                f"# HELP {success} When a run last ended with no failed file.",
                f"# TYPE {success} gauge",
                f"{success} {last_success}",
            ]
        write_atomic(path, ("\n".join(lines) + "\n").encode())
