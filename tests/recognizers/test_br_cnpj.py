"""BR_CNPJ: formatted, bare and read-out forms; checksum raises the score."""

from __future__ import annotations

import pytest

from redactor.recognizers import BrCnpjRecognizer

VALID = "11.222.333/0001-81"  # checksum-valid, a common example number

CASES = [
    (f"o cnpj é {VALID}", [(VALID, 1.0)]),
    ("cnpj 11222333000181", [("11222333000181", 1.0)]),
    ("cnpj 11.222.333 / 0001 - 81.", [("11.222.333 / 0001 - 81", 1.0)]),
    (
        "é 1, 1, 2, 2, 2, 3, 3, 3, 0, 0, 0, 1, 8, 1",
        [("1, 1, 2, 2, 2, 3, 3, 3, 0, 0, 0, 1, 8, 1", 1.0)],
    ),
    ("cnpj 11.222.333/0001-82", [("11.222.333/0001-82", 0.3)]),  # checksum fails: kept, low
    ("cnpj 1122233300018", [("1122233300018", 0.3)]),  # a digit dropped
    # not CNPJs
    ("são 1.500 reais em 3 parcelas", []),
    ("nota 2024/0001", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cnpj_matches(text: str, expected: list[tuple[str, float]]) -> None:
    results = BrCnpjRecognizer(supported_language="pt").analyze(text, ["BR_CNPJ"])
    assert sorted((text[r.start : r.end], r.score) for r in results) == sorted(expected)
