"""The same batch on a Ray cluster: a pool of actors, each loading the models once.

``run_batch_ray`` is ``batch.run_batch`` for ``--engine ray``: the driver (this process)
holds the run lock and yields results as they come; each actor builds its own Pipeline and
sink (keys load there), so outputs go straight from the actor to the folder or store.
Only file paths and indices travel through Ray, never transcript text: task arguments and
results are what Ray may log or show. A local cluster binds to 127.0.0.1 and runs with
token authentication (a fresh token per run); for an existing cluster, RAY_AUTH_MODE and
RAY_AUTH_TOKEN (or the token file) come from the environment, as Ray documents.

Faults: an actor that dies is restarted (``max_restarts``) and its task retried
(``max_task_retries``); a file still failing after that is reported failed, the batch goes
on. Back-pressure: at most one file per actor is in flight.
"""

from __future__ import annotations

import os
import resource
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from redactor.config import Config
from redactor.errors import ConfigError
from redactor.pipeline import FileResult, Pipeline, Sink, run

MAX_RESTARTS = 1


def _ray():  # noqa: ANN202  (the ray module, imported late)
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'redactor[ray]'") from None
    return ray


class _Worker:
    """One Ray actor: a loaded pipeline and a sink, for many files."""

    def __init__(self, config: Config, make_sink: Callable[[], Sink]) -> None:
        self.pipeline = Pipeline(config)
        self.pipeline.load()
        self.sink = make_sink()

    def process(self, index: int, source: str, relative: str) -> FileResult:
        (result,) = run(self.pipeline, [(Path(source), Path(relative))], self.sink, first=index)
        result.rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result


def run_batch_ray(
    config: Config,
    files: list[tuple[Path, Path]],
    make_sink: Callable[[], Sink],
    workers: int,
    address: str = "",
    cpus_per_worker: int = 1,
) -> Iterator[FileResult]:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry
    if not address:  # a local Ray for this run: token authentication on, with a fresh token
        # (read by Ray when it is imported, so set first)
        os.environ.setdefault("RAY_AUTH_MODE", "token")
        os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
    ray = _ray()
    started_here = not ray.is_initialized()
    if started_here:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(
                num_cpus=max(workers * cpus_per_worker, 1),
                include_dashboard=False,
                log_to_driver=False,
                _node_ip_address="127.0.0.1",
            )
    try:
        worker_class = ray.remote(
            num_cpus=cpus_per_worker, max_restarts=MAX_RESTARTS, max_task_retries=MAX_RESTARTS
        )(_Worker)
        worker_config = config.replace(cpu_threads=cpus_per_worker)
        actors = [worker_class.remote(worker_config, make_sink) for _ in range(workers)]
        pending = list(enumerate(files))
        running: dict[object, tuple[object, Path]] = {}  # task -> (actor, relative)
        idle = list(actors)
        while pending or running:
            while pending and idle:
                actor = idle.pop()
                index, (source, relative) = pending.pop(0)
                task = actor.process.remote(index, str(source), str(relative))
                running[task] = (actor, relative)
            done, _ = ray.wait(list(running), num_returns=1)
            for task in done:
                actor, relative = running.pop(task)
                idle.append(actor)
                try:
                    yield ray.get(task)
                except ray.exceptions.RayError as exc:
                    yield FileResult(
                        relative, False, f"its Ray worker failed ({type(exc).__name__})"
                    )
    finally:
        if started_here:
            ray.shutdown()
