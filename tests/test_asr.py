"""Speech that produced no words is found and reported, never dropped silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from redactor import asr
from redactor.types import Gap, Stretch, Word


@pytest.mark.parametrize(
    ("regions", "words", "expected"),
    [
        ([(0.0, 5.0)], [(0.2, 4.8)], []),  # fully covered
        ([(0.0, 5.0)], [], [Gap(0.0, 5.0)]),  # speech, no words at all
        ([(0.0, 5.0)], [(0.5, 1.0)], [Gap(1.3, 5.0)]),  # words cover the start only
        ([(0.0, 5.0)], [(0.5, 1.0), (3.0, 3.5)], [Gap(1.3, 2.7), Gap(3.8, 5.0)]),
        ([(0.0, 1.0), (2.0, 2.3)], [(0.4, 0.6)], []),  # leftovers shorter than min_gap
        ([(10.0, 12.0)], [(0.0, 1.0)], [Gap(10.0, 12.0)]),
    ],
)
def test_untranscribed_speech(
    regions: list[tuple[float, float]],
    words: list[tuple[float, float]],
    expected: list[Gap],
) -> None:
    speech = [Stretch(s, e) for s, e in regions]
    found = asr.untranscribed_speech(speech, [Word("x", s, e) for s, e in words], 0.4)
    assert found == expected


def test_silence_and_noise_are_not_speech() -> None:
    rng = np.random.default_rng(0)
    quiet = (rng.standard_normal(16000 * 3) * 0.001).astype(np.float32)
    assert asr.speech_regions(quiet) == []
    assert asr.untranscribed_speech(asr.speech_regions(quiet), [], 0.4) == []


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    from redactor.errors import ModelError

    with pytest.raises(ModelError, match="make models"):
        asr.Transcriber(tmp_path)


def test_loud_regions_catch_what_the_vad_misses() -> None:
    """Five tone bursts read out like digits (0.3 s, 0.4 s apart) over a -60 dB floor:
    Silero hears no speech in a tone, the energy detector finds one stretch, and it becomes
    untranscribed speech when no word covers it."""
    rate = 16000
    rng = np.random.default_rng(1)
    samples = (rng.standard_normal(rate * 6) * 0.001).astype(np.float32)
    burst = 0.2 * np.sin(2 * np.pi * 440 * np.arange(int(0.3 * rate)) / rate)
    for k in range(5):
        start = int((1.0 + 0.7 * k) * rate)
        samples[start : start + len(burst)] += burst.astype(np.float32)
    (region,) = asr.loud_regions(samples)
    assert abs(region[0] - 1.0) < 0.03 and abs(region[1] - 4.1) < 0.03
    gaps = asr.untranscribed_speech(asr.speech_regions(samples), [], 0.4)
    assert [(round(g.start, 1), round(g.end, 1)) for g in gaps] == [(1.0, 4.1)]


@dataclass
class Options:  # the fields of faster-whisper's TranscriptionOptions that _fallback reads
    temperatures: list[float] = field(default_factory=lambda: [0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    max_new_tokens: int | None = None
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0


OPTIONS = Options()
LOOP = (40, -0.2, 1.1)  # reaches the cap of 40 tokens
TOO_REPETITIVE = (30, -0.2, 2.6)
DOUBTFUL = (12, -1.4, 1.1)
DOUBTFUL_LESS = (12, -1.1, 1.1)
GOOD = (12, -0.3, 1.1)


@pytest.mark.parametrize(
    ("attempts", "chosen"),
    [
        ([GOOD], 0),
        ([LOOP, GOOD], 1),
        ([TOO_REPETITIVE, LOOP, GOOD], 2),
        ([DOUBTFUL, DOUBTFUL_LESS, LOOP, DOUBTFUL, LOOP, DOUBTFUL], 1),
        ([LOOP, DOUBTFUL, LOOP, LOOP, LOOP, LOOP], 1),
        ([LOOP, TOO_REPETITIVE, LOOP, LOOP, LOOP, LOOP], None),
    ],
)
def test_a_second_opinion_stops_each_attempt_at_its_cap(
    attempts: list[tuple[int, float, float]], chosen: int | None
) -> None:
    """Recovery's fallback (``Transcriber._fallback``): each temperature in turn, each
    attempt capped; one that reaches the cap or compresses too well is a loop, one under
    whisper's log-probability bar is kept as a last resort; when every attempt loops the
    second opinion stops there (``redecode`` then returns no words)."""
    asked: list[Any] = []

    def generate(encoder: object, prompt: list[int], tokenizer: object, options: Any) -> Any:
        asked.append(options)
        tokens, logprob, ratio = attempts[len(asked) - 1]
        result = SimpleNamespace(sequences_ids=[list(range(tokens))])
        return result, logprob, options.temperatures[0], ratio

    transcriber = object.__new__(asr.Transcriber)
    transcriber.model = SimpleNamespace(max_length=448)
    transcriber._generate = generate
    transcriber._cap = 40
    if chosen is None:
        with pytest.raises(asr._Looped):
            transcriber._fallback(None, [1, 2, 3], None, OPTIONS)
    else:
        outcome = transcriber._fallback(None, [1, 2, 3], None, OPTIONS)
        assert outcome[2] == OPTIONS.temperatures[chosen]
    assert len(asked) == len(attempts)
    # CTranslate2 generates half the length it is given: 2 x 40 less the prompt's 3
    assert {o.max_new_tokens for o in asked} == {77}
    assert [o.temperatures for o in asked] == [[t] for t in OPTIONS.temperatures[: len(asked)]]


def test_whisper_own_fallback_is_untouched_outside_a_second_opinion() -> None:
    calls: list[Any] = []

    def generate(*args: Any) -> str:
        calls.append(args)
        return "whisper's"

    transcriber = object.__new__(asr.Transcriber)
    transcriber._generate = generate
    transcriber._cap = None
    assert transcriber._fallback("encoded", [1], "tokenizer", OPTIONS) == "whisper's"
    assert calls == [("encoded", [1], "tokenizer", OPTIONS)]
