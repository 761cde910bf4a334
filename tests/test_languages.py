"""The language registry: every language is covered by every recognizer, the digit view and
the schemas, and a language that leaves a field empty gets nothing found, never an error."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from redactor import config, languages, spoken
from redactor.errors import ConfigError
from redactor.languages import LANGUAGES, Language
from redactor.recognizers import RECOGNIZERS
from redactor.recognizers.base import DataPatternRecognizer

SCHEMAS = Path(languages.__file__).parent.parent / "schemas"
CODES = list(LANGUAGES)

# What each recognizer reads from its language: must be non-empty for every language.
# A new recognizer must be listed here or in POOLED_ONLY (so adding one forces the choice).
LANGUAGE_DATA: dict[str, Callable[[Any], object]] = {
    "BrCpfRecognizer": lambda r: r.context,
    "BrCnpjRecognizer": lambda r: r.context,
    "UsSsnRecognizer": lambda r: r.context,
    "EsDniRecognizer": lambda r: r.context,
    "PixKeyRecognizer": lambda r: r.context,
    "SpokenEmailRecognizer": lambda r: r.context,
    "StreetAddressRecognizer": lambda r: r.context,
    "PromptedNumberRecognizer": lambda r: r.prompts,
    "PasswordRecognizer": lambda r: r.prompt,
    "PromptedNameRecognizer": lambda r: r.strong and r.weak and r.stop,
    "PromptedAddressRecognizer": lambda r: r.prompt.pattern != "(?!)",
    "SpelledAnswerRecognizer": lambda r: r.prompt.pattern != "(?!)",
}
#: Recognizers whose words (if any) are pooled over all languages.
POOLED_ONLY = {
    "LongNumberRecognizer",
    "DictatedNumberRecognizer",
    "SpelledWordRecognizer",
    "FullDateRecognizer",
    "WrittenEmailRecognizer",  # no words: Presidio's context word "email"
}

# Fields a language may leave empty, and why. Every other field must be filled, so a new
# language module cannot forget one silently.
MAY_BE_EMPTY = {
    # no DNI letters
    "pt": {
        "letter_names",
        "ambiguous_letters",
        "street_types_after_name",
        "misheard_letter_prompts",
    },
    "es": {"neighbour_digits", "between_digits", "street_types_after_name"},
    # "42 Oak Street": the type comes after the name; English writes no letter beyond a-z
    "en": {
        "street_types_before_name",
        "letters",
        "email_sure_at_words",
        "misheard_letter_prompts",
    },
}

# A number read out digit by digit, and its digits (the spoken-number view).
DIGITS = {
    "pt": ("meu cpf é cinco, quatro, dois, um, zero, nove", "5, 4, 2, 1, 0, 9"),
    "es": ("mi teléfono es seis uno dos, tres cuatro cinco", "6 1 2, 3 4 5"),
    "en": ("my pin is four three two one", "4 3 2 1"),
}


def test_codes_and_messages_come_from_the_registry() -> None:
    assert all(code == language.code for code, language in LANGUAGES.items())
    assert tuple(CODES) == config.LANGUAGES
    assert config.CHOICES["language"] == (*CODES, "auto")
    assert languages.listed() == ", ".join(CODES)
    assert languages.listed(" or").endswith(f" or {CODES[-1]}")


def test_transcript_schema_lists_exactly_the_registry() -> None:
    """Update ``language.enum`` in transcript.schema.json when adding a language."""
    schema = json.loads((SCHEMAS / "transcript.schema.json").read_text())
    assert schema["properties"]["language"]["enum"] == CODES


def test_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no support for language 'xx'"):
        languages.get("xx")


def test_import_is_light() -> None:
    """``redactor --help`` imports the registry: no NLP or ASR library may come with it."""
    code = (
        "import sys, redactor.languages; "
        "print([m for m in ('spacy', 'presidio_analyzer', 'faster_whisper', 'text_to_num') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_field_but_code_and_name_defaults_to_empty() -> None:
    """The fallback rule: a field a language leaves out is empty (ner_model: None)."""
    bare = Language(code="xx", name="Nothing")
    for field in dataclasses.fields(Language):
        if field.name not in ("code", "name"):
            assert not getattr(bare, field.name), field.name


@pytest.mark.parametrize("code", CODES)
def test_language_fills_every_field(code: str) -> None:
    language = LANGUAGES[code]
    empty = {
        field.name
        for field in dataclasses.fields(Language)
        if not getattr(language, field.name) and field.name != "ner_model"
    }
    assert empty == MAY_BE_EMPTY.get(code, set())


def test_every_recognizer_is_covered() -> None:
    names = {getattr(cls, "__name__", "") for cls in RECOGNIZERS}
    assert names == set(LANGUAGE_DATA) | POOLED_ONLY


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("recognizer", RECOGNIZERS, ids=lambda cls: cls.__name__)
def test_recognizer_has_data_for_every_language(recognizer: Any, code: str) -> None:
    instance = recognizer(supported_language=code)
    data = LANGUAGE_DATA.get(recognizer.__name__)
    if data is not None:
        assert data(instance), f"{recognizer.__name__} has nothing for {code}"
    if recognizer.__name__ in POOLED_ONLY:
        assert not isinstance(instance, DataPatternRecognizer) or not instance.context


def test_digit_table_covers_every_language() -> None:
    assert set(DIGITS) == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_spoken_view_reads_digits(code: str) -> None:
    said, digits = DIGITS[code]
    normalised = spoken.normalise(said, code)
    assert normalised is not None
    assert digits in normalised.text


@pytest.mark.parametrize(
    ("code", "word"),
    [(code, word) for code, language in LANGUAGES.items() for word in language.digit_words],
)
def test_every_digit_word_becomes_a_digit(code: str, word: str) -> None:
    """Each digit word of each language, beside written digits, becomes a digit."""
    normalised = spoken.normalise(f"7 {word} 7", code)
    assert normalised is not None
    assert re.fullmatch(r"7 \d 7", normalised.text), normalised.text


def test_a_language_with_empty_fields_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """No KeyError and no other language's words: every recognizer and the digit view
    work for a bare language, and find nothing language-specific."""
    monkeypatch.setitem(LANGUAGES, "xx", Language(code="xx", name="Bare"))
    text = "my name is bob, the password is violet, my pin is 1234, cinco quatro"
    recognizer: Any
    for recognizer in RECOGNIZERS:
        instance = recognizer(supported_language="xx")
        if recognizer.__name__ in LANGUAGE_DATA:
            assert not LANGUAGE_DATA[recognizer.__name__](instance)
        instance.analyze(text, [], None)
    assert spoken.normalise(text, "xx") is None


def test_digit_words_without_number_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """A language that lists digit words but no tens or hundreds gets no misheard ones."""
    bare_tens = dataclasses.replace(LANGUAGES["pt"], code="xy", number_words=())
    monkeypatch.setitem(LANGUAGES, "xy", bare_tens)
    assert spoken.spell_digits("sessitenta e oito", "xy") == "sessitenta e oito"
    assert spoken.spell_digits("sessitenta e oito", "pt") == "sessenta e oito"
