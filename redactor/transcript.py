"""Words with times, the text built from them, and the map from characters back to words.

Detection works on text; bleeping works on time. ``Transcript`` is the bridge: every word
owns a character range of ``text``, so any character span a recognizer finds maps to the
exact words, and so to the exact stretch of audio, it came from. Normalised views of the
text (spoken numbers turned into digits, say) carry their own map back to these offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from redactor.types import Gap, Segment, Stretch, Word


@dataclass
class Transcript:
    words: list[Word]
    language: str
    duration: float
    gaps: list[Gap] = field(default_factory=list)
    #: Whisper's segments (each word's ``segment`` indexes this list) and where voice
    #: activity is heard: the evidence reliability.py reads.
    segments: list[Segment] = field(default_factory=list)
    speech: list[Stretch] = field(default_factory=list)
    #: Quiet stretches of the audio (``audio.pauses``), per channel: where a bleep may
    #: begin without cutting into the word before a value.
    pauses: list[Stretch] = field(default_factory=list)
    text: str = field(init=False)
    #: (start, end) character offsets of each word in ``text``.
    offsets: list[tuple[int, int]] = field(init=False)

    def __post_init__(self) -> None:
        parts: list[str] = []
        self.offsets = []
        position = 0
        for word in self.words:
            token = word.text.strip()
            if parts:
                position += 1  # the joining space
            self.offsets.append((position, position + len(token)))
            parts.append(token)
            position += len(token)
        self.text = " ".join(parts)
        self._starts = [s for s, _ in self.offsets]
        self._ends = [e for _, e in self.offsets]

    def word_range(self, start: int, end: int) -> range:
        """Indices of the words that overlap characters [start, end)."""
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end)
        return range(first, max(first, last))
