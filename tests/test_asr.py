"""Speech that produced no words is found and reported, never dropped silently."""

from __future__ import annotations

from pathlib import Path

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
