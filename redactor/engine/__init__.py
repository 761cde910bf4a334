"""Engines: where the calls of a batch are worked on. One scheduling loop, many engines.

``run_batch`` is the loop, the same for every engine. The driver (this process) plans
each input (the sink decides whether it is to be done, and names it), hands planned jobs
to the engine's pool as it has room, commits each result (a store's manifest and audit),
and yields results as they come. A job whose worker died gets one more try, then fails
alone; the batch goes on.

An engine is only how workers are made and talked to: ``local`` (this process, or worker
processes; engine/local.py) and ``ray`` (a pool of Ray actors; engine/ray.py). A new
engine is one module with a class that has ``start`` (below) and one entry in ``engines()``.
"""

from __future__ import annotations

import resource
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from redactor.config import Config
from redactor.errors import ConfigError, UsageError
from redactor.jobs import FileResult, Job, Sink

#: A file whose worker died this many times is reported failed (each death retries it).
MAX_WORKER_DEATHS = 1


@dataclass(frozen=True)
class Lost:
    """The worker died while it had the job (a native crash, the OOM killer, a lost node)."""

    reason: str


class Pool(Protocol):
    """Workers with the models loaded, as an engine's ``start`` gives them."""

    #: A lost job is known to be the one that killed its worker. When not (a process pool
    #: breaks as a whole), a retried job runs alone so a second death names it for sure.
    exact_losses: bool
    #: What its workers are called in messages ("worker process", "Ray worker").
    worker_name: str

    def free(self) -> int:
        """How many more jobs it takes now (back-pressure)."""
        ...

    def starting(self) -> bool:
        """Workers are still starting: room may come without a job finishing."""
        ...

    def submit(self, job: Job) -> None: ...

    def wait(self) -> list[tuple[Job, FileResult | Lost]]:
        """Blocks until a job ends (or a worker becomes ready: the list may be empty)."""
        ...


class Engine(Protocol):
    def start(
        self, config: Config, sink: Sink, make_worker_sink: Callable[[], Sink], files: int
    ) -> AbstractContextManager[Pool]:
        """Workers for a batch of ``files`` inputs. ``sink`` is the driver's; each worker
        builds its own with ``make_worker_sink`` (it only writes)."""
        ...


@dataclass(frozen=True)
class EngineOptions:
    #: Workers (processes, or actors); 0: the engine's default.
    workers: int = 0
    #: Whisper threads per worker; 0: the engine's default.
    threads: int = 0
    #: A Ray cluster's address; empty: a local Ray for this run.
    address: str = ""


def engines() -> dict[str, Callable[[EngineOptions], Engine]]:
    """Every engine by its --engine name (imported here: the light commands never pay)."""
    from redactor.engine.local import LocalEngine
    from redactor.engine.ray import RayEngine

    return {"local": LocalEngine, "ray": RayEngine}


def make_engine(name: str, options: EngineOptions) -> Engine:
    found = engines()
    if name not in found:
        raise UsageError(f"unknown engine {name!r} ({', '.join(found)})")
    return found[name](options)


def run_batch(
    engine: Engine,
    config: Config,
    files: list[tuple[Path, Path]],
    sink: Sink,
    make_worker_sink: Callable[[], Sink],
) -> Iterator[FileResult]:
    """Every file through the engine's workers; results in the order they finish."""
    from redactor.pipeline import commit

    jobs = Jobs(sink, files)
    with engine.start(config, sink, make_worker_sink, len(files)) as pool:
        running: dict[int, Job] = {}
        while jobs or running:
            while pool.free():
                suspects = not pool.exact_losses and any(map(jobs.suspect, running.values()))
                if suspects:
                    break  # a suspect runs alone
                job = jobs.next(busy=bool(running) and not pool.exact_losses)
                if job is None:
                    break
                if isinstance(job, FileResult):  # not to be done: skipped, unreadable
                    yield job
                    continue
                pool.submit(job)
                running[job.index] = job
            if not running and not pool.starting():
                if jobs and not pool.free():
                    raise ConfigError(
                        f"every {pool.worker_name} died; the next run goes on from here"
                    )
                continue
            for job, outcome in pool.wait():
                del running[job.index]
                if isinstance(outcome, Lost):
                    failed = jobs.lost(job, outcome.reason)
                    if failed:
                        yield failed
                    continue
                jobs.cleared(job)  # its worker lived: an earlier death was not its doing
                yield commit(sink, job, outcome)


def peak_rss_mb() -> float:
    """This process's peak resident memory, for the summary (each worker reports its own)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Jobs:
    """The driver's queue: inputs planned one at a time as workers free up (planning reads
    each input once), with retried jobs first. It counts, per input, the workers that died
    while they had it."""

    def __init__(self, sink: Sink, files: list[tuple[Path, Path]]) -> None:
        from redactor.pipeline import plan

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
        """The next retry or planned input; None when none is left. A retried job runs
        alone when ``busy`` is meant to hold it back: None then."""
        if self._retries:
            return None if busy else self._retries.pop(0)
        if self._left:
            self._left -= 1
            return next(self._planned)
        return None
