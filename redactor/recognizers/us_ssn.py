"""US Social Security number: 9 digits, usually ddd-dd-dddd.

Replaces Presidio's UsSsnRecognizer, which drops anything failing its rules outright.

Spanish phone numbers have 9 digits too, and most are valid SSNs ("612 345 678"). A
9-digit number that phonenumbers takes for a Spanish one is kept at INVALID_SCORE, so
Presidio's PhoneRecognizer types it (PHONE_NUMBER wins the merge) and it stays redacted
if nothing else finds it, when, with no SSN context word before it, it is grouped the
way Spanish numbers are said (3-3-3 or 3-2-2-2) or follows a phone word ("móvil",
"celular", "phone"...) and is not grouped as an SSN (3-2-4).
"""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import Pattern
from stdnum.us import ssn

from redactor import languages
from redactor.recognizers.base import ChecksumRecognizer

#: How a Spanish number is said in groups; an SSN is said 3-2-4.
PHONE_GROUPS = {(3, 3, 3), (3, 2, 2, 2)}
SSN_GROUPS = (3, 2, 4)
#: Words that announce a phone number, in any of our languages (pooled: calls mix them).
PHONE_WORDS = frozenset(languages.pooled(lambda lang: lang.phone_words))
#: How far before a number its context words are looked for (about one turn).
CONTEXT_CHARS = 80
_WORDS = re.compile(r"[^\W\d_]+")


class UsSsnRecognizer(ChecksumRecognizer):
    ENTITY = "US_SSN"
    PATTERNS = [
        Pattern("ssn_dashed", r"(?<![\d.-])\d{3}\s?-\s?\d{2}\s?-\s?\d{4}(?![\d-])", 0.5),
        Pattern("ssn_spaced", r"(?<![\d.-])\d{3}[\s.]\d{2}[\s.]\d{4}(?![\d-])", 0.4),
        Pattern("ssn_bare", r"(?<![\d.-])\d{8,10}(?![\d-])", 0.3),
        # A digit dropped or repeated by the recogniser: still SSN-shaped.
        Pattern("ssn_dashed_loose", r"(?<![\d.-])\d{3}-\d{1,3}-\d{3,5}(?![\d-])", 0.3),
    ]
    LENGTH = 9

    @staticmethod
    def is_valid(digits: str) -> bool:
        return bool(ssn.is_valid(digits))

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        rescored = super().rescore(text, start, end, score)
        if rescored is not None and self._spanish_phone(text, start, end):
            return min(rescored, self.INVALID_SCORE)
        return rescored

    def _spanish_phone(self, text: str, start: int, end: int) -> bool:
        groups = tuple(len(group) for group in re.findall(r"\d+", text[start:end]))
        if sum(groups) != self.LENGTH or groups == SSN_GROUPS:
            return False
        before = set(_WORDS.findall(text[max(0, start - CONTEXT_CHARS) : start].lower()))
        if before & set(self.context):
            return False  # "seguro social": an SSN whatever its grouping
        if groups not in PHONE_GROUPS and not before & PHONE_WORDS:
            return False
        try:
            number = phonenumbers.parse("".join(re.findall(r"\d", text[start:end])), "ES")
        except phonenumbers.NumberParseException:
            return False
        return bool(phonenumbers.is_valid_number_for_region(number, "ES"))
