"""Reading every supported format at any rate and channel count; clear errors for bad input."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from redactor import audio
from redactor.errors import InputError
from tests.conftest import encode, tone, write_wav


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("channels", [1, 2])
def test_wav_any_rate_and_channels(tmp_path: Path, rate: int, channels: int) -> None:
    path = write_wav(tmp_path / "a.wav", tone(1.0, rate, channels=channels), rate)
    loaded = audio.load(path)
    assert (loaded.sample_rate, loaded.channels, loaded.frames) == (rate, channels, rate)
    whisper = audio.to_whisper(loaded)
    assert whisper.dtype == np.float32 and whisper.ndim == 1
    assert abs(len(whisper) - 16000) < 200


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [("mp3", "mp3"), ("m4a", "aac"), ("opus", "libopus"), ("flac", "flac"), ("ogg", "libopus")],
)
def test_compressed_formats(tmp_path: Path, suffix: str, codec: str) -> None:
    rate = 48000 if codec == "libopus" else 8000
    path = encode(tmp_path / f"a.{suffix}", tone(1.0, rate, channels=2), rate, codec)
    loaded = audio.load(path)
    assert loaded.channels == 2 and loaded.sample_rate == rate
    assert 0.9 < loaded.duration < 1.2
    assert np.abs(loaded.samples).max() > 0.1  # real signal, not silence


@pytest.mark.parametrize("subtype", ["PCM_16", "PCM_24", "PCM_32", "FLOAT", "ULAW", "ALAW"])
def test_wav_subtype_is_kept(tmp_path: Path, subtype: str) -> None:
    path = write_wav(tmp_path / "a.wav", tone(0.5), 8000, subtype)
    loaded = audio.load(path)
    assert sf.info(__import__("io").BytesIO(audio.wav_bytes(loaded))).subtype == subtype


def bad(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / "call.wav"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "not audio":
        path.write_bytes(b"this is a text file, not audio at all\n" * 50)
    elif kind == "truncated":
        write_wav(path, tone(2.0))
        path.write_bytes(path.read_bytes()[:3000])
    elif kind == "header only":
        write_wav(path, tone(2.0))
        path.write_bytes(path.read_bytes()[:44])
    elif kind == "directory":
        path.mkdir()
    elif kind == "missing":
        pass
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("empty", "empty"),
        ("not audio", "not a readable audio file"),
        ("truncated", "truncated"),
        ("header only", "truncated"),
        ("directory", "directory"),
        ("missing", "cannot read"),
    ],
)
def test_bad_inputs_name_the_problem(tmp_path: Path, kind: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        audio.load(bad(tmp_path, kind))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", tone(0.5))
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        audio.load(path)


def test_zero_length_wav(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "a.wav", np.zeros((0, 1), dtype=np.float32))
    with pytest.raises(InputError, match="no audio samples"):
        audio.load(path)


def noise_mp3(path: Path, seed: int = 7) -> Path:
    """Random bytes named .mp3: libmpg123 (inside libsndfile) prints "Note: Illegal
    Audio-MPEG-Header..." on fd 2 while it tries them."""
    path.write_bytes(np.random.default_rng(seed).bytes(20_000))
    return path


def test_decoders_print_nothing_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(InputError, match="not a readable audio file"):
        audio.load(noise_mp3(tmp_path / "noise.mp3"))
    os.write(2, b"ours\n")  # and stderr is back where it was
    assert capfd.readouterr().err == "ours\n"


def test_decoders_quiet_from_threads(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    paths = [noise_mp3(tmp_path / f"{n}.mp3", n) for n in range(8)]
    paths += [write_wav(tmp_path / f"{n}.wav", tone(0.5)) for n in range(8)]

    def load(path: Path) -> str:
        try:
            return f"{audio.load(path).frames} frames"
        except InputError as exc:
            return str(exc)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(load, paths))
    assert (
        results
        == ["not a readable audio file (format not recognised or data corrupt)"] * 8
        + ["4000 frames"] * 8
    )
    os.write(2, b"ours\n")
    assert capfd.readouterr().err == "ours\n"


def _speech_and_pauses(layout: list[tuple[str, float]], rate: int = 16_000) -> np.ndarray:
    """Line noise at -50 dBFS with a 'voiced' stretch (a loud 300 Hz tone) for each "v"."""
    rng = np.random.default_rng(7)
    parts = []
    for kind, seconds in layout:
        n = round(seconds * rate)
        part = rng.normal(0, 10 ** (-50 / 20), n)
        if kind == "v":
            part += 0.3 * np.sin(2 * np.pi * 300 * np.arange(n) / rate)
        parts.append(part)
    return np.concatenate(parts).astype(np.float32)


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        # a 0.3 s pause between two voiced stretches, and the quiet at both ends
        (
            [("q", 0.5), ("v", 1.0), ("q", 0.3), ("v", 1.0), ("q", 0.5)],
            [(0.0, 0.5), (1.5, 1.8), (2.8, 3.3)],
        ),
        # shorter than PAUSE_SECONDS (a stop consonant's closure): no pause there
        ([("q", 0.5), ("v", 1.0), ("q", 0.06), ("v", 1.0), ("q", 0.5)], [(0.0, 0.5), (2.56, 3.06)]),
        # voice all through, or line noise all through: no level to call quiet
        ([("v", 2.0)], []),
        ([("q", 2.0)], []),
    ],
)
def test_pauses_are_the_quiet_between_voice(
    layout: list[tuple[str, float]], expected: list[tuple[float, float]]
) -> None:
    found = audio.pauses(_speech_and_pauses(layout))
    assert len(found) == len(expected)
    for pause, want in zip(found, expected, strict=True):
        assert pause == pytest.approx(want, abs=0.03)
