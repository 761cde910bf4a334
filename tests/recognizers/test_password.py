"""PASSWORD: any words said after a password prompt, in the same sentence or the next."""

from __future__ import annotations

import pytest

from redactor.recognizers import PasswordRecognizer

CASES = [
    ("en", "my password is violet seven seven", ["violet seven seven"]),
    ("en", "what's the password on the account? maple 45.", ["maple 45"]),
    ("en", "the passcode: yes it's sunflower", ["sunflower"]),
    ("pt", "Qual é a sua senha? É bolinha123.", ["bolinha123"]),
    ("pt", "a senha é maria trinta e dois", ["maria trinta e dois"]),
    ("es", "mi contraseña es perro azul. Gracias.", ["perro azul"]),
    ("es", "¿cuál es la contraseña? pues girasol 12", ["girasol 12"]),
    # at most five words
    ("en", "the password is one two three four five six seven", ["one two three four five"]),
    # no answer given: nothing
    ("en", "I forgot my password yesterday", []),
    ("pt", "a senha do wifi eu não sei", []),
    ("es", "la contraseña", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_password(language: str, text: str, expected: list[str]) -> None:
    results = PasswordRecognizer(supported_language=language).analyze(text, [])
    assert [text[r.start : r.end] for r in results] == expected
    assert all(r.entity_type == "PASSWORD" for r in results)
