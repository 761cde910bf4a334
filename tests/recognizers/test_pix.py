"""PIX_KEY: random keys (UUIDs), written or printed in pieces."""

from __future__ import annotations

import pytest

from redactor.recognizers import PixKeyRecognizer

KEY = "7f3a9c2e-1b4d-4e8a-9c2f-3d5e6a7b8c9d"

CASES = [
    (f"a chave aleatória é {KEY}", [KEY]),
    ("chave 7f3a9c2e 1b4d 4e8a 9c2f 3d5e6a7b8c9d ok", ["7f3a9c2e 1b4d 4e8a 9c2f 3d5e6a7b8c9d"]),
    (f"pix {KEY.upper()}.", [KEY.upper()]),
    # not UUIDs
    ("protocolo 7f3a9c2e-1b4d", []),
    (f"x{KEY}", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pix_key(text: str, expected: list[str]) -> None:
    results = PixKeyRecognizer(supported_language="pt").analyze(text, ["PIX_KEY"])
    assert [text[r.start : r.end] for r in results] == expected
