"""US_SSN: formats a recogniser prints; python-stdnum validity raises the score."""

from __future__ import annotations

import pytest

from redactor.recognizers import UsSsnRecognizer

CASES = [
    ("my social security number is 536-90-4399", [("536-90-4399", 1.0)]),
    ("it's 536 90 4399 thanks", [("536 90 4399", 1.0)]),
    ("536904399", [("536904399", 1.0)]),
    ("536 - 90 - 4399", [("536 - 90 - 4399", 1.0)]),
    # invalid by the SSA rules (area 000, 666, 9xx; group 00; serial 0000): kept, low score
    ("ssn 000-12-3456", [("000-12-3456", 0.3)]),
    ("ssn 666-12-3456", [("666-12-3456", 0.3)]),
    ("ssn 536-00-4399", [("536-00-4399", 0.3)]),
    ("ssn 536-90-0000", [("536-90-0000", 0.3)]),
    # a repeated digit, as whisper prints it
    ("ssn 536-90-43999", [("536-90-43999", 0.3)]),
    # digits read out one by one
    ("it's 5, 3, 6, 9, 0, 4, 3, 9, 9.", [("5, 3, 6, 9, 0, 4, 3, 9, 9", 1.0)]),
    ("five three six: 536, 90, 4399", [("536, 90, 4399", 1.0)]),
    # not SSNs
    ("I paid 1,500.00 last month", []),
    ("10, 15 or 20 years", []),
    ("it costs 1,250 dollars at 10:30", []),
    ("order 1234567", []),
    ("order 12345678901", []),
    # a digit dropped by the recogniser, as whisper printed a sample's SSN
    ("my social security number is 74581197.", [("74581197", 0.3)]),
    ("2024-05-01", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_ssn_matches(text: str, expected: list[tuple[str, float]]) -> None:
    results = UsSsnRecognizer(supported_language="en").analyze(text, ["US_SSN"])
    found = sorted((text[r.start : r.end], r.score) for r in results)
    assert found == sorted(expected)


# Spanish phone numbers are 9 digits, most of them valid SSNs: grouped as a phone number is
# said, or after a phone word, they stay at the low score (PhoneRecognizer types them); said
# as an SSN (3-2-4) or after an SSN word, they are SSNs.
BY_LANGUAGE = [
    ("es", "Mi móvil es 612 345 678", [("612 345 678", 0.3)]),
    ("es", "mi teléfono es 612 345 678", [("612 345 678", 0.3)]),
    ("es", "mi teléfono es 612345678", [("612345678", 0.3)]),
    ("es", "el fijo es 812 34 56 78", [("812 34 56 78", 0.3)]),
    ("es", "mi número de seguro social es 612 34 5678", [("612 34 5678", 1.0)]),
    ("es", "mi seguro social es 612 345 678", [("612 345 678", 1.0)]),
    ("es", "mi teléfono es 536 904 399", [("536 904 399", 1.0)]),  # not a Spanish number
    ("pt", "meu celular é 612 345 678", [("612 345 678", 0.3)]),
    ("pt", "o número do seguro social é 612-34-5678", [("612-34-5678", 1.0)]),
    ("pt", "anota aí: 612 34 5678", [("612 34 5678", 1.0)]),
    ("en", "my phone is 612 345 678", [("612 345 678", 0.3)]),
    ("en", "it's 6, 1, 2, 3, 4, 5, 6, 7, 8 on my mobile", [("6, 1, 2, 3, 4, 5, 6, 7, 8", 1.0)]),
    ("en", "my mobile: 6, 1, 2, 3, 4, 5, 6, 7, 8", [("6, 1, 2, 3, 4, 5, 6, 7, 8", 0.3)]),
    ("en", "call my cell, it's 612-34-5678", [("612-34-5678", 1.0)]),  # the SSN shape
    ("en", "my ssn is 612 345 678", [("612 345 678", 1.0)]),
]


@pytest.mark.parametrize(("language", "text", "expected"), BY_LANGUAGE)
def test_spanish_phone_numbers_are_not_ssns(
    language: str, text: str, expected: list[tuple[str, float]]
) -> None:
    results = UsSsnRecognizer(supported_language=language).analyze(text, ["US_SSN"])
    assert sorted((text[r.start : r.end], r.score) for r in results) == sorted(expected)


@pytest.mark.parametrize(
    ("language", "word"), [("en", "security"), ("es", "seguro"), ("pt", "social")]
)
def test_context_words(language: str, word: str) -> None:
    assert word in UsSsnRecognizer(supported_language=language).context
