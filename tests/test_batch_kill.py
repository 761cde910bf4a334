"""kill -9 of a real `redactor run --store` (parent and workers) in a loop: each next run
finishes the batch with nothing lost, duplicated or half-written. Slow: real whisper."""

from __future__ import annotations

import contextlib
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
from tests.conftest import SPOKEN_SAMPLES

pytestmark = pytest.mark.slow


def test_killed_runs_are_finished_by_the_next(tmp_path: Path, models_dir: Path) -> None:
    calls = tmp_path / "in"
    calls.mkdir()
    for sample in SPOKEN_SAMPLES:
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


def children_of(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_the_driver_and_leave_no_lock(tmp_path: Path, models_dir: Path) -> None:
    """Only the driver is killed (the OOM killer, a lost SSH session): its workers must
    not live on holding the run lock, or every later nightly run exits 75."""
    calls = tmp_path / "in"
    calls.mkdir()
    for copy in range(2):
        for sample in SPOKEN_SAMPLES:
            (calls / f"{copy}-{sample.name}").write_bytes(sample.read_bytes())
    out = tmp_path / "out"
    env = {
        **os.environ,
        "REDACTOR_MODELS_DIR": str(models_dir),
        "REDACTOR_LOCK_DIR": str(tmp_path / "locks"),
    }
    args = [sys.executable, "-m", "redactor", "run", str(calls), "--out", str(out)]
    args += ["--language", "pt", "--workers", "2", "--threads", "1"]
    driver = subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while len(workers := children_of(driver.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 2, "the run never started its two workers"
        time.sleep(3)  # loading models or working on a call
        driver.send_signal(signal.SIGKILL)  # the driver only, not its process group
        driver.wait()
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(w) for w in workers), "workers outlived their driver"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(driver.pid, signal.SIGKILL)
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr  # not 75: nobody holds the lock
    assert len(list(out.glob("*.redacted.json"))) == 6
