"""Our recognizers, registered from this one list.

To add one: write a module with a Presidio recognizer class (data at class level, a
``supported_language`` argument) and append the class here. ``detection.py`` builds one
instance per language from this list; users can switch any off by class name in config.
"""

from __future__ import annotations

from redactor.recognizers.base import ChecksumRecognizer
from redactor.recognizers.br_cnpj import BrCnpjRecognizer
from redactor.recognizers.br_cpf import BrCpfRecognizer
from redactor.recognizers.long_number import LongNumberRecognizer
from redactor.recognizers.us_ssn import UsSsnRecognizer

RECOGNIZERS: list[type[ChecksumRecognizer] | type[LongNumberRecognizer]] = [
    BrCpfRecognizer,
    BrCnpjRecognizer,
    UsSsnRecognizer,
    LongNumberRecognizer,
]

__all__ = [
    "RECOGNIZERS",
    "BrCnpjRecognizer",
    "BrCpfRecognizer",
    "LongNumberRecognizer",
    "UsSsnRecognizer",
]
