"""The answer to "could you spell that?": whatever short words follow, even when the
letters were not heard as letters ("Hey, hey, hey, hey, hey." for A-A-R-O-N on a phone line).

A spelled name is said letter by letter, and a recogniser turns letters it cannot place into
short words ("hey" for A, "see" for C, "you" for U). ``SpelledWordRecognizer`` finds the
letters it did print; after a request for a spelling, the run of short words that answers it
is taken too (fail closed), up to the end of that sentence.
"""

from __future__ import annotations

import re
from typing import ClassVar

from redactor import languages
from redactor.recognizers.base import AnswerRecognizer

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_QUESTION_END = re.compile(r"[?.!]")


class SpelledAnswerRecognizer(AnswerRecognizer):
    ENTITY: ClassVar[str] = "SPELLED"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    #: Longest word a letter is misheard as, most words taken, and how far the question's
    #: end may be from the request ("spell your last name for me?").
    SHORT: ClassVar[int] = 5
    MAX_WORDS: ClassVar[int] = 12
    REACH: ClassVar[int] = 60
    SCORE: ClassVar[float] = 0.6

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
            if len(word.group()) > self.SHORT or (taken and _QUESTION_END.search(between)):
                break
            taken.append(word)
            if len(taken) == self.MAX_WORDS:
                break
        return (taken[0].start(), taken[-1].end()) if len(taken) >= 2 else None
