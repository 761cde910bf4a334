"""SPELLED: words spelled letter by letter, in the ways a recogniser prints them."""

from __future__ import annotations

import pytest

from redactor.recognizers import SpelledWordRecognizer

CASES = [
    ("my last name is V-I-O-L-E-T", "en", ["V-I-O-L-E-T"]),
    ("it's K I N G, king", "en", ["K I N G"]),
    ("meu sobrenome é C. A. M. P. O. S", "pt", ["C. A. M. P. O. S"]),
    ("¿cómo se escribe? s, A, E, z", "es", ["s, A, E, z"]),
    ("é m de Maria, a de amor, r de rato", "pt", ["m de Maria, a de amor, r de rato"]),
    (
        "b as in bravo, o as in oscar, b as in bravo",
        "en",
        ["b as in bravo, o as in oscar, b as in bravo"],
    ),
    # not spelling
    ("eu e a o", "pt", []),  # short words that are letters too
    ("é a minha conta", "pt", []),
    ("the A team", "en", []),
    ("U.S. mail", "en", []),  # two letters only
]


@pytest.mark.parametrize(("text", "language", "expected"), CASES)
def test_spelled(text: str, language: str, expected: list[str]) -> None:
    results = SpelledWordRecognizer(supported_language=language).analyze(text, ["SPELLED"])
    assert [text[r.start : r.end] for r in results] == expected
