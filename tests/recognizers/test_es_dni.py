"""ES_DNI: DNI and NIE with the control letter, as written or as said."""

from __future__ import annotations

import pytest

from redactor.recognizers import EsDniRecognizer

CASES = [
    ("mi DNI es 12345678Z", [("12345678Z", 1.0)]),
    ("mi DNI es 12345678-Z", [("12345678-Z", 1.0)]),
    ("el DNI 12 345 678, letra Z", [("12 345 678, letra Z", 1.0)]),
    ("mi NIE es X, 1 2 3 4 5 6 7, letra L", [("X, 1 2 3 4 5 6 7, letra L", 1.0)]),
    # the letter after a full stop, as whisper ends a sentence there
    ("mi DNI es 12345678. Letra Z. Perfecto", [("12345678. Letra Z", 1.0)]),
    ("dni 1, 2, 3, 4, 5, 6, 7, 8, z.", [("1, 2, 3, 4, 5, 6, 7, 8, z", 1.0)]),
    ("mi NIE es X1234567L", [("X1234567L", 1.0)]),
    ("NIE X 123 45 67 L", [("X 123 45 67 L", 1.0)]),
    ("mi DNI es 12345678A", [("12345678A", 0.3)]),  # wrong control letter: kept, low
    # the letter garbled after "letra" (clear Kokoro es): kept, low
    ("1, 8, 9, 6, 7, 6, 8, 1, letrarse. Listo.", [("1, 8, 9, 6, 7, 6, 8, 1, letrarse", 0.3)]),
    # "letra" itself misheard, the letter with it (clear Kokoro es tune)
    ("03, 53, 33, 91, le tracú. Ya está,", [("03, 53, 33, 91, le tracú", 0.3)]),
    ("Claro, es 38003191 detrás. Perfecto", [("38003191 detrás", 0.3)]),
    # ("o" read as the letter too: both kept, detection merges them)
    (
        "0, 0, 66, 28, 28 o letra seta. En qué",
        [("0, 0, 66, 28, 28 o", 0.3), ("0, 0, 66, 28, 28 o letra seta", 0.3)],
    ),
    # not DNIs
    ("son 1234 euros a las 5 de la tarde", []),
    ("el pedido 1234567 B", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dni(text: str, expected: list[tuple[str, float]]) -> None:
    results = EsDniRecognizer(supported_language="es").analyze(text, ["ES_DNI"])
    assert sorted((text[r.start : r.end], r.score) for r in results) == sorted(expected)
