"""--engine ray: a local Ray on 127.0.0.1 with two actors stores, call for call, what the
local engine stores; on a two-node cluster, an actor killed mid-call changes nothing.
Slow: real whisper in each actor."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from redactor import __version__
from redactor.config import Config
from tests.conftest import SPOKEN_SAMPLES, s3_environment, tone, write_wav

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")


def environment(models_dir: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "REDACTOR_MODELS_DIR": str(models_dir),
        "REDACTOR_LOCK_DIR": str(tmp_path / "locks"),
        "RAY_USAGE_STATS_ENABLED": "0",
        **extra,
    }


def run(
    args: list[str], models_dir: Path, tmp_path: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "redactor", *args],
        env=environment(models_dir, tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )


def start(
    args: list[str], models_dir: Path, tmp_path: Path, log: IO[str], **extra: str
) -> subprocess.Popen[str]:
    """The CLI in the background, stdout and stderr into ``log``."""
    return subprocess.Popen(
        [sys.executable, "-m", "redactor", *args],
        env=environment(models_dir, tmp_path, **extra),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


CANARY = "+55 11 98765-4321 Maria Canarinho"  # file names can hold phone numbers


def listening() -> set[tuple[str, int]]:
    """Every listening TCP socket on the machine (address, port), from /proc."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address, port = fields[1].split(":")
            raw = bytes.fromhex(address)  # each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add((str(ipaddress.ip_address(raw)), int(port, 16)))
    return found


def loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


@pytest.fixture(params=["folder", "s3"])
def store_root(request: pytest.FixtureRequest, tmp_path: Path, aws_env: pytest.MonkeyPatch) -> str:
    """Where the two engines' stores go: a folder, or a SeaweedFS bucket (actors then
    write their objects straight to S3)."""
    if request.param == "folder":
        return str(tmp_path)
    server = request.getfixturevalue("s3_server")
    s3_environment(server, aws_env)
    return f"s3://{server.bucket}/ray-{os.urandom(4).hex()}"


def test_ray_engine_stores_what_the_local_engine_stores(
    tmp_path: Path, models_dir: Path, store_root: str
) -> None:
    """The same store, call for call, from a local Ray started on 127.0.0.1; the driver
    commits every manifest entry; a rerun skips every call; no canary file name in Ray's
    files or in our output; no Ray server listening beyond the loopback address."""
    from redactor.backends import open_backend

    calls = tmp_path / "in"
    calls.mkdir()
    for n, sample in enumerate(SPOKEN_SAMPLES):
        (calls / f"{CANARY} {n}.wav").write_bytes(sample.read_bytes())
    write_wav(calls / f"{CANARY} silent.wav", tone(2.0, level=0.0))  # fails, with a reason
    keys = tmp_path / "keys"
    assert run(["keys", "new", str(keys)], models_dir, tmp_path).returncode == 0
    ray_tmp = Path(tempfile.mkdtemp(prefix="ray", dir="/tmp"))  # socket paths stay short
    stores = {}
    try:
        for engine in ("local", "ray"):
            stores[engine] = store = f"{store_root}/store-{engine}"
            command = [
                *("run", str(calls), "--store", store, "--language", "pt"),
                *("--recipient", str(keys / "reviewer.pub")),
                *("--writer-key", str(keys / "writer.key"), "--workers", "2"),
                *("--engine", engine, "--summary", str(tmp_path / f"{engine}.json")),
            ]
            before = listening()
            opened: set[tuple[str, int]] = set()
            with open(tmp_path / f"{engine}.log", "w+") as log:  # a pipe could fill and block
                driver = start(command, models_dir, tmp_path, log, RAY_TMPDIR=str(ray_tmp))
                while driver.poll() is None:
                    opened |= listening() - before
                    time.sleep(0.2)
                log.seek(0)
                output = log.read()
            assert driver.returncode == 1, output[-2000:]  # some calls failed
            summary = json.loads((tmp_path / f"{engine}.json").read_text())
            assert summary["files"] == {"ok": 3, "failed": 1}
            assert [f["reason"] for f in summary["failures"]] == [
                "silent: no signal above -80 dBFS in the recording"
            ]
            assert CANARY not in output
        assert opened, "no Ray server seen listening"
        assert all(loopback(address) for address, _ in opened), opened
        files = [p for p in ray_tmp.rglob("*") if p.is_file()]
        assert files, "Ray wrote nothing under RAY_TMPDIR"
        assert not [p for p in files if CANARY.encode() in p.read_bytes()]
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)

    exports = {}
    for engine, store in stores.items():
        exported = tmp_path / f"export-{engine}"
        done = run(
            [
                "export",
                str(store),
                "--to",
                str(exported),
                "--key",
                str(keys / "reviewer.key"),
                "--writer-key",
                str(keys / "writer.key"),
            ],
            models_dir,
            tmp_path,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        exports[engine] = {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*.*")}
    assert len(exports["local"]) == 12 and exports["ray"] == exports["local"]
    manifests = {
        engine: {name: comparable(backend.get(name)) for name in backend.list("manifest/")}
        for engine, backend in ((e, open_backend(store)) for e, store in stores.items())
    }
    assert manifests["ray"] == manifests["local"]
    ray_store = open_backend(stores["ray"])
    audit = [json.loads(ray_store.get(name)) for name in sorted(ray_store.list("audit/"))]
    assert [event["action"] for event in audit] == ["write"] * 3 + ["export"] * 3

    again = run(
        [
            *("run", str(calls), "--store", stores["ray"], "--language", "pt"),
            *("--recipient", str(keys / "reviewer.pub"), "--writer-key", str(keys / "writer.key")),
            *("--engine", "ray", "--summary", str(tmp_path / "again.json")),
        ],
        models_dir,
        tmp_path,
        RAY_TMPDIR=str(ray_tmp),
    )
    assert again.returncode == 1, again.stderr[-2000:]
    assert json.loads((tmp_path / "again.json").read_text())["files"] == {"skipped": 3, "failed": 1}


def comparable(manifest: bytes) -> dict[str, Any]:
    """A manifest entry without what differs on every write (time, ciphertexts, the HMAC)."""
    entry: dict[str, Any] = json.loads(manifest)
    for key in ("written_at", "hmac"):
        entry.pop(key)
    entry["outputs"] = sorted(entry["outputs"])
    return entry


@contextlib.contextmanager
def ray_cluster(head_cpus: int, node_cpus: list[int]) -> Iterator[dict[str, str]]:
    """A head and worker nodes on this machine, token authentication on; yields the
    environment to reach it with. The head's GCS is on port 6391, Ray Client on 6393.
    Nodes of a cluster must reach each other: given 127.0.0.1, Ray still binds them to the
    machine's address (its loopback-only mode refuses a second node)."""
    import secrets

    env = {
        **os.environ,
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    ray_cli = str(Path(sys.executable).parent / "ray")
    short = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must stay short
    common = ["--node-ip-address", "127.0.0.1", "--disable-usage-stats"]
    head = [
        *(ray_cli, "start", "--head", "--port", "6391", "--num-cpus", str(head_cpus)),
        *("--include-dashboard", "false", "--temp-dir", short),
        *("--ray-client-server-port", "6393", *common),
    ]
    nodes = [
        [ray_cli, "start", "--address", "127.0.0.1:6391", "--num-cpus", str(cpus), *common]
        for cpus in node_cpus
    ]
    try:
        for command in (head, *nodes):
            subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # every node registered before a driver comes
            status = subprocess.run(
                [ray_cli, "status", "--address", "127.0.0.1:6391"],
                env=env,
                capture_output=True,
                text=True,
            ).stdout
            if status.count(" node_") >= 1 + len(node_cpus):
                break
            time.sleep(0.5)
        yield env
    finally:
        subprocess.run([ray_cli, "stop", "--force"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(short, ignore_errors=True)


@pytest.fixture(params=["gcs", "client"])
def cluster(request: pytest.FixtureRequest) -> Iterator[tuple[dict[str, str], str]]:
    """A head and a second worker node. The driver connects to the head's GCS port (as on
    a node of the cluster) or through Ray Client (ray://, as from outside the cluster, e.g.
    a Kubernetes CronJob)."""
    with ray_cluster(2, [2]) as env:
        yield env, "127.0.0.1:6391" if request.param == "gcs" else "ray://127.0.0.1:6393"


def test_killed_actor_mid_batch_on_a_two_node_cluster(
    tmp_path: Path, models_dir: Path, cluster: tuple[dict[str, str], str]
) -> None:

    env, address = cluster
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in SPOKEN_SAMPLES:
        (calls / sample.name).write_bytes(sample.read_bytes())
    local = run(
        ["run", str(calls), "--out", str(tmp_path / "local"), "--language", "pt", "--workers", "2"],
        models_dir,
        tmp_path,
    )
    assert local.returncode == 0, local.stderr[-2000:]
    env = {
        **env,
        "REDACTOR_MODELS_DIR": str(models_dir),
        "REDACTOR_LOCK_DIR": str(tmp_path / "locks"),
    }
    driver = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "redactor",
            "run",
            str(calls),
            "--out",
            str(tmp_path / "ray"),
            "--language",
            "pt",
            "--workers",
            "2",
            "--engine",
            "ray",
            "--ray-address",
            address,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    kill_a_busy_actor(driver)  # while it works on a call
    _, err = driver.communicate(timeout=600)
    assert driver.returncode == 0, err[-2000:]
    assert "3 of 3 files" in " ".join(err.split())
    ours = {p.name: p.read_bytes() for p in (tmp_path / "ray").iterdir()}
    assert ours == {p.name: p.read_bytes() for p in (tmp_path / "local").iterdir()}


def test_an_actor_that_cannot_load_the_models_stops_the_run(
    tmp_path: Path, models_dir: Path
) -> None:
    """Fail closed and say why: not one "worker failed" line per call."""
    calls = tmp_path / "in"
    calls.mkdir()
    sample = SPOKEN_SAMPLES[0]
    (calls / sample.name).write_bytes(sample.read_bytes())
    done = run(
        ["run", str(calls), "--out", str(tmp_path / "out"), "--engine", "ray", "--workers", "1"],
        tmp_path / "no-models",  # the local Ray's actors inherit this
        tmp_path,
    )
    assert done.returncode == 78, done.stderr[-2000:]
    message = " ".join(done.stderr.split())
    assert "a Ray worker could not start (ModelError: whisper model not found" in message
    assert list((tmp_path / "out").iterdir()) == []  # made by the run, left empty


class FakeRay:
    """What check_started needs of the ray module."""

    class exceptions:  # noqa: N801  (mirrors ray.exceptions)
        RayError = RuntimeError

    def __init__(self, answer: object) -> None:
        self.answer = answer

    def get(self, task: object) -> object:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (("0.0.1", "f" * 16), "runs redactor 0.0.1"),
        ((__version__, "0" * 16), "other models or settings"),
        (RuntimeError("init failed"), "could not start"),
    ],
)
def test_an_actor_unlike_the_driver_is_refused(answer: object, message: str) -> None:
    from redactor.engine.ray import check_started
    from redactor.errors import ConfigError

    with pytest.raises(ConfigError, match=message):
        check_started(FakeRay(answer), "actor", "task", (__version__, "f" * 16))
    assert check_started(FakeRay((__version__, "f" * 16)), "actor", "t", (__version__, "f" * 16))


def kill_a_busy_actor(driver: subprocess.Popen[str], parent: bool = False) -> str:
    """SIGKILL an actor while it works on a call, or (``parent``) its node's raylet; returns
    the killed process's command line."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and driver.poll() is None:
        busy = subprocess.run(
            ["pgrep", "-f", r"ray::_Worker\.process"], capture_output=True, text=True
        ).stdout.split()
        if busy:
            pid = int(busy[0])
            if parent:
                pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            killed = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            os.kill(pid, 9)
            return killed
        time.sleep(0.2)
    pytest.fail(f"no actor ever started a call (driver exit {driver.returncode})")


@pytest.mark.parametrize("workers", [2, 1])
def test_an_actor_dead_for_good(tmp_path: Path, models_dir: Path, workers: int) -> None:
    """No restarts left: the pool shrinks and the call goes to another actor; with no
    actor left, the run stops (exit 78) instead of failing the rest one by one."""
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in SPOKEN_SAMPLES:
        (calls / sample.name).write_bytes(sample.read_bytes())
    out = tmp_path / "out"
    command = ["run", str(calls), "--out", str(out), "--language", "pt"]
    command += ["--engine", "ray", "--workers", str(workers)]
    with open(tmp_path / "log", "w+") as log:
        driver = start(command, models_dir, tmp_path, log, REDACTOR_RAY_MAX_RESTARTS="0")
        kill_a_busy_actor(driver)
        driver.wait(timeout=600)
        log.seek(0)
        output = " ".join(log.read().split())
    if workers == 2:
        assert driver.returncode == 0, output[-2000:]
        assert "3 of 3 files" in output
        assert len(list(out.glob("*.redacted.wav"))) == 3
    else:
        assert driver.returncode == 78, output[-2000:]
        assert "every Ray worker died" in output


def test_a_cluster_address_needs_token_authentication(tmp_path: Path, models_dir: Path) -> None:
    calls = tmp_path / "in"
    calls.mkdir()
    sample = SPOKEN_SAMPLES[0]
    (calls / sample.name).write_bytes(sample.read_bytes())
    command = ["run", str(calls), "--out", str(tmp_path / "out"), "--engine", "ray"]
    done = run([*command, "--ray-address", "127.0.0.1:9"], models_dir, tmp_path, RAY_AUTH_MODE="")
    assert done.returncode == 78, done.stderr[-2000:]
    assert "RAY_AUTH_MODE=token" in " ".join(done.stderr.split())


def test_a_node_lost_mid_batch(tmp_path: Path, models_dir: Path) -> None:
    """Two worker nodes; the one running a call loses its raylet (the node dies): its
    actors restart on the other node and every call finishes. The driver is a Ray Client
    outside the nodes, as in the KubeRay example."""
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in SPOKEN_SAMPLES:
        (calls / sample.name).write_bytes(sample.read_bytes())
    out = tmp_path / "out"
    command = ["run", str(calls), "--out", str(out), "--language", "pt", "--engine", "ray"]
    command += ["--workers", "2", "--ray-address", "ray://127.0.0.1:6393"]
    with ray_cluster(0, [2, 2]) as env, open(tmp_path / "log", "w+") as log:
        driver = start(command, models_dir, tmp_path, log, **env)
        busy = kill_a_busy_actor(driver, parent=True)
        assert "raylet" in busy, busy
        driver.wait(timeout=600)
        log.seek(0)
        output = " ".join(log.read().split())
    assert driver.returncode == 0, output[-2000:]
    assert "3 of 3 files" in output
    assert len(list(out.glob("*.redacted.wav"))) == 3


class FlakyRay:
    """ray.init failing ``failures`` times, as a Ray Client server still starting does."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    def init(self, **kwargs: object) -> None:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionAbortedError("Initialization failure from server:\ndetails")

    def shutdown(self) -> None:
        pass


def test_connecting_is_tried_again_then_fails_with_a_message() -> None:
    from redactor.engine.ray import connect
    from redactor.errors import ConfigError

    flaky = FlakyRay(failures=2)
    connect(flaky, "ray://head:10001", attempts=3, pause=0)
    assert flaky.calls == 3
    with pytest.raises(ConfigError, match=r"at ray://head:10001 \(ConnectionAbortedError: Init"):
        connect(FlakyRay(failures=3), "ray://head:10001", attempts=3, pause=0)


def test_an_actor_checks_itself_at_every_start(models_dir: Path) -> None:
    """A restart on another node is not seen by the driver: the actor refuses to run
    with models or a version other than the driver's."""
    from redactor.config import Config
    from redactor.engine.ray import _Worker, own_error
    from redactor.errors import ConfigError
    from redactor.outputs import FolderSink

    config = Config(models_dir=models_dir, language="en", cpu_threads=1)
    worker = _Worker(config, lambda: FolderSink(Path("/nonexistent")), worker_identity(config))
    assert worker.identity() == worker_identity(config)
    with pytest.raises(ConfigError, match="other models or settings"):
        _Worker(config, lambda: FolderSink(Path("/x")), (__version__, "0" * 16))

    class Died(Exception):
        error_msg = "Traceback...\nredactor.errors.ConfigError: a Ray worker runs redactor 9\n"

    assert own_error(Died()) == "ConfigError: a Ray worker runs redactor 9"
    assert own_error(RuntimeError("text")) == "RuntimeError"


def worker_identity(config: Config) -> tuple[str, str]:
    return __version__, config.fingerprint()
