"""BR_CPF: formats a recogniser prints, checksum raising (not gating) the score."""

from __future__ import annotations

import pytest

from redactor.recognizers import BrCpfRecognizer

VALID = "529.982.247-25"  # checksum-valid, generated for tests

# (text, expected [(matched text, score)])
CASES = [
    (f"meu cpf é {VALID}", [(VALID, 1.0)]),
    ("meu cpf é 52998224725", [("52998224725", 1.0)]),
    ("cpf 529 982 247 25 obrigado", [("529 982 247 25", 1.0)]),
    ("é 529.982.247 - 25.", [("529.982.247 - 25", 1.0)]),
    # one misheard digit: checksum fails, the match stays at a low score (fail closed)
    ("cpf 529.982.247-24", [("529.982.247-24", 0.3)]),
    # a digit dropped or repeated by the recogniser: still CPF-shaped
    ("cpf 529.982.2477-25", [("529.982.2477-25", 0.3)]),
    # digits read out one by one or in groups, as whisper prints them
    ("meu CPF é 5, 2, 9, 9, 8, 2, 2, 4, 7, 2, 5.", [("5, 2, 9, 9, 8, 2, 2, 4, 7, 2, 5", 1.0)]),
    ("é 529 982 247 25", [("529 982 247 25", 1.0)]),
    ("cpf 52, 99, 82, 24, 72, 5 ok", [("52, 99, 82, 24, 72, 5", 1.0)]),
    ("cpf 5, 2, 9, 9, 8, 2, 2, 4, 7, 2", [("5, 2, 9, 9, 8, 2, 2, 4, 7, 2", 0.3)]),  # one dropped
    # not CPFs
    ("são 10, 15 ou 20 anos", []),
    ("1, 2, 3, 4, 5, 6, 7, 8", []),
    ("custa 1.500 reais às 10:30", []),
    ("protocolo 123456789", []),  # 9 digits
    ("número 1234567890123", []),  # 13 digits
    # one digit dropped or repeated in a bare run: kept low (fail closed)
    ("cpf 5299822472", [("5299822472", 0.3)]),
    ("cpf 529982247255", [("529982247255", 0.3)]),
    ("ip 10.0.0.1", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cpf_matches(text: str, expected: list[tuple[str, float]]) -> None:
    results = BrCpfRecognizer(supported_language="pt").analyze(text, ["BR_CPF"])
    found = sorted((text[r.start : r.end], r.score) for r in results)
    assert found == sorted(expected)


def test_context_words_per_language() -> None:
    assert "cpf" in BrCpfRecognizer(supported_language="pt").context
    assert "contribuyente" in BrCpfRecognizer(supported_language="es").context
    assert "taxpayer" in BrCpfRecognizer(supported_language="en").context
