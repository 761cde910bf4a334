"""From detected spans to time ranges, and from time ranges to bleeped audio."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from redactor.audio import Audio
from redactor.transcript import Transcript
from redactor.types import Entity, Stretch

UNTRANSCRIBED = "UNTRANSCRIBED_SPEECH"
TONE_LEVEL = 0.25  # about -12 dBFS
FADE_SECONDS = 0.005
EDGE_REACH = 0.5  # seconds a range may reach into the silence beside its words
# A value's first word starting up to this late after a pause ends still starts at it;
# the range then begins ONSET_MARGIN before that end.
ONSET_TOLERANCE, ONSET_MARGIN = 0.1, 0.02


@dataclass(frozen=True)
class Bleep:
    start: float
    end: float
    entity: str
    score: float
    channel: int | None = None
    #: For UNRELIABLE_SPEECH: the reliability rules that caught it ("loop, low_confidence").
    rules: str = ""
    #: For DTMF: how many keys were pressed (never which).
    keys: int = 0


def entity_bleeps(
    transcript: Transcript, entities: Iterable[Entity], onsets: bool = False
) -> list[Bleep]:
    """The time range of the words each entity covers, reaching into the silence around them.

    Whisper's word times are often early or late by a few tenths of a second (a last digit's
    sound outlasts its word's end), so each range reaches out towards the neighbouring words,
    by EDGE_REACH at most and never past a neighbour's own time. Padding comes on top.

    Whisper often starts a value's first word where the word before it ended, so reaching
    back mostly took the end of "my CPF is". With ``onsets`` (the caller trusts whisper's
    words: the call's transcript is good), where the audio has a pause that ends at most
    ONSET_TOLERANCE after the first word's start (``transcript.pauses``), the range starts
    at the end of that pause instead: the value's sound begins there. On a misheard call
    the word before may be the value's first digit heard as a word ("free" for "three"),
    which the reach covers.
    """
    words = transcript.words
    pauses: dict[int | None, list[float]] = {}
    for pause in transcript.pauses if onsets else ():
        pauses.setdefault(pause.channel, []).append(pause.end)
    bleeps = []
    for entity in entities:
        indices = transcript.word_range(entity.start, entity.end)
        if not indices:
            continue
        first, last = words[indices.start], words[indices.stop - 1]
        before = words[indices.start - 1].end if indices.start > 0 else 0.0
        after = words[indices.stop].start if indices.stop < len(words) else transcript.duration
        start, end = _reach(first.start, last.end, before, after)
        # said by one speaker: that channel only; words of both (rare): every channel
        channels = {w.channel for w in words[indices.start : indices.stop]}
        channel = first.channel if len(channels) == 1 else None
        if len(channels) == 1:
            start = _onset(start, first.start, pauses.get(channel, []))
        bleeps.append(Bleep(start, end, entity.type, entity.score, channel))
    return bleeps


def _reach(start: float, end: float, before: float, after: float) -> tuple[float, float]:
    """``start``-``end`` reaching towards the neighbours' times ``before`` and ``after``,
    by EDGE_REACH at most and never past them."""
    return max(min(before, start), start - EDGE_REACH), min(max(after, end), end + EDGE_REACH)


def _onset(start: float, word_start: float, pause_ends: list[float]) -> float:
    """Where a value whose range starts at ``start`` begins to sound: the latest pause end
    between ``start`` and just after its first word's start, or ``start`` if none."""
    i = bisect_right(pause_ends, word_start + ONSET_TOLERANCE)
    if i and pause_ends[i - 1] > start:
        return max(start, pause_ends[i - 1] - ONSET_MARGIN)
    return start


def gap_bleeps(transcript: Transcript) -> list[Bleep]:
    return [Bleep(g.start, g.end, UNTRANSCRIBED, 1.0, g.channel) for g in transcript.gaps]


def stretch_bleeps(
    stretches: Iterable[Stretch],
    entity: str,
    transcript: Transcript | None = None,
    ends_only: bool = False,
) -> list[Bleep]:
    """Unreliable speech, with its reasons. Score 0: merged with a detected entity, the
    range keeps that entity's name.

    With the ``transcript`` (the caller doubts its word times), a stretch reaches towards
    the words beside it as an entity's range does: an unanswered question's stretch may be
    a value whose last digit sounds on past whisper's end of it. With ``ends_only``, only
    its end reaches (an answer on a call whose word times are trusted: reaching back takes
    the end of the question, as it did for entities)."""
    # each channel's word ends and starts, sorted once: an unusable call has a stretch for
    # every stretch of its speech
    ends: dict[int | None, list[float]] = {}
    starts: dict[int | None, list[float]] = {}
    for word in transcript.words if transcript is not None else ():
        ends.setdefault(word.channel, []).append(word.end)
        starts.setdefault(word.channel, []).append(word.start)
    for times in (*ends.values(), *starts.values()):
        times.sort()
    bleeps = []
    for s in stretches:
        start, end = s.start, s.end
        if transcript is not None:
            mine_ends, mine_starts = ends.get(s.channel, []), starts.get(s.channel, [])
            i = bisect_right(mine_ends, start)  # the words that end by the stretch's start
            j = bisect_left(mine_starts, end)  # the first that starts at its end or later
            before = mine_ends[i - 1] if i else 0.0
            after = mine_starts[j] if j < len(mine_starts) else transcript.duration
            reached, end = _reach(start, end, before, after)
            start = start if ends_only else reached
        bleeps.append(Bleep(start, end, entity, 0.0, s.channel, s.reason))
    return bleeps


def plan(bleeps: Iterable[Bleep], padding: float, duration: float) -> list[Bleep]:
    """Pad each range, clip it to the audio, and merge ranges that overlap or touch (per channel).

    Times are in milliseconds, rounded outwards so that rounding never uncovers a sample. A
    merged range is labelled with its highest-scoring entity.
    """
    end_of_audio = math.ceil(duration * 1000) / 1000
    padded = sorted(
        (
            Bleep(
                max(0.0, math.floor((b.start - padding) * 1000) / 1000),
                min(end_of_audio, math.ceil((b.end + padding) * 1000) / 1000),
                b.entity,
                b.score,
                b.channel,
                b.rules,
                b.keys,
            )
            for b in bleeps
        ),
        key=lambda b: (-1 if b.channel is None else b.channel, b.start),
    )
    merged: list[Bleep] = []
    for bleep in padded:
        if bleep.end <= bleep.start:
            continue
        last = merged[-1] if merged else None
        if last and last.channel == bleep.channel and bleep.start <= last.end:
            best = bleep if bleep.score > last.score else last
            end = max(last.end, bleep.end)
            merged[-1] = Bleep(
                last.start, end, best.entity, best.score, last.channel, best.rules, best.keys
            )
        else:
            merged.append(bleep)
    return merged


def apply(
    audio: Audio, bleeps: Iterable[Bleep], mode: str = "tone", tone_hz: float = 1000.0
) -> Audio:
    """A copy of ``audio`` with each range replaced by a tone (or silence).

    Samples outside the ranges are left exactly as they were. Inside, the original fades
    out and the tone fades in over a few milliseconds so there is no click.
    """
    samples = audio.samples.copy()
    rate = audio.sample_rate
    for bleep in bleeps:
        first = max(0, math.floor(bleep.start * rate))
        last = min(audio.frames, math.ceil(bleep.end * rate))
        length = last - first
        if length <= 0:
            continue
        time = np.arange(first, last) / rate
        tone = (
            TONE_LEVEL * np.sin(2 * np.pi * tone_hz * time) if mode == "tone" else np.zeros(length)
        )
        fade = min(int(FADE_SECONDS * rate), length // 4)
        keep = np.zeros(length)  # share of the original signal kept at each sample
        if fade > 0:
            ramp = 0.5 * (1 + np.cos(np.linspace(0, np.pi, fade)))  # 1 -> 0
            keep[:fade] = ramp
            keep[-fade:] = ramp[::-1]
        tone = tone * (1 - keep)
        channels = [bleep.channel] if bleep.channel is not None else range(audio.channels)
        for channel in channels:
            original = samples[first:last, channel]
            samples[first:last, channel] = original * keep + tone
    return Audio(samples=samples, sample_rate=rate, subtype=audio.subtype)
