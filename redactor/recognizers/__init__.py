"""Our recognizers, registered from this one list.

To add one: write a module with a Presidio recognizer class (patterns at class level, a
``supported_language`` argument, its words per language read from ``redactor.languages``)
and append the class here. ``detection.py`` builds one
instance per language from this list; users can switch any off by class name in config.
"""

from __future__ import annotations

from typing import Protocol

from presidio_analyzer import EntityRecognizer

from redactor.recognizers.br_cnpj import BrCnpjRecognizer
from redactor.recognizers.br_cpf import BrCpfRecognizer
from redactor.recognizers.dictated_number import DictatedNumberRecognizer
from redactor.recognizers.es_dni import EsDniRecognizer
from redactor.recognizers.full_date import FullDateRecognizer
from redactor.recognizers.long_number import LongNumberRecognizer
from redactor.recognizers.names import PromptedNameRecognizer
from redactor.recognizers.password import PasswordRecognizer
from redactor.recognizers.pix import PixKeyRecognizer
from redactor.recognizers.prompted import PromptedNumberRecognizer
from redactor.recognizers.prompted_address import PromptedAddressRecognizer
from redactor.recognizers.spelled import SpelledWordRecognizer
from redactor.recognizers.spelled_answer import SpelledAnswerRecognizer
from redactor.recognizers.spoken_email import SpokenEmailRecognizer
from redactor.recognizers.street_address import StreetAddressRecognizer
from redactor.recognizers.us_ssn import UsSsnRecognizer
from redactor.recognizers.written_email import WrittenEmailRecognizer


class RecognizerClass(Protocol):
    """What the registry needs of a recognizer class: one instance per language."""

    def __call__(self, supported_language: str = ...) -> EntityRecognizer: ...


RECOGNIZERS: list[RecognizerClass] = [
    BrCpfRecognizer,
    BrCnpjRecognizer,
    UsSsnRecognizer,
    EsDniRecognizer,
    LongNumberRecognizer,
    DictatedNumberRecognizer,
    PromptedNumberRecognizer,
    PasswordRecognizer,
    PixKeyRecognizer,
    PromptedNameRecognizer,
    SpelledWordRecognizer,
    SpelledAnswerRecognizer,
    WrittenEmailRecognizer,
    SpokenEmailRecognizer,
    StreetAddressRecognizer,
    PromptedAddressRecognizer,
    FullDateRecognizer,
]

__all__ = [
    "RECOGNIZERS",
    "BrCnpjRecognizer",
    "BrCpfRecognizer",
    "DictatedNumberRecognizer",
    "EsDniRecognizer",
    "FullDateRecognizer",
    "LongNumberRecognizer",
    "PasswordRecognizer",
    "PixKeyRecognizer",
    "PromptedAddressRecognizer",
    "PromptedNameRecognizer",
    "SpelledAnswerRecognizer",
    "SpelledWordRecognizer",
    "SpokenEmailRecognizer",
    "StreetAddressRecognizer",
    "PromptedNumberRecognizer",
    "UsSsnRecognizer",
    "WrittenEmailRecognizer",
]
