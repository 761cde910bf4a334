"""NUMBER: three or more digits (or groups) dictated one at a time; amounts and dates stay."""

from __future__ import annotations

import pytest

from redactor.recognizers import DictatedNumberRecognizer

CASES = [
    # whisper's print of digits read one by one, a space before each separator
    ("E os três dígitos do gasto. 3 ,9 ,0. Em qual conta", ["3 ,9 ,0"]),
    ("y el CWB, 5 -4 -6. Me puede", ["5 -4 -6"]),
    ("el código, 1, 3, 0, 6, 6. Ya está", ["1, 3, 0, 6, 6"]),
    ("it's 4 2 7 thanks", ["4 2 7"]),
    # read in pairs, the question dropped by whisper (clear-tune-en-04: an SSN)
    ("One moment, please. 30, 85, 42. Can you give me", ["30, 85, 42"]),
    # stay readable: numbers said as numbers, amounts, dates, two groups
    ("são 390 reais em 3 vezes", []),
    ("10, 15 or 20 years", []),
    ("the plans cost 30, 45, 60 dollars", []),
    ("two bills, 30, 45 and 60", []),
    ("$ 5 -4 -6", []),
    ("at 10 -30 tomorrow", []),
    ("on 2024-05-01 at 10", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dictated_numbers(text: str, expected: list[str]) -> None:
    results = DictatedNumberRecognizer(supported_language="en").analyze(text, ["NUMBER"])
    assert [text[r.start : r.end] for r in results] == expected
