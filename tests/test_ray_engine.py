"""--engine ray: a local Ray on 127.0.0.1 with two actors writes, file for file, what the
local engine writes. Slow: real whisper in each actor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")


def run(args: list[str], models_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "REDACTOR_MODELS_DIR": str(models_dir),
        "REDACTOR_LOCK_DIR": str(tmp_path / "locks"),
        "RAY_USAGE_STATS_ENABLED": "0",
    }
    return subprocess.run(
        [sys.executable, "-m", "redactor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_ray_engine_outputs_equal_the_local_engine(tmp_path: Path, models_dir: Path) -> None:
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in sorted(SAMPLES.glob("*/*.wav")):
        (calls / sample.name).write_bytes(sample.read_bytes())
    outs = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        done = run(
            [
                "run",
                str(calls),
                "--out",
                str(out),
                "--language",
                "pt",
                "--workers",
                "2",
                "--engine",
                engine,
            ],
            models_dir,
            tmp_path,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "3 of 3 files" in " ".join(done.stderr.split())
        outs[engine] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(outs["local"]) == 12
    assert outs["ray"] == outs["local"]


@pytest.fixture
def cluster(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A head and a second worker node on 127.0.0.1, token authentication on."""
    import secrets
    import shutil
    import tempfile

    env = {
        **os.environ,
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "token",
        "RAY_AUTH_TOKEN": secrets.token_hex(32),
    }
    ray_cli = str(Path(sys.executable).parent / "ray")
    short = tempfile.mkdtemp(prefix="ray", dir="/tmp")  # Ray's socket paths must stay short
    port = "6391"
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "2", "--disable-usage-stats"]
    head = [
        ray_cli,
        "start",
        "--head",
        "--port",
        port,
        "--include-dashboard",
        "false",
        "--temp-dir",
        short,
        *common,
    ]
    node = [ray_cli, "start", "--address", f"127.0.0.1:{port}", *common]
    try:
        for command in (head, node):
            subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)
        yield env, f"127.0.0.1:{port}"
    finally:
        subprocess.run([ray_cli, "stop", "--force"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(short, ignore_errors=True)


def test_killed_actor_mid_batch_on_a_two_node_cluster(
    tmp_path: Path, models_dir: Path, cluster
) -> None:
    import time

    env, address = cluster
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in sorted(SAMPLES.glob("*/*.wav")):
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
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill an actor while it works on a call
        busy = subprocess.run(
            ["pgrep", "-f", r"ray::_Worker\.process"], capture_output=True, text=True
        ).stdout.split()
        if busy:
            os.kill(int(busy[0]), 9)
            break
        time.sleep(0.2)
    else:
        pytest.fail("no actor ever started a call")
    _, err = driver.communicate(timeout=600)
    assert driver.returncode == 0, err[-2000:]
    assert "3 of 3 files" in " ".join(err.split())
    ours = {p.name: p.read_bytes() for p in (tmp_path / "ray").iterdir()}
    assert ours == {p.name: p.read_bytes() for p in (tmp_path / "local").iterdir()}
