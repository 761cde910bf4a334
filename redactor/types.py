"""The plain results that pass between stages: words with times, untranscribed speech, and
detected entities. Data only, no imports beyond the standard library, so any module (and
the light commands) can use them without loading the speech or NLP stack."""

from __future__ import annotations

from dataclasses import dataclass

#: The entity types the NER model finds (a name, a place); every other type is a value
#: found by a pattern or a rule.
NER_ENTITIES = ("PERSON", "LOCATION")


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0
    channel: int | None = None
    #: Index of the whisper segment it came from (``Transcript.segments``); None: unknown.
    segment: int | None = None


@dataclass(frozen=True)
class Gap:
    """A stretch of audio with speech in it that produced no words."""

    start: float
    end: float
    channel: int | None = None


@dataclass(frozen=True)
class Entity:
    """A detected span of the transcript text. Never holds the value itself."""

    type: str
    start: int
    end: int
    score: float
    recognizer: str


@dataclass(frozen=True)
class Segment:
    """A stretch whisper decoded at once, with its own evidence of how sure it was."""

    start: float
    end: float
    #: Mean log-probability of its tokens (whisper retries below -1.0 when it may).
    avg_logprob: float
    #: How sure whisper is that another of our languages than the call's is spoken: the
    #: highest probability it gives one, over the windows of the channel's audio.
    other_language: float = 0.0
    channel: int | None = None


@dataclass(frozen=True)
class Stretch:
    """A stretch of one channel's audio: voiced speech, or speech whose transcript cannot
    be trusted, with why (``reason``)."""

    start: float
    end: float
    channel: int | None = None
    reason: str = ""


def union(ranges: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Time ranges merged where they overlap or touch, sorted; empty ones dropped."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
