"""NUMBER: long digit runs are redacted without context; money, dates and short numbers stay."""

from __future__ import annotations

import pytest

from redactor.recognizers import LongNumberRecognizer

CASES = [
    ("my number is 74581197 thanks", ["74581197"]),
    ("protocolo 2024 5567 8812", ["2024 5567 8812"]),
    ("é 9, 8, 7, 6, 5, 4, 3, 2, 1", ["9, 8, 7, 6, 5, 4, 3, 2, 1"]),
    ("call 555-123-4567", ["555-123-4567"]),
    # "and" between groups of one or two digits (a card said in pairs)
    ("apunte, 49 y 11, 70 y 97, 90 y 6, 95. Gracias", ["49 y 11, 70 y 97, 90 y 6, 95"]),
    ("é 3 7 9 8 3 5 9 e 3 000, 1, 6, 3.", ["3 7 9 8 3 5 9 e 3 000, 1, 6, 3"]),
    # stay readable
    ("it costs $1,250,000.00 today", []),
    ("são 12.345.678 reais", []),
    ("R$ 12.345.678,00", []),
    ("on 2024-05-01 at 10:30", []),
    ("order 1234567", []),
    ("10, 15 or 20 years", []),
    ("between 1999 and 2005", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_long_numbers(text: str, expected: list[str]) -> None:
    results = LongNumberRecognizer(supported_language="en").analyze(text, ["NUMBER"])
    assert [text[r.start : r.end] for r in results] == expected
