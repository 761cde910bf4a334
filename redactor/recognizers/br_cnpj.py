"""Brazilian CNPJ (company registry number): 14 digits, usually dd.ddd.ddd/dddd-dd.

A sole trader's CNPJ identifies a person, and callers read it out like a CPF.
"""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.br import cnpj

from redactor.recognizers.base import ChecksumRecognizer


class BrCnpjRecognizer(ChecksumRecognizer):
    ENTITY = "BR_CNPJ"
    PATTERNS = [
        Pattern(
            "cnpj_formatted",
            r"(?<![\d.-])\d{2}\.?\d{3}\.?\d{3}\s?/\s?\d{4}\s?-\s?\d{2}(?![\d-])",
            0.5,
        ),
        Pattern("cnpj_bare", r"(?<![\d.-])\d{13,15}(?![\d-])", 0.3),
    ]
    LENGTH = 14

    @staticmethod
    def is_valid(digits: str) -> bool:
        return bool(cnpj.is_valid(digits))
