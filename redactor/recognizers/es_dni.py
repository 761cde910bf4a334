"""Spanish DNI (8 digits and a control letter) and NIE (X/Y/Z, 7 digits, a letter).

Callers say the letter as a word ("letra zeta", "Z de Zaragoza") and recognisers print
the digits in groups, so the letter may stand after separators or the word "letra".
A wrong control letter (often misheard) keeps the match at a low score: fail closed.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern
from stdnum.es import dni, nie

from redactor.recognizers.base import DataPatternRecognizer

_LETTER_WORD = r"(?:,?\s*(?:letra|letter)\s+|\s*[-,]?\s*)"
_DIGITS = r"\d(?:[\s.,-]*\d)"


class EsDniRecognizer(DataPatternRecognizer):
    ENTITY = "ES_DNI"
    PATTERNS = [
        Pattern("dni", rf"(?<![\w.,-]){_DIGITS}{{7}}{_LETTER_WORD}[A-Za-z](?![\w])", 0.4),
        Pattern(
            "nie", rf"(?<![\w.,-])[XYZxyz][\s,.-]*{_DIGITS}{{6}}{_LETTER_WORD}[A-Za-z](?![\w])", 0.4
        ),
    ]
    CONTEXT = {
        "es": ["dni", "nie", "documento", "identidad", "nif"],
        "pt": ["dni", "nie", "documento", "identidade"],
        "en": ["dni", "nie", "id", "spanish", "document"],
    }
    INVALID_SCORE = 0.3

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        compact = re.sub(r"(?i)letra|letter|[\s.,-]", "", text[start:end]).upper()
        if dni.is_valid(compact) or nie.is_valid(compact):
            return self.MAX_SCORE
        return min(score, self.INVALID_SCORE)
