"""kill -9 of a real `redactor run --store` (parent and workers) in a loop: each next run
finishes the batch with nothing lost, duplicated or half-written. Slow: real whisper."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from redactor import crypto
from redactor.backends import LocalBackend
from redactor.storage import Store, StoreKeys
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


def test_killed_runs_are_finished_by_the_next(tmp_path: Path, models_dir: Path) -> None:
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in sorted(SAMPLES.glob("*/*.wav")):
        (calls / sample.name).write_bytes(sample.read_bytes())
    key = tmp_path / "store.key"
    crypto.write_key_file(key, crypto.new_symmetric_key())
    store = tmp_path / "store"
    env = {
        **os.environ,
        "REDACTOR_MODELS_DIR": str(models_dir),
        "REDACTOR_LOCK_DIR": str(tmp_path / "locks"),
    }
    args = [
        sys.executable,
        "-m",
        "redactor",
        "run",
        str(calls),
        "--store",
        str(store),
        "--recipient",
        str(key),
        "--language",
        "pt",
        "--workers",
        "2",
        "--threads",
        "1",
    ]
    rng = random.Random(3)
    for _ in range(3):
        child = subprocess.Popen(
            args,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(2.0, 9.0))
        os.killpg(child.pid, signal.SIGKILL)  # the parent and its workers
        child.wait()
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    reader = Store(LocalBackend(store), StoreKeys.from_keys([crypto.read_key_file(key)]))
    assert len(reader.calls()) == 3
    report = reader.verify()
    # a kill may leave objects of an unfinished call; the rerun replaced them (same call id)
    assert report.ok, report.problems
    assert report.events >= 3
