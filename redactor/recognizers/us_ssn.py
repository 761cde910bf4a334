"""US Social Security number: 9 digits, usually ddd-dd-dddd.

Replaces Presidio's UsSsnRecognizer, which drops anything failing its rules outright.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.us import ssn

from redactor.recognizers.base import ChecksumRecognizer


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
    CONTEXT = {
        "en": ["ssn", "social", "security", "ss"],
        "es": ["ssn", "seguro", "social"],
        "pt": ["ssn", "seguro", "social", "previdência"],
    }

    @staticmethod
    def is_valid(digits: str) -> bool:
        return bool(ssn.is_valid(digits))
