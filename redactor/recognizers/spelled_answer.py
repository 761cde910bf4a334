"""The answer to "could you spell that?": whatever short words follow, even when the
letters were not heard as letters ("Hey, hey, hey, hey, hey." for A-A-R-O-N on a phone line).

A spelled name is said letter by letter, and a recogniser turns letters it cannot place into
short words ("hey" for A, "see" for C, "you" for U). ``SpelledWordRecognizer`` finds the
letters it did print; after a request for a spelling, the run of short words that answers it
is taken too (fail closed), up to the end of that sentence, and on over sentences of at most
SENTENCE_WORDS short words, or of short words listed with commas: whisper may end each
letter's "sentence" ("Yeah. See. All right. Yes. See." for C-R-U-Z) or list them ("Hey, and,
and, oh, and, done." for A-N-N-O-N).
"""

from __future__ import annotations

import re
from typing import ClassVar

from redactor import languages
from redactor.recognizers.base import AnswerRecognizer

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_QUESTION_END = re.compile(r"[?.!]")
#: Words each but the last followed by a comma: letters listed ("Hey, and, and, oh").
_LISTED = re.compile(r"\s*(?:[^\s,]+,\s+)+[^\s,]+\s*")


class SpelledAnswerRecognizer(AnswerRecognizer):
    ENTITY: ClassVar[str] = "SPELLED"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    #: Longest word a letter is misheard as, most words taken, and how far the question's
    #: end may be from the request ("spell your last name for me?").
    SHORT: ClassVar[int] = 5
    MAX_WORDS: ClassVar[int] = 12
    REACH: ClassVar[int] = 60
    SCORE: ClassVar[float] = 0.6
    #: A sentence of this many short words or fewer after the answer's first goes on with it.
    SENTENCE_WORDS: ClassVar[int] = 3

    def __init__(self, supported_language: str = "en") -> None:
        self.prompt = self.any_of(languages.get(supported_language).spelling_prompts)
        super().__init__(supported_language)

    def answer(self, text: str, asked: re.Match[str]) -> tuple[int, int] | None:
        end = _QUESTION_END.search(text, asked.end(), asked.end() + self.REACH)
        if end is None:
            return None
        taken: list[re.Match[str]] = []
        for word in _WORD.finditer(text, end.end()):
            between = text[taken[-1].end() if taken else end.end() : word.start()]
            if len(word.group()) > self.SHORT:
                break
            if taken and _QUESTION_END.search(between) and not self._short(text, word.start()):
                break
            taken.append(word)
            if len(taken) == self.MAX_WORDS:
                break
        return (taken[0].start(), taken[-1].end()) if len(taken) >= 2 else None

    def _short(self, text: str, start: int) -> bool:
        """The sentence from ``start`` holds SENTENCE_WORDS words or fewer, all short; or
        any number of short words, each but the last followed by a comma: letters listed
        ("Hey, and, and, oh, and, done." for A-N-N-O-N)."""
        end = _QUESTION_END.search(text, start)
        sentence = text[start : end.start() if end else len(text)]
        words = _WORD.findall(sentence)
        if not all(len(w) <= self.SHORT for w in words):
            return False
        return len(words) <= self.SENTENCE_WORDS or _LISTED.fullmatch(sentence) is not None
