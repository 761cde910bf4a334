"""Spanish DNI (8 digits and a control letter) and NIE (X/Y/Z, 7 digits, a letter).

Callers say the letter as a word ("letra zeta", "Z de Zaragoza") and recognisers print
the digits in groups, so the letter may stand after separators or the word "letra".
A wrong control letter (often misheard) keeps the match at a low score: fail closed. So
does a letter whisper garbled after the word "letra" ("letrarse", "letra seta"), or with
it ("le tracú", "detrás"): the digits and the word or two after them go.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern
from stdnum.es import dni, nie

from redactor import languages
from redactor.recognizers.base import DataPatternRecognizer

# "letra", "letter" (pooled: callers mix languages)
_LETTER_PROMPT = languages.pooled_regex(lambda lang: lang.letter_prompts)
_LETTER_WORD = rf"(?:[.,]?\s*(?:{_LETTER_PROMPT})\s+|\s*[-,]?\s*)"  # "74. Letra H"
_DIGITS = r"\d(?:[\s.,-]*\d)"
# "letra" and what whisper made of the letter: glued on ("letrarse") or a short word after;
# or "letra" itself misheard ("le tracú")
_MISHEARD = languages.pooled_regex(lambda lang: lang.misheard_letter_prompts)
_GARBLED_LETTER = (
    rf"[\s.,]*(?:o\s+)?(?:(?:{_LETTER_PROMPT})[^\W\d_]*|{_MISHEARD})"
    rf"(?:[\s,]+[^\W\d_]{{1,7}}\b)?"
)


class EsDniRecognizer(DataPatternRecognizer):
    ENTITY = "ES_DNI"
    PATTERNS = [
        Pattern("dni", rf"(?<![\w.,-]){_DIGITS}{{7}}{_LETTER_WORD}[A-Za-z](?![\w])", 0.4),
        Pattern(
            "nie", rf"(?<![\w.,-])[XYZxyz][\s,.-]*{_DIGITS}{{6}}{_LETTER_WORD}[A-Za-z](?![\w])", 0.4
        ),
        Pattern("dni_garbled_letter", rf"(?i)(?<![\w.,-]){_DIGITS}{{5,7}}{_GARBLED_LETTER}", 0.3),
    ]
    INVALID_SCORE = 0.3

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        compact = re.sub(rf"(?i){_LETTER_PROMPT}|[\s.,-]", "", text[start:end]).upper()
        if dni.is_valid(compact) or nie.is_valid(compact):
            return self.MAX_SCORE
        return min(score, self.INVALID_SCORE)
