"""Batches: the per-destination lock, incremental runs, worker processes, the summary and
metrics. Whisper is the fake of test_cli.py (worker processes are forked, so they keep it)."""

# ruff: noqa: F811  (pytest fixtures imported from test_cli are parameters here)
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from redactor.backends import LocalBackend, open_backend
from redactor.fs import file_sha256
from redactor.lock import RunLock
from tests.conftest import FakeTranscriber, call, redactor, run_folder, stored


@pytest.fixture(autouse=True)
def private_locks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))


def test_second_run_on_the_same_destination_exits_75(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path)
    out = tmp_path / "out"
    with RunLock(str(out.resolve())):
        code, _, err = redactor(monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(out))
    assert code == 75 and "another redactor run" in err
    code, _, err = redactor(monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(out))
    assert code == 0, err  # released with the run


def test_two_spellings_of_one_store_share_the_lock(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    (tmp_path / "store").mkdir()
    monkeypatch.chdir(tmp_path)
    held = LocalBackend(tmp_path / "in" / ".." / "store")  # another spelling of it
    with RunLock(held.describe()):
        code, _, err = stored(monkeypatch, capsys, tmp_path, "store/", keys)
    assert code == 75 and "another redactor run" in err, err


def test_s3_stores_are_named_in_a_normal_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "very-secret")
    endpoint: dict[str, Any] = {"endpoint_url": "http://127.0.0.1:9", "region": "eu-west-1"}
    names = {
        open_backend(uri, **endpoint).describe()
        for uri in ("s3://bucket/calls", "s3://bucket/calls/", "s3://bucket//calls//")
    }
    assert names == {"s3://bucket/calls/ (endpoint http://127.0.0.1:9)"}
    other = open_backend("s3://bucket/calls", endpoint_url="http://127.0.0.2:9").describe()
    assert other not in names  # same bucket name, another service: another store


def test_lock_dies_with_its_process(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path / "run")}
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from redactor.lock import RunLock; import time\n"
            "with RunLock('dest'):\n    print('held', flush=True); time.sleep(60)",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    os.environ["XDG_RUNTIME_DIR"] = str(tmp_path / "run")
    try:
        with pytest.raises(Exception, match="another redactor run"), RunLock("dest"):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        with RunLock("dest"):  # no stale lock after kill -9
            pass
    finally:
        del os.environ["XDG_RUNTIME_DIR"]


def test_incremental_store_runs(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path, "a.wav", 5.0)
    call(tmp_path, "b.wav", 6.0)
    store = str(tmp_path / "store")
    code, _, err = stored(monkeypatch, capsys, tmp_path, store, keys)
    assert code == 0 and "2 of 2 files" in err, err
    code, _, err = stored(monkeypatch, capsys, tmp_path, store, keys)
    assert code == 0 and "(2 unchanged since an earlier run)" in " ".join(err.split()), err
    call(tmp_path, "c.wav", 7.0)  # a new call: only it is processed
    summary = tmp_path / "summary.json"
    code, _, err = stored(monkeypatch, capsys, tmp_path, store, keys, "--summary", str(summary))
    assert json.loads(summary.read_text())["files"] == {"skipped": 2, "ok": 1}
    code, _, err = stored(
        monkeypatch, capsys, tmp_path, store, keys, "--force", "--summary", str(summary)
    )
    assert json.loads(summary.read_text())["files"] == {"ok": 3}
    code, _, err = stored(
        monkeypatch, capsys, tmp_path, store, keys, "--operator", "mask", "--summary", str(summary)
    )
    assert json.loads(summary.read_text())["files"] == {"ok": 3}  # other settings: redone


def test_incremental_folder_runs(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A nightly --out job over a growing folder redoes only what changed."""
    call(tmp_path, "a.wav", 5.0)
    call(tmp_path, "b.wav", 6.0)
    summary = tmp_path / "summary.json"

    def files(*extra: str) -> dict[str, int]:
        code, _, err = run_folder(monkeypatch, capsys, tmp_path, "--summary", str(summary), *extra)
        assert code == 0, err
        counts: dict[str, int] = json.loads(summary.read_text())["files"]
        return counts

    assert files() == {"ok": 2}
    assert files() == {"skipped": 2}
    call(tmp_path, "c.wav", 7.0)  # a new call: only it is processed
    assert files() == {"skipped": 2, "ok": 1}
    call(tmp_path, "a.wav", 4.0)  # same name, new content
    (tmp_path / "out" / "b.redacted.wav").unlink()  # an output lost
    assert files() == {"skipped": 1, "ok": 2}
    assert files("--force") == {"ok": 3}
    assert files("--operator", "mask") == {"ok": 3}  # other settings: redone
    transcript = json.loads((tmp_path / "out" / "c.redacted.json").read_text())
    assert transcript["input_sha256"] == file_sha256(tmp_path / "in" / "c.wav")


def test_two_workers_write_what_one_writes(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for n in range(4):
        call(tmp_path, f"call-{n}.wav", 4.0 + n)
    outs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        code, _, err = redactor(
            monkeypatch,
            capsys,
            "run",
            str(tmp_path / "in"),
            "--out",
            str(out),
            "--workers",
            workers,
        )
        assert code == 0 and "4 of 4 files" in err, err
        outs[workers] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*.*")}
    assert outs["1"] == outs["2"] and len(outs["1"]) == 16


def test_workers_write_objects_and_the_driver_commits(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    """Two workers, four calls and a copy of one: the copy is refused although another
    worker has its twin (the driver plans every input); each call gets one manifest entry
    and one audit event, from the driver (the workers hold no writer secret)."""
    import shutil

    from redactor.storage import open_store

    for n in range(4):
        call(tmp_path, f"call-{n}.wav", 4.0 + n)
    shutil.copy(tmp_path / "in" / "call-0.wav", tmp_path / "in" / "copy.wav")
    store = str(tmp_path / "store")
    summary = tmp_path / "summary.json"
    code, _, err = stored(
        monkeypatch, capsys, tmp_path, store, keys, "--workers", "2", "--summary", str(summary)
    )
    assert code == 1, err
    assert json.loads(summary.read_text())["files"] == {"ok": 4, "failed": 1}
    assert "same content as another input of this run" in " ".join(err.split())
    opened = open_store(store, [str(keys / "reviewer.key")], str(keys / "writer.key"))
    assert len(opened.calls()) == 4 and opened.verify().ok
    events = [json.loads(opened.backend.get(n)) for n in opened.backend.list("audit/")]
    assert sorted(e["action"] for e in events) == ["write"] * 4


def test_same_output_names_across_workers_are_refused(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path, "call.wav", 4.0)
    call(tmp_path, "other.wav", 5.0)
    flac = tmp_path / "in" / "call.flac"
    import soundfile

    data, rate = soundfile.read(tmp_path / "in" / "other.wav")
    soundfile.write(flac, data, rate)
    out = tmp_path / "out"
    code, _, err = redactor(
        monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(out), "--workers", "2"
    )
    assert code == 1 and "would overwrite another input's" in " ".join(err.split()), err
    assert len(list(out.glob("*.redacted.txt"))) == 2


def test_summary_and_metrics(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path, "good.wav")
    metrics, summary = tmp_path / "m.prom", tmp_path / "s.json"
    args = ["--metrics", str(metrics), "--summary", str(summary)]
    assert run_folder(monkeypatch, capsys, tmp_path, *args)[0] == 0
    data = json.loads(summary.read_text())
    assert data["files"] == {"ok": 1} and data["entities"] == {"BR_CPF": 1}
    assert data["audio_seconds"] == 5.0 and data["real_time_factor"] > 0
    text = metrics.read_text()
    assert 'redactor_run_files{status="ok"} 1' in text
    assert 'redactor_run_entities{type="BR_CPF"} 1' in text
    success = [
        line
        for line in text.splitlines()
        if line.startswith("redactor_run_last_success_timestamp_seconds ")
    ]
    assert success and abs(float(success[0].split()[1]) - time.time()) < 60

    (tmp_path / "in" / "bad.wav").write_bytes(b"")  # a failed run keeps the last success
    assert run_folder(monkeypatch, capsys, tmp_path, *args)[0] == 1
    text = metrics.read_text()
    assert 'redactor_run_files{status="failed"} 1' in text
    assert success[0] in text
    assert json.loads(summary.read_text())["failures"][0]["reason"].startswith("the file is")


def test_json_logs(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path, "good.wav")
    (tmp_path / "in" / "bad.wav").write_bytes(b"")
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "--log-json",
        "run",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--names",
    )
    assert code == 1
    records = [json.loads(line) for line in err.splitlines()]
    by_event: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_event.setdefault(record["event"], []).append(record)
    files = {r["input"]: r for r in by_event["file"]}
    assert files["bad.wav"]["status"] == "failed" and files["good.wav"]["entities"] == {"BR_CPF": 1}
    assert by_event["summary"][0]["files"] == {"ok": 1, "failed": 1}
    assert "529.982" not in err


@pytest.mark.parametrize(
    ("seconds", "level", "extra", "reason"),
    [
        (0.2, 0.3, [], "too short (0.20 s"),
        (5.0, 0.0, [], "silent: no signal"),
        (5.0, 0.3, ["--config", "LONG"], "too long"),
    ],
)
def test_not_a_call_fails_alone_with_a_reason(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    seconds: float,
    level: float,
    extra: list[str],
    reason: str,
) -> None:
    from tests.conftest import tone, write_wav

    call(tmp_path, "good.wav")
    write_wav(tmp_path / "in" / "odd.wav", tone(seconds, level=level))
    config = tmp_path / "c.toml"
    config.write_text("max_duration = 3.0\n")
    args = [a.replace("LONG", str(config)) for a in extra]
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, *args)
    assert code == 1
    assert f"odd.wav: {reason}" in " ".join(err.split())
    if not extra:
        assert (tmp_path / "out" / "good.redacted.txt").is_file()


def test_a_worker_that_dies_fails_its_file_only(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A file that kills its worker (a native crash, the OOM killer) is retried once in a
    fresh pool, then reported; the other files are done."""
    import numpy as np

    from redactor.asr import AsrResult
    from tests.conftest import FakeTranscriber

    class Deadly(FakeTranscriber):
        def transcribe(
            self, samples: np.ndarray, language: str | None, min_gap: float = 0.4
        ) -> AsrResult:
            if len(samples) == 16000 * 7:  # the 7 s file
                os.kill(os.getpid(), signal.SIGKILL)
            return super().transcribe(samples, language, min_gap)

    fake["transcriber"] = Deadly(fake["transcriber"].words)
    for n, seconds in enumerate((4.0, 7.0, 5.0, 6.0)):
        call(tmp_path, f"call-{n}.wav", seconds)
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "--workers", "2")
    assert code == 1
    assert "call-1.wav: its worker process died (twice)" in " ".join(err.split())
    done = sorted(p.name for p in (tmp_path / "out").glob("*.redacted.txt"))
    assert done == ["call-0.redacted.txt", "call-2.redacted.txt", "call-3.redacted.txt"]
