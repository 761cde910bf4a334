"""Spans to time ranges (property tests) and the bleeped audio itself."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
import soundfile as sf
from hypothesis import given
from hypothesis import strategies as st

from redactor import bleep
from redactor.audio import Audio, wav_bytes
from redactor.bleep import Bleep
from redactor.transcript import Transcript
from redactor.types import Entity, Gap, Stretch, Word

ranges = st.lists(st.tuples(st.floats(-1, 40), st.floats(0, 3), st.floats(0, 1)), max_size=20).map(
    lambda xs: [Bleep(s, s + length, "X", score) for s, length, score in xs]
)


@given(ranges, st.floats(0, 0.5), st.floats(0.5, 30))
def test_plan_is_inside_sorted_and_merged(
    bleeps: list[Bleep], padding: float, duration: float
) -> None:
    planned = bleep.plan(bleeps, padding, duration)
    for b in planned:
        assert 0 <= b.start < b.end <= math.ceil(duration * 1000) / 1000
    for a, b in zip(planned, planned[1:], strict=False):
        assert a.end < b.start  # sorted, no overlap, not even touching
    # every input range (padded, clipped) is covered by one planned range
    for original in bleeps:
        start = max(0.0, original.start - padding)
        end = min(duration, original.end + padding)
        if end - start > 0.002:
            assert any(p.start <= start + 0.001 and end - 0.001 <= p.end for p in planned)


def test_merged_range_takes_best_entity() -> None:
    planned = bleep.plan([Bleep(1, 2, "A", 0.4), Bleep(2.1, 3, "B", 0.9)], 0.1, 10)
    assert planned == [Bleep(0.9, 3.1, "B", 0.9)]


def test_channels_do_not_merge() -> None:
    planned = bleep.plan([Bleep(1, 2, "A", 1, channel=0), Bleep(1, 2, "A", 1, channel=1)], 0, 10)
    assert len(planned) == 2


def test_entity_bleeps_use_word_times() -> None:
    words = [
        Word(" meu", 0.0, 0.3),
        Word(" cpf", 0.4, 0.7),
        Word(" 529.982.247-25", 0.9, 3.2),
        Word(" ok", 3.5, 3.7),
    ]
    transcript = Transcript(words, "pt", 4.0, [Gap(3.8, 4.0)])
    start = transcript.text.index("529")
    found = bleep.entity_bleeps(transcript, [Entity("BR_CPF", start, start + 14, 1.0, "r")])
    # reaches back to the previous word's end and on to the next word's start
    assert found == [Bleep(0.7, 3.5, "BR_CPF", 1.0)]
    assert bleep.gap_bleeps(transcript) == [Bleep(3.8, 4.0, bleep.UNTRANSCRIBED, 1.0)]


@pytest.mark.parametrize(
    ("times", "expected"),
    [
        ([(0.0, 0.3), (2.0, 3.0), (3.1, 3.3)], (1.5, 3.1)),  # at most EDGE_REACH into silence
        ([(0.0, 1.9), (2.0, 3.0), (5.0, 5.5)], (1.9, 3.5)),
        ([(2.0, 3.0)], (1.5, 3.5)),  # no neighbours: audio edges
        ([(0.2, 0.5)], (0.0, 1.0)),
        ([(0.0, 2.5), (2.0, 3.0), (2.9, 3.3)], (2.0, 3.0)),  # overlapping neighbours: own times
    ],
)
def test_entity_range_reaches_into_silence(
    times: list[tuple[float, float]], expected: tuple[float, float]
) -> None:
    words = [Word(f" w{i}", s, e) for i, (s, e) in enumerate(times)]
    transcript = Transcript(words, "en", 6.0)
    index = 1 if len(times) > 1 else 0
    start, end = transcript.offsets[index]
    [found] = bleep.entity_bleeps(transcript, [Entity("X", start, end, 1.0, "r")])
    assert (found.start, found.end) == pytest.approx(expected)


def test_a_stretch_reaches_only_where_word_times_are_doubted() -> None:
    """An unanswered question's stretch on a doubted call ends where whisper ended its last
    word, though the digit may sound on ("28." ending 0.3 s early, hard-tune-en-07): it
    reaches towards the next word as an entity's range does; on a good call it does not."""
    words = [Word(" ssn?", 0.0, 1.0), Word(" 3", 2.0, 2.5), Word(" 28.", 2.6, 3.0)]
    words += [Word(" one", 3.7, 4.0), Word(" moment", 4.0, 4.5)]
    transcript = Transcript(words, "en", 5.0)
    stretch = Stretch(2.0, 3.0, None, "unanswered_question")
    [trusted] = bleep.stretch_bleeps([stretch], "UNRELIABLE_SPEECH")
    [doubted] = bleep.stretch_bleeps([stretch], "UNRELIABLE_SPEECH", transcript)
    [answer] = bleep.stretch_bleeps([stretch], "UNRELIABLE_SPEECH", transcript, ends_only=True)
    assert (trusted.start, trusted.end) == (2.0, 3.0)
    assert (doubted.start, doubted.end) == pytest.approx((1.5, 3.5))
    assert (answer.start, answer.end) == pytest.approx((2.0, 3.5))
    assert doubted.rules == "unanswered_question"


def noise(seconds: float, rate: int, channels: int) -> np.ndarray:
    rng = np.random.default_rng(1)
    ints = rng.integers(-8000, 8000, size=(int(seconds * rate), channels), dtype=np.int16)
    return ints.astype(np.float32) / 32768


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


@pytest.mark.parametrize(("rate", "channels"), [(8000, 1), (16000, 2), (44100, 1)])
def test_tone_where_the_map_says_and_the_rest_bit_identical(rate: int, channels: int) -> None:
    original = Audio(noise(3.0, rate, channels), rate, "PCM_16")
    ranges = [Bleep(0.5, 1.0, "X", 1.0), Bleep(2.0, 2.25, "Y", 1.0)]
    result = bleep.apply(original, ranges, "tone", 1000.0)
    before, _ = sf.read(io.BytesIO(wav_bytes(original)), dtype="int16", always_2d=True)
    after, out_rate = sf.read(io.BytesIO(wav_bytes(result)), dtype="int16", always_2d=True)
    assert out_rate == rate and after.shape == before.shape
    inside = np.zeros(len(before), dtype=bool)
    for r in ranges:
        inside[int(r.start * rate) : int(np.ceil(r.end * rate))] = True
        middle = result.samples[int((r.start + 0.02) * rate) : int((r.end - 0.02) * rate)]
        for channel in range(channels):
            assert abs(dominant_hz(middle[:, channel], rate) - 1000) < 15
    assert np.array_equal(after[~inside], before[~inside])
    assert not np.array_equal(after[inside], before[inside])


def test_silence_mode_and_no_clicks() -> None:
    rate = 8000
    original = Audio(np.full((rate * 2, 1), 0.5, dtype=np.float32), rate)
    silent = bleep.apply(original, [Bleep(0.5, 1.5, "X", 1.0)], "silence")
    assert np.all(silent.samples[int(0.51 * rate) : int(1.49 * rate)] == 0)
    toned = bleep.apply(original, [Bleep(0.5, 1.5, "X", 1.0)], "tone")
    # no jump between neighbouring samples larger than the tone's own slope allows
    steps = np.abs(np.diff(toned.samples[:, 0]))
    assert steps.max() < 0.25 * 2 * np.pi * 1000 / rate + 0.05


def test_channel_specific_bleep() -> None:
    original = Audio(noise(1.0, 8000, 2), 8000)
    result = bleep.apply(original, [Bleep(0.2, 0.6, "X", 1.0, channel=1)])
    assert np.array_equal(result.samples[:, 0], original.samples[:, 0])
    assert not np.array_equal(result.samples[:, 1], original.samples[:, 1])


@pytest.mark.parametrize(
    ("pauses", "expected_start"),
    [
        ([], 0.7),  # no pause heard: back to the word before, as ever
        ([(0.7, 1.0)], 0.98),  # the pause whisper heard too
        # whisper started the value early, where "é" ended: its sound starts after the pause
        ([(0.75, 1.08)], 1.06),
        ([(0.75, 1.3)], 0.7),  # ends too long after the first word's start: not trusted
        ([(1.2, 1.5)], 0.7),  # a pause inside the value (after its first word): not it
        ([(0.1, 0.5)], 0.7),  # a pause before the word before: not it
    ],
)
def test_entity_range_starts_where_the_value_sounds(
    pauses: list[tuple[float, float]], expected_start: float
) -> None:
    words = [Word(" é", 0.2, 0.7), Word(" 529", 1.0, 1.6), Word(" 982", 1.6, 2.2)]
    transcript = Transcript(words, "pt", 3.0, pauses=[Stretch(s, e) for s, e in pauses])
    start = transcript.text.index("529")
    entity = Entity("BR_CPF", start, start + 7, 1.0, "r")
    [found] = bleep.entity_bleeps(transcript, [entity], onsets=True)
    assert found.start == pytest.approx(expected_start)
    assert found.end == pytest.approx(2.7)
    # a call whisper is not trusted on: the word before may be the value misheard
    [untrusted] = bleep.entity_bleeps(transcript, [entity])
    assert untrusted.start == pytest.approx(0.7)


def test_onset_uses_the_speakers_own_channel() -> None:
    """A stereo call: the other channel's pause says nothing about this speaker's value."""
    words = [Word(" é", 0.2, 0.7, channel=1), Word(" 529", 1.0, 1.6, channel=1)]
    transcript = Transcript(words, "pt", 2.0, pauses=[Stretch(0.8, 1.2, channel=0)])
    start = transcript.text.index("529")
    entity = Entity("BR_CPF", start, start + 3, 1.0, "r")
    [found] = bleep.entity_bleeps(transcript, [entity], onsets=True)
    assert found.start == pytest.approx(0.7)
