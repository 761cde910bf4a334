"""NUMBER: long digit runs are redacted without context; money, dates and short numbers stay."""

from __future__ import annotations

import pytest

from redactor.recognizers import LongNumberRecognizer

CASES = [
    ("my number is 74581197 thanks", ["74581197"]),
    ("protocolo 2024 5567 8812", ["2024 5567 8812"]),
    ("é 9, 8, 7, 6, 5, 4, 3, 2, 1", ["9, 8, 7, 6, 5, 4, 3, 2, 1"]),
    ("call 555-123-4567", ["555-123-4567"]),
    # stay readable
    ("it costs $1,250,000.00 today", []),
    ("são 12.345.678 reais", []),
    ("R$ 12.345.678,00", []),
    ("on 2024-05-01 at 10:30", []),
    ("order 1234567", []),
    ("10, 15 or 20 years", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_long_numbers(text: str, expected: list[str]) -> None:
    results = LongNumberRecognizer(supported_language="en").analyze(text, ["NUMBER"])
    assert [text[r.start : r.end] for r in results] == expected
