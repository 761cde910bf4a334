"""Keypad tones: the detector against ITU-T Q.24's limits, talk-off on speech, and the
pipeline (a <DTMF> word, a DTMF bleep with a count of keys, no trace left in the audio).

The figures these tables hold are in docs/accuracy.md ("Keypad tones")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from corpus import keypad
from redactor import audio as audio_io
from redactor import dtmf
from redactor.audio import Audio
from redactor.config import Config
from redactor.transcript import Transcript
from redactor.types import Entity, Gap
from tests.conftest import (
    SAMPLES,
    SHARED_DATA,
    SPOKEN_SAMPLES,
    FakeTranscriber,
    redactor,
    stored,
    words_from,
)

PADDING = Config().padding  # what the pipeline adds each side of a bleep
CARD = "4204929292808314"


def channel(samples: np.ndarray, rate: int) -> np.ndarray:
    """What the pipeline gives the detector: one channel at 16 kHz."""
    return audio_io.to_whisper(Audio(samples.astype(np.float32)[:, None], rate))


def bleeped_share(found: list[dtmf.Sequence], spans: list[tuple[float, float]]) -> float:
    """The share of the tones' time inside the sequences' bleeps (padded as the pipeline)."""
    ranges = [(s.start - PADDING, s.end + PADDING) for s in found]
    inside = sum(max(0.0, min(e, b) - max(s, a)) for s, e in spans for a, b in ranges)
    return inside / sum(e - s for s, e in spans)


def keyed_call(
    rate: int = 8000, lead: float = 1.0, seed: int = 3, keys: str = CARD, **tone: Any
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    samples, spans = keypad.keyed(keys, rate, np.random.default_rng(seed), **tone)
    silence = np.zeros(int(lead * rate))
    return np.concatenate([silence, samples, silence]), [(s + lead, e + lead) for s, e in spans]


def noisy(samples: np.ndarray, snr_db: float, seed: int = 5) -> np.ndarray:
    power = np.mean(samples[samples != 0] ** 2)
    noise = np.random.default_rng(seed).standard_normal(len(samples))
    mixed: np.ndarray = samples + noise * np.sqrt(power / 10 ** (snr_db / 10))
    return mixed


def mu_law(samples: np.ndarray, rate: int, tmp_path: Path) -> np.ndarray:
    path = tmp_path / "g711.wav"
    sf.write(path, samples, rate, subtype="ULAW")
    decoded, _ = sf.read(path, dtype="float64")
    return np.asarray(decoded)


ACCEPTED: dict[str, dict[str, Any]] = {
    # (tone lengths, pauses) as people key, and Q.24's shortest tone and pause (40 ms)
    "typed": {},
    "shortest tones and pauses": {"on": (0.040, 0.041), "off": (0.040, 0.041)},
    "slow": {"on": (0.2, 0.3), "off": (0.8, 1.5)},
    "quiet": {"level_db": -35.0},
    "loud": {"level_db": -6.5},
    "normal twist -8 dB": {"twist_db": -8.0},
    "reverse twist +4 dB": {"twist_db": 4.0},
    "1.5% high": {"deviation": 0.015},
    "1.5% low": {"deviation": -0.015},
}


@pytest.mark.parametrize("rate", [8000, 16000, 44100])
@pytest.mark.parametrize("case", ACCEPTED, ids=str)
def test_keys_within_q24s_limits_are_bleeped(case: str, rate: int) -> None:
    samples, spans = keyed_call(rate, **ACCEPTED[case])
    found = dtmf.keyed(channel(samples, rate), audio_io.WHISPER_RATE)
    assert bleeped_share(found, spans) >= 0.995
    assert [s.keys for s in found] == [len(CARD)]


@pytest.mark.parametrize(
    ("noise_db", "g711"), [(20.0, False), (15.0, False), (10.0, False), (20.0, True)]
)
def test_keys_through_noise_and_g711(noise_db: float, g711: bool, tmp_path: Path) -> None:
    samples, spans = keyed_call()
    samples = noisy(samples, noise_db)
    if g711:
        samples = mu_law(samples, 8000, tmp_path)
    found = dtmf.keyed(channel(samples, 8000), audio_io.WHISPER_RATE)
    assert bleeped_share(found, spans) >= 0.995


def test_keys_pressed_while_talking() -> None:
    """A sample call's speech over the keys, 6 dB below them: the sequence is still
    bleeped whole (a tone the voice masks lies between others that are found)."""
    speech, rate = sf.read(SAMPLES / "en" / "call-en-ssn.wav", dtype="float64")
    samples, spans = keyed_call(rate, lead=3.0)
    voice = (
        speech[: len(samples)]
        if len(speech) >= len(samples)
        else np.pad(speech, (0, len(samples) - len(speech)))
    )
    keys_power = np.mean(samples[samples != 0] ** 2)
    voice_power = np.mean(voice[np.abs(voice) > 0.01] ** 2)
    mixed = samples + voice * np.sqrt(keys_power / voice_power * 10 ** (-6 / 10))
    found = dtmf.keyed(channel(mixed, rate), audio_io.WHISPER_RATE)
    assert bleeped_share(found, spans) >= 0.995


REJECTED: dict[str, dict[str, Any]] = {
    "23 ms tones (Q.24: reject)": {"on": (0.023, 0.0231), "off": (0.05, 0.06)},
    "3.5% high": {"deviation": 0.035},
    "3.5% low": {"deviation": -0.035},
    "normal twist -12 dB": {"twist_db": -12.0},
    "reverse twist +8 dB": {"twist_db": 8.0},
}


@pytest.mark.parametrize("case", REJECTED, ids=str)
def test_tones_outside_q24s_limits_are_not_keys(case: str) -> None:
    samples, _ = keyed_call(**REJECTED[case])
    assert dtmf.tones(channel(samples, 8000), audio_io.WHISPER_RATE) == []


def speech_files() -> list[Path]:
    """Every recording of speech at hand: the samples (their keyed calls aside) and the
    shared real calls and read speech when ../shared/data is there."""
    files = list(SPOKEN_SAMPLES)
    for pattern in ("calls/**/*.wav", "speech/**/*.wav", "speech/**/*.flac"):
        files += sorted(SHARED_DATA.glob(pattern))
    return files


def test_talk_off_no_key_in_speech() -> None:
    """No keyed sequence in any speech here (docs/accuracy.md: 0 in 5.6 hours, the call
    corpus and older speech included), so speech is never bleeped as keys."""
    seconds = 0.0
    for path in speech_files():
        audio = audio_io.load(path)
        for c in range(audio.channels):
            samples = audio_io.to_whisper(audio, c if audio.channels > 1 else None)
            seconds += len(samples) / audio_io.WHISPER_RATE
            assert dtmf.keyed(samples, audio_io.WHISPER_RATE) == [], (path.name, c)
    assert seconds > 60


@pytest.mark.parametrize(
    ("tones", "expected"),
    [
        # two keys 1 s apart: one sequence of two
        ([(1.0, 1.1, 1.0), (2.1, 2.2, 1.0)], [(0.99, 2.21, 2)]),
        # 2.5 s apart: two sequences of one, each clean
        ([(1.0, 1.1, 1.0), (3.6, 3.7, 1.0)], [(0.99, 1.11, 1), (3.59, 3.71, 1)]),
        # a lone tone the voice shares its power with is not bleeped alone ...
        ([(1.0, 1.1, 0.5)], []),
        # ... but in a sequence it is
        ([(1.0, 1.1, 0.5), (1.3, 1.4, 0.5)], [(0.99, 1.41, 2)]),
    ],
)
def test_sequences(
    tones: list[tuple[float, float, float]], expected: list[tuple[float, float, int]]
) -> None:
    found = [dtmf.Tone(s, e, 0, 0, share) for s, e, share in tones]
    got = [(round(s.start, 6), round(s.end, 6), s.keys) for s in dtmf.sequences(found)]
    assert got == expected


def test_marked_transcript() -> None:
    """Words whisper printed over the tones go; one <DTMF> word takes their place; an
    untranscribed stretch inside the tones goes too (the tones are what was heard)."""
    words = words_from([("digite", 0.0, 0.4), ("o", 0.5, 0.6), ("bip", 1.2, 1.4), ("ok", 3.0, 3.2)])
    transcript = Transcript(words, "pt", 4.0, [Gap(1.6, 2.4), Gap(3.3, 3.9)])
    marked = dtmf.marked(transcript, [dtmf.Sequence(1.0, 2.6, 5)])
    assert marked.text == "digite o <DTMF> ok"
    assert marked.gaps == [Gap(3.3, 3.9)]
    found = dtmf.entities(marked, [Entity("PERSON", 9, 15, 0.85, "SpacyRecognizer")])
    assert found == [Entity("DTMF", 9, 15, 1.0, "dtmf")]  # NER's guess on the marker: gone


def keyed_input(folder: Path) -> tuple[Path, list[tuple[float, float]]]:
    samples, spans = keyed_call(lead=2.0)
    folder.mkdir(parents=True)
    path = folder / "call.wav"
    sf.write(path, (samples * 0.9).astype(np.float32), 8000, subtype="PCM_16")
    return path, spans


@pytest.mark.parametrize("setting", ["bleep", "flag", "off"])
def test_run_bleeps_keys_and_leaves_no_trace(
    setting: str,
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # whisper "hears" digits in the tones: they must not survive either
    fake["transcriber"] = FakeTranscriber(
        words_from([("digite", 0.5, 0.9), ("4204", 2.5, 3.0), ("9292", 3.2, 3.6)]), "pt"
    )
    _, spans = keyed_input(tmp_path / "in")
    config = tmp_path / "redactor.toml"
    config.write_text(f'dtmf = "{setting}"\n')
    code, _, err = redactor(
        monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
        "--language", "pt", "--config", str(config),
    )  # fmt: skip
    assert code == 0, err
    out = tmp_path / "out"
    transcript = json.loads((out / "call.redacted.json").read_text())
    document = json.loads((out / "call.bleeps.json").read_text())
    keyed = [b for b in document["bleeps"] if b["entity"] == "DTMF"]
    flagged = [r for r in document["review"] if r["reason"] == "DTMF"]
    audio, rate = sf.read(out / "call.redacted.wav", dtype="float64")
    left = dtmf.tones(channel(audio, rate), audio_io.WHISPER_RATE)
    late = [s for s in spans if s[0] > 4.5]  # beyond the bleeps of the digits "heard"
    if setting == "off":
        assert keyed == flagged == [] and "<DTMF>" not in transcript["text"]
        assert len([t for t in left if t.start > 4.5]) == len(late)  # nobody looked
        return
    assert "<DTMF>" in transcript["text"]
    [marker] = [w for w in transcript["words"] if w["text"] == "<DTMF>"]
    assert marker["redacted"] is True  # an entity's word, though the tag reads as it did
    assert "4204" not in transcript["text"] and "9292" not in transcript["text"]
    assert "DTMF" in {e["type"] for e in transcript["entities"]}
    [item] = keyed if setting == "bleep" else flagged
    assert item["keys"] == len(CARD)  # how many, never which
    assert item["start"] <= spans[0][0] and spans[-1][1] <= item["end"]
    if setting == "bleep":
        assert left == []  # nothing decodable in what is kept
    else:
        assert len([t for t in left if t.start > 4.5]) == len(late)
    for path in out.iterdir():
        assert CARD.encode() not in path.read_bytes()


def test_stereo_keys_are_bleeped_on_their_channel(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The caller keys on channel 1 while the agent waits on channel 0: the bleep silences
    channel 1 only (a split stereo call), and the agent's channel is left as it was."""
    fake["transcriber"] = FakeTranscriber(words_from([("digite", 0.5, 0.9)]), "pt")
    keys, spans = keyed_call(lead=2.0)
    agent = np.sin(2 * np.pi * 300 * np.arange(len(keys)) / 8000) * 0.1
    (tmp_path / "in").mkdir()
    stereo = np.stack([agent, keys], axis=1).astype(np.float32)
    sf.write(tmp_path / "in" / "call.wav", stereo, 8000, subtype="PCM_16")
    code, _, err = redactor(
        monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
        "--language", "pt",
    )  # fmt: skip
    assert code == 0, err
    document = json.loads((tmp_path / "out" / "call.bleeps.json").read_text())
    [item] = [b for b in document["bleeps"] if b["entity"] == "DTMF"]
    assert (item["channel"], item["keys"]) == (1, len(CARD))
    kept, _ = sf.read(tmp_path / "out" / "call.redacted.wav", dtype="float64")
    original, _ = sf.read(tmp_path / "in" / "call.wav", dtype="float64")
    assert np.array_equal(kept[:, 0], original[:, 0])
    assert dtmf.tones(channel(kept[:, 1], 8000), audio_io.WHISPER_RATE) == []


def test_the_kept_original_never_keeps_the_keys(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    """--keep-original keeps the call as it was, but keyed digits may be a CVV or a PIN,
    which may never be stored (PCI DSS): they are silenced there too, and tagged."""
    from typing import cast

    from redactor import crypto
    from redactor.backends import LocalBackend
    from redactor.storage import Store, StoreKeys

    fake["transcriber"] = FakeTranscriber(words_from([("digite", 0.5, 0.9)]), "pt")
    keyed_input(tmp_path / "in")
    archive = tmp_path / "archive"
    redactor(monkeypatch, capsys, "keys", "new", str(archive))
    code, _, err = stored(
        monkeypatch, capsys, tmp_path, str(tmp_path / "store"), keys,
        "--keep-original", "--original-recipient", str(archive / "reviewer.pub"),
    )  # fmt: skip
    assert code == 0, err
    writer = cast(crypto.SymmetricKey, crypto.read_key_file(keys / "writer.key"))
    keeper = Store(
        LocalBackend(tmp_path / "store"),
        StoreKeys.from_keys([crypto.read_key_file(archive / "reviewer.key")], writer),
    )
    (call_id,) = keeper.calls()
    document = json.loads(keeper.read(call_id, "original_transcript"))
    assert "<DTMF>" in document["text"]
    path = tmp_path / "original.wav"
    path.write_bytes(keeper.read(call_id, "original_audio"))
    audio, rate = sf.read(path, dtype="float64")
    assert dtmf.tones(channel(audio, rate), audio_io.WHISPER_RATE) == []
