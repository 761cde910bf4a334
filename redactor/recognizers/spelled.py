"""Words spelled letter by letter: "V-I-O-L-E-T", "K I N G", "m de Maria, a de amor...".

Callers spell what the agent could not catch: names, surnames, e-mail user names, street
names. In a call almost nothing else is spelled, so any run of three or more single letters
is redacted (fail closed) as SPELLED, whatever word it makes. Runs made only of letters
that are also short words ("a e o") are left alone.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from redactor import languages
from redactor.recognizers.base import DataPatternRecognizer

_LETTER = r"[A-Za-z]"  # "é", "à" are words in pt/es, not letters being spelled
_SEPARATOR = r"(?:\s*[-.,]\s*|\s+)"
#: "m de Maria", "b as in bravo", "b como en Barcelona", "b for bravo" (pooled: any language)
_SPELLING_WORD = rf"(?:{languages.pooled_regex(lambda lang: lang.spelling_words)})"
_SHORT_WORDS = set("aeoyui")


class SpelledWordRecognizer(DataPatternRecognizer):
    ENTITY = "SPELLED"
    PATTERNS = [
        Pattern(
            "letters",
            rf"(?<![\w'-]){_LETTER}(?:{_SEPARATOR}{_LETTER}(?![\w'])){{2,}}",
            0.6,
        ),
        Pattern(
            "spelling_alphabet",
            rf"(?<![\w'-]){_LETTER}\s+{_SPELLING_WORD}\s+{_LETTER}+"
            rf"(?:{_SEPARATOR}{_LETTER}\s+{_SPELLING_WORD}\s+{_LETTER}+)+",
            0.6,
        ),
    ]

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        letters = re.findall(r"[^\W\d_]+", text[start:end].lower())
        if all(letter in _SHORT_WORDS for letter in letters) and not re.search(
            r"[-.,]", text[start:end]
        ):
            return None  # "e a o": words, not spelling
        return score
