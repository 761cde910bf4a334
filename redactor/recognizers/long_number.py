"""Any long run of digits, with or without context: redacted as a generic NUMBER.

Fail closed: a recogniser that mishears a document number (a digit dropped, a group split)
defeats the specific recognizers, but the digits are still somebody's. Runs of MIN_DIGITS
or more digits (separated at most by spaces, commas, dots, hyphens or the "and" of a
number, "49 y 11, 70 y 97") are redacted unless they are an amount of money or a date.
Switch it off with ``disabled_recognizers = ["LongNumberRecognizer"]``.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from redactor import languages
from redactor.recognizers.base import DATE, DataPatternRecognizer

_CURRENCY_BEFORE = re.compile(r"(?:R\$|US\$|\$|€|£)\s*$")
# currency words of every language (pooled: "dólares" in a Portuguese call)
_CURRENCY_AFTER = re.compile(
    rf"^\s*(?:{languages.pooled_regex(lambda lang: lang.currency_words)})\b", re.IGNORECASE
)
_AND = languages.pooled_regex(lambda lang: lang.number_joiners)
#: Between two digits of a run: punctuation, spaces, or "and" between groups of one or two
#: digits ("nove e três zero zero", "49 y 11"; not "between 1999 and 2005").
_SEPARATOR = rf"(?:\s*(?:[,.-]|\.\.\.|…)\s*|(?<!\d\d\d)\s*,?\s+(?:{_AND})\s+(?=\d\d?(?!\d))|\s+)"


class LongNumberRecognizer(DataPatternRecognizer):
    ENTITY = "NUMBER"
    MIN_DIGITS = 8
    PATTERNS = [
        Pattern("digit_run_any", rf"(?i)(?<![\d.,-])\d(?:{_SEPARATOR}?\d)+(?!\d)", 0.35),
    ]

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        matched = text[start:end]
        if sum(c.isdigit() for c in matched) < self.MIN_DIGITS or DATE.fullmatch(matched):
            return None
        if _CURRENCY_BEFORE.search(text[:start]) or _CURRENCY_AFTER.match(text[end:]):
            return None  # an amount of money
        return score
