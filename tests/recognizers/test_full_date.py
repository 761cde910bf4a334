"""DATE: a full date with its year; a date without one stays."""

from __future__ import annotations

import pytest

from redactor.recognizers import FullDateRecognizer

CASES = [
    ("en", "born 2/10/1985 in Ohio", ["2/10/1985"]),
    ("en", "at 1978-07-13 07:00:28 sharp", ["1978-07-13 07:00:28"]),
    ("en", "on March 3rd, 1985 I think", ["March 3rd, 1985"]),
    ("en", "the 3rd of March 1985", ["the 3rd of March 1985"]),
    ("pt", "nasci em 12 de março de 1985", ["12 de março de 1985"]),
    ("es", "el 3 de mayo de 1990, sí", ["3 de mayo de 1990"]),
    # no year, or not a date: stays
    ("en", "the last payment was on March 12th, correct?", []),
    ("pt", "paguei no dia 12 de março", []),
    ("en", "I paid 3/4 of it in 2019", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_full_dates(language: str, text: str, expected: list[str]) -> None:
    results = FullDateRecognizer(supported_language=language).analyze(text, [])
    assert [text[r.start : r.end] for r in results] == expected
