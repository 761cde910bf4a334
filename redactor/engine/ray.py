"""The Ray engine: a pool of actors on a Ray cluster, each loading the models once.

The driver (this process) runs engine.run_batch as for the local engine: it holds the run
lock, plans each input and commits it (a store's manifest and audit); each actor builds
its own Pipeline and worker sink (only the recipients' keys load there), so outputs go
straight from the actor to the folder or store.
Only jobs (paths, a pseudonymous label and call id) and results (counts, and for a store
ciphertext sizes and hashes) travel through Ray, never transcript text: task arguments and
results are what Ray may log or show. A local cluster binds to 127.0.0.1 and runs with
token authentication (a fresh token per run); for an existing cluster, RAY_AUTH_MODE and
RAY_AUTH_TOKEN (or the token file) come from the environment, as Ray documents.

Faults: an actor that dies is restarted (``max_restarts``) and its task retried
(``max_task_retries``). An actor dead for good leaves the pool, and its call gets one
more try on another actor; a call still failing after that is reported failed, and the
batch goes on. Back-pressure: at most one file per actor is in flight.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

from redactor import __version__
from redactor.config import Config
from redactor.engine import EngineOptions, Lost, Pool, peak_rss_mb
from redactor.errors import ConfigError
from redactor.jobs import FileResult, Job, Sink
from redactor.pipeline import Pipeline, work

log = logging.getLogger(__name__)

#: How often Ray restarts a dead actor, retrying its call ($REDACTOR_RAY_MAX_RESTARTS).
MAX_RESTARTS = int(os.environ.get("REDACTOR_RAY_MAX_RESTARTS", "1"))
#: Seconds to wait for an actor to start or restart (an autoscaler may add a node).
START_TIMEOUT = 600


def local_ray_settings() -> None:
    """A local Ray for this run: token authentication on with a fresh token, and every
    server on the loopback address. Ray reads both when it is imported, so they are set
    first; a Ray imported earlier (maybe without them) is refused rather than trusted, and
    one the caller already initialised is used as it is.

    Ray's own switch for loopback-only is RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 (its
    single-machine mode); without it Ray swaps 127.0.0.1 for the machine's address."""
    imported = sys.modules.get("ray")
    if imported is not None and not imported.is_initialized():
        raise ConfigError(
            "Ray was imported before redactor could start its local Ray with token "
            "authentication on 127.0.0.1; pass --ray-address for a cluster you started"
        )
    os.environ.setdefault("RAY_AUTH_MODE", "token")
    os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")


def _ray() -> Any:  # the ray module, imported late
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs Ray: pip install 'callredactor[ray]'") from None
    return ray


class _Worker:
    """One Ray actor: a loaded pipeline and a sink, for many files."""

    def __init__(
        self, config: Config, make_sink: Callable[[], Sink], expected: tuple[str, str]
    ) -> None:
        self.pipeline = Pipeline(config)
        self.pipeline.load()
        # checked at every start, restarts on another node included
        problem = mismatch(self.identity(), expected)
        if problem:
            raise ConfigError(problem)
        self.sink = make_sink()

    def identity(self) -> tuple[str, str]:
        """The redactor version and settings fingerprint (models included) it runs with."""
        return __version__, self.pipeline.config.fingerprint()

    def process(self, job: Job) -> FileResult:
        result = work(self.pipeline, job, self.sink)
        result.rss_mb = peak_rss_mb()
        return result


class RayEngine:
    """``workers`` actors (default: as many as the cluster has CPUs for), each with
    ``threads`` CPUs (default 1) and as many whisper threads."""

    def __init__(self, options: EngineOptions) -> None:
        self.workers = options.workers
        self.cpus = options.threads or 1
        self.address = options.address

    @contextlib.contextmanager
    def start(
        self, config: Config, sink: Sink, make_worker_sink: Callable[[], Sink], files: int
    ) -> Iterator[Pool]:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no telemetry
        if not self.address:
            local_ray_settings()
        elif os.environ.get("RAY_AUTH_MODE") != "token":
            raise ConfigError(
                "--ray-address: set RAY_AUTH_MODE=token and the cluster's token (RAY_AUTH_TOKEN, "
                "RAY_AUTH_TOKEN_PATH or Ray's token file); redactor sends calls only to a Ray "
                "cluster that requires authentication"
            )
        ray = _ray()
        started_here = not ray.is_initialized()
        if started_here:
            if self.address:
                connect(ray, self.address)
            else:
                ray.init(
                    num_cpus=self.workers * self.cpus if self.workers else os.cpu_count(),
                    include_dashboard=False,
                    log_to_driver=False,
                )
        try:
            yield Actors(ray, config, make_worker_sink, self.workers, self.cpus)
        finally:
            if started_here:
                ray.shutdown()


class Actors:
    """The pool: actors start and check themselves; one file per actor is in flight."""

    exact_losses = True
    worker_name = "Ray worker"

    def __init__(
        self, ray: Any, config: Config, make_sink: Callable[[], Sink], workers: int, cpus: int
    ) -> None:
        self.ray = ray
        worker_class = ray.remote(
            num_cpus=cpus, max_restarts=MAX_RESTARTS, max_task_retries=MAX_RESTARTS
        )(_Worker)
        worker_config = config.replace(cpu_threads=cpus)
        if not workers:
            workers = max(1, int(ray.cluster_resources().get("CPU", 1)) // cpus)
        self.cpus = cpus
        # An actor is given files once its models are loaded and match the driver's (it
        # checks itself, and its first task says what it runs); one that cannot start
        # stops the run.
        self.expected = (__version__, worker_config.fingerprint())
        actors = [
            worker_class.remote(worker_config, make_sink, self.expected) for _ in range(workers)
        ]
        # task -> (actor, when it first became unavailable; None on its first start)
        self.starting_tasks: dict[Any, tuple[Any, float | None]] = {
            actor.identity.remote(): (actor, None) for actor in actors
        }
        self.heard = time.monotonic()  # when an actor last answered or was busy
        self.running: dict[Any, tuple[Any, Job]] = {}  # task -> (actor, job)
        self.idle: list[Any] = []

    def free(self) -> int:
        return len(self.idle)

    def starting(self) -> bool:
        return bool(self.starting_tasks)

    def submit(self, job: Job) -> None:
        actor = self.idle.pop()
        self.running[actor.process.remote(job)] = (actor, job)

    def wait(self) -> list[tuple[Job, FileResult | Lost]]:
        ray = self.ray
        done, _ = ray.wait([*self.running, *self.starting_tasks], num_returns=1, timeout=10)
        if done or self.running:
            self.heard = time.monotonic()
        elif time.monotonic() - self.heard > START_TIMEOUT:
            raise ConfigError(
                f"no Ray worker ready for {START_TIMEOUT // 60} min: does the "
                f"cluster have {self.cpus} CPU free per worker?"
            )
        ended: list[tuple[Job, FileResult | Lost]] = []
        for task in done:
            if task in self.starting_tasks:
                self.started(task)
                continue
            actor, job = self.running.pop(task)
            try:
                result = ray.get(task)
            except (ray.exceptions.ActorDiedError, ray.exceptions.ActorUnavailableError) as exc:
                # Died for good (its restarts spent): the pool shrinks. Unavailable (its
                # node died, Ray restarts it elsewhere): it rejoins once it answers
                # again. Either way the call gets one more try on the first free actor.
                if isinstance(exc, ray.exceptions.ActorUnavailableError):
                    self.starting_tasks[actor.identity.remote()] = (actor, time.monotonic())
                ended.append((job, Lost("its Ray worker died (on every try)")))
            except ray.exceptions.RayError as exc:
                self.idle.append(actor)
                reason = f"its Ray worker failed ({type(exc).__name__})"
                ended.append((job, FileResult(job.relative, False, reason, job.label)))
            else:
                self.idle.append(actor)
                ended.append((job, result))
        return ended

    def started(self, task: Any) -> None:
        """An actor answered who it is: idle if it is like the driver."""
        ray = self.ray
        actor, since = self.starting_tasks.pop(task)
        if since is None:
            self.idle.append(check_started(ray, actor, task, self.expected))
            return
        try:  # back after its node died: on another node, maybe
            self.idle.append(check_identity(ray, actor, task, self.expected))
        except ray.exceptions.ActorUnavailableError:
            if time.monotonic() - since < START_TIMEOUT:
                time.sleep(1)  # Ray has not restarted it yet
                self.starting_tasks[actor.identity.remote()] = (actor, since)
        except ray.exceptions.RayError:
            pass  # it will not come back: the pool shrinks


def connect(ray: Any, address: str, attempts: int = 3, pause: float = 5.0) -> None:
    """ray.init on a cluster, tried again after a pause: a head that is restarting, or a
    Ray Client server still starting, should not cost a night's run."""
    for attempt in range(1, attempts + 1):
        try:
            ray.init(address=address, log_to_driver=False)
            return
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ...
            ray.shutdown()  # a half-made client connection
            if attempt == attempts:
                lines = str(exc).strip().splitlines()
                detail = f": {lines[0][:200]}" if lines else ""
                raise ConfigError(
                    f"cannot connect to the Ray cluster at {address} ({type(exc).__name__}{detail})"
                ) from None
            log.warning("cannot connect to the Ray cluster yet (%s); retrying", type(exc).__name__)
            time.sleep(pause)


def check_started(ray: Any, actor: Any, task: Any, expected: tuple[str, str]) -> Any:
    """The actor once it has started as the driver would have: else a ConfigError."""
    try:
        return check_identity(ray, actor, task, expected)
    except ray.exceptions.RayError as exc:
        raise ConfigError(
            f"a Ray worker could not start ({own_error(exc)}); its node needs redactor, "
            "the models (REDACTOR_MODELS_DIR) and the recipients' keys"
        ) from None


def check_identity(ray: Any, actor: Any, task: Any, expected: tuple[str, str]) -> Any:
    """The actor, if it runs the driver's redactor version and settings (models
    included): else a ConfigError. Its outputs would not be the local engine's, and the
    store would record the driver's settings for them. Ray's errors pass through."""
    problem = mismatch(ray.get(task), expected)
    if problem:
        raise ConfigError(problem)
    return actor


def mismatch(found: tuple[str, str], expected: tuple[str, str]) -> str:
    """Why an actor's (version, fingerprint) is not the driver's; empty when it is."""
    if found[0] != expected[0]:
        return f"a Ray worker runs redactor {found[0]}, this driver {expected[0]}"
    if found[1] != expected[1]:
        return (
            "a Ray worker has other models or settings than this driver (fingerprint "
            f"{found[1]}, here {expected[1]}): install the same models on every node"
        )
    return ""


def own_error(exc: Exception) -> str:
    """Our error's class and message from a failed actor's creation traceback (ours name
    no content), else the Ray error's class."""
    text = getattr(exc, "error_msg", "") or ""
    found = re.findall(r"redactor\.errors\.(\w+): (.+)", text)
    return f"{found[-1][0]}: {found[-1][1].strip()}" if found else type(exc).__name__
