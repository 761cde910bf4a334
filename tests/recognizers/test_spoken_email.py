"""EMAIL_ADDRESS said aloud: words for "@" and ".", spelled user names, known domains."""

from __future__ import annotations

import pytest

from redactor.recognizers import SpokenEmailRecognizer

CASES = [
    (
        "pt",
        "é maria ponto silva arroba gmail ponto com",
        ["maria ponto silva arroba gmail ponto com"],
    ),
    ("en", "john dot smith at gmail dot com please", ["john dot smith at gmail dot com"]),
    (
        "es",
        "ana guion bajo ruiz arroba hotmail punto es",
        ["ana guion bajo ruiz arroba hotmail punto es"],
    ),
    (
        "pt",
        "o email é r y a n 7 4 arroba uol ponto com ponto br",
        ["r y a n 7 4 arroba uol ponto com ponto br"],
    ),
    ("en", "maria_silva at yahoo.com", ["maria_silva at yahoo.com"]),
    # a user name said in pieces, read back to the first word that is not part of it
    (
        "en",
        "it's j smith one two three at gmail dot com",
        ["j smith one two three at gmail dot com"],
    ),
    (
        "pt",
        "meu email é maria dois mil arroba uol ponto com",
        ["maria dois mil arroba uol ponto com"],
    ),
    # not addresses
    ("en", "I'm at home right now", []),
    ("en", "meet me at the office dot", []),
    ("pt", "estou em casa ponto final", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_spoken_email(language: str, text: str, expected: list[str]) -> None:
    results = SpokenEmailRecognizer(supported_language=language).analyze(text, ["EMAIL_ADDRESS"])
    assert [text[r.start : r.end] for r in results] == expected
