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
