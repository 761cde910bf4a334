"""A real recorded call (../shared/data, skipped when absent): the names and card digits it
contains are unreadable in the transcript and bleeped in the audio. Slow: real whisper."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from redactor.config import Config
from redactor.evaluate import leaked
from redactor.pipeline import Pipeline
from tests.conftest import ROOT, SHARED_DATA

FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "agent1.json").read_text())
AUDIO = SHARED_DATA / FIXTURE["audio"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not AUDIO.is_file(), reason=f"{AUDIO} not found"),
]


@pytest.fixture(scope="module")
def outputs(
    models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("agent1")
    pipeline = Pipeline(Config(models_dir=models_dir, language=FIXTURE["language"]))
    assert pipeline.process_file(AUDIO, out).ok
    transcript = json.loads((out / "agent1.redacted.json").read_text())
    bleeps = json.loads((out / "agent1.bleeps.json").read_text())["bleeps"]
    return transcript, bleeps


@pytest.mark.parametrize("item", FIXTURE["pii"], ids=lambda i: f"{i['type']}-{i['start']}")
def test_pii_of_a_real_call_is_gone(
    item: dict[str, Any], outputs: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    transcript, bleeps = outputs
    assert not leaked(item["value"], transcript["text"], FIXTURE["language"])
    assert any(b["start"] <= item["start"] and item["end"] <= b["end"] for b in bleeps)
