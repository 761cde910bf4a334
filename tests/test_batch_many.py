"""A batch of 1,000 tiny calls: all done, and memory does not grow with the number of files
(nothing is kept per file but its small result). Whisper is the fake of test_cli.py."""

# ruff: noqa: F811  (pytest fixtures imported from test_cli are parameters here)
from __future__ import annotations

import resource
from pathlib import Path

import pytest

from redactor.config import Config
from redactor.engine import EngineOptions, run_batch
from redactor.engine.local import LocalEngine
from redactor.outputs import FolderSink
from redactor.pipeline import collect_inputs
from tests.conftest import FakeTranscriber, tone, write_wav

pytestmark = pytest.mark.slow  # about a minute: a thousand files through detection


def test_thousand_tiny_files_without_memory_growth(
    tmp_path: Path, fake: dict[str, FakeTranscriber], config: Config
) -> None:
    calls = tmp_path / "in"
    for n in range(1000):
        folder = calls / f"{n // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        write_wav(folder / f"call-{n:04d}.wav", tone(0.6 + (n % 7) / 100))
    files = collect_inputs([calls])
    assert len(files) == 1000
    out = tmp_path / "out"
    peaks = {}
    done = 0
    engine = LocalEngine(EngineOptions(workers=1))
    for result in run_batch(engine, config, files, FolderSink(out), lambda: FolderSink(out)):
        assert result.ok, result.error
        done += 1
        if done in (200, 1000):
            peaks[done] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert done == 1000 and len(list(out.rglob("*.redacted.txt"))) == 1000
    assert peaks[1000] - peaks[200] < 30, peaks  # MB: no growth with the file count
