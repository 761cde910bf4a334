"""Spoken numbers to digits, with a map from every output character back to the original text.

A recogniser often prints what a caller reads out as words: "cinco, quatro, dois...",
"quinientos setenta, sesenta...", "five hundred nineteen". text2num's ``alpha2digit``
(pt, es, en) turns those into digits; it gives no offsets, so we align its output with the
input token by token (difflib): unchanged tokens map character for character, and every
character of a converted stretch maps to the whole stretch of words it came from. A span
found in the normalised text therefore maps back to the exact words, and so to the audio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from text_to_num import alpha2digit

_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Normalised:
    text: str
    #: For each character of ``text``, the (start, end) span of the original it came from.
    source: list[tuple[int, int]]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        spans = self.source[start:end]
        return min(s for s, _ in spans), max(e for _, e in spans)


def normalise(text: str, language: str) -> Normalised | None:
    """Number words turned into digits, or None when there are none to turn."""
    converted = alpha2digit(text, language)
    if converted == text:
        return None
    old = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    new = _TOKEN.findall(converted)
    parts: list[str] = []
    source: list[tuple[int, int]] = []

    def emit(token: str, spans: list[tuple[int, int]]) -> None:
        if parts:
            parts.append(" ")
            source.append(spans[0])
        parts.append(token)
        source.extend(spans)

    matcher = SequenceMatcher(a=[t for t, _, _ in old], b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (token, start, _), _ in zip(old[i1:i2], new[j1:j2], strict=True):
                emit(token, [(start + k, start + k + 1) for k in range(len(token))])
        elif j2 > j1:  # replaced (or, rarely, inserted): map to the whole original stretch
            start = old[i1][1] if i1 < len(old) else len(text)
            end = old[i2 - 1][2] if i2 > i1 else start
            for token in new[j1:j2]:
                emit(token, [(start, end)] * len(token))
    return Normalised("".join(parts), source)
