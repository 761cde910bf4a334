"""Stereo calls: each channel transcribed on its own; a value is bleeped on the channel of
the speaker who said it, and every word keeps its channel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from redactor import pipeline as pipeline_module
from redactor.asr import AsrResult
from redactor.config import Config
from redactor.pipeline import Pipeline
from tests.conftest import tone, words_from, write_wav

AGENT = words_from([("Qual", 0.2, 0.4), ("o", 0.45, 0.5), ("seu", 0.55, 0.7), ("CPF?", 0.75, 1.0)])
CALLER = words_from([("É", 1.5, 1.6), ("529.982.247-25.", 1.7, 3.4), ("Obrigado.", 3.8, 4.3)])


class PerChannelFake:
    """Channel 0 (agent) and channel 1 (caller) say different things; mixed audio fails."""

    multilingual = True

    def transcribe(
        self, samples: np.ndarray, language: str | None, min_gap: float = 0.4
    ) -> AsrResult:
        # the test's channels have different loudness: that tells them apart
        words = AGENT if np.abs(samples).max() < 0.2 else CALLER
        return AsrResult(list(words), [], language or "pt", 1.0)


def stereo_call(path: Path) -> Path:
    agent, caller = tone(5.0, level=0.1), tone(5.0, hz=300, level=0.3)
    return write_wav(path, np.concatenate([agent, caller], axis=1))


def test_stereo_channels_are_transcribed_and_bleeped_apart(
    monkeypatch: pytest.MonkeyPatch, config: Config, tmp_path: Path
) -> None:
    monkeypatch.setattr(pipeline_module, "Transcriber", lambda *a, **k: PerChannelFake())
    source = stereo_call(tmp_path / "call.wav")
    result = Pipeline(config).process_file(source, tmp_path / "out")
    assert result.ok
    transcript = json.loads((tmp_path / "out" / "call.redacted.json").read_text())
    assert transcript["channels"] == "split"
    assert [w["channel"] for w in transcript["words"]] == [0, 0, 0, 0, 1, 1, 1]
    assert "Qual o seu CPF? É <BR_CPF>" in transcript["text"]  # merged in time order
    bleeps = json.loads((tmp_path / "out" / "call.bleeps.json").read_text())["bleeps"]
    assert [(b["entity"], b["channel"]) for b in bleeps] == [("BR_CPF", 1)]

    original, rate = sf.read(source, dtype="float32")
    bleeped, _ = sf.read(tmp_path / "out" / "call.redacted.wav", dtype="float32")
    inside = slice(int(2.0 * rate), int(3.0 * rate))
    assert np.allclose(bleeped[inside, 0], original[inside, 0], atol=1e-4)  # agent untouched
    assert not np.allclose(bleeped[inside, 1], original[inside, 1], atol=1e-2)  # caller bleeped


def test_mix_setting_transcribes_once(
    monkeypatch: pytest.MonkeyPatch, config: Config, tmp_path: Path
) -> None:
    calls: list[tuple[int, ...]] = []

    class Counting(PerChannelFake):
        def transcribe(
            self, samples: np.ndarray, language: str | None, min_gap: float = 0.4
        ) -> AsrResult:
            calls.append(samples.shape)
            return super().transcribe(samples, language, min_gap)

    monkeypatch.setattr(pipeline_module, "Transcriber", lambda *a, **k: Counting())
    source = stereo_call(tmp_path / "call.wav")
    Pipeline(config.replace(channels="mix")).process_file(source, tmp_path / "o")
    assert len(calls) == 1
    transcript = json.loads((tmp_path / "o" / "call.redacted.json").read_text())
    assert transcript["channels"] == "mixed"
