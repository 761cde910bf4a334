"""Brazilian CPF (Cadastro de Pessoas Físicas): 11 digits, usually ddd.ddd.ddd-dd."""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.br import cpf

from redactor.recognizers.base import ChecksumRecognizer


class BrCpfRecognizer(ChecksumRecognizer):
    ENTITY = "BR_CPF"
    PATTERNS = [
        Pattern("cpf_formatted", r"(?<![\d.-])\d{3}\.\d{3}\.\d{3}\s?[-–.]\s?\d{2}(?![\d-])", 0.5),
        Pattern("cpf_spaced", r"(?<![\d.-])\d{3}[\s.]\d{3}[\s.]\d{3}[\s.-]\d{2}(?![\d-])", 0.4),
        Pattern("cpf_bare", r"(?<![\d.-])\d{10,12}(?![\d-])", 0.3),
        # A digit dropped or repeated by the recogniser: still CPF-shaped.
        Pattern(
            "cpf_formatted_loose",
            r"(?<![\d.-])\d{2,4}\.\d{2,4}\.\d{2,4}\s?-\s?\d{1,3}(?![\d-])",
            0.3,
        ),
    ]
    LENGTH = 11

    @staticmethod
    def is_valid(digits: str) -> bool:
        return bool(cpf.is_valid(digits))
