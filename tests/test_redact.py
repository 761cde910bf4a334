"""Replacement operators and the per-word view of the redacted text."""

from __future__ import annotations

import re

import pytest

from redactor.redact import redact, redact_range
from redactor.types import Entity

TEXT = "meu cpf é 529.982.247-25 e o ssn 536 90 4399 ok"
ENTITIES = [Entity("BR_CPF", 10, 24, 1.0, "r"), Entity("US_SSN", 33, 44, 1.0, "r")]


def test_tag_is_default() -> None:
    redacted, placements = redact(TEXT, ENTITIES)
    assert redacted == "meu cpf é <BR_CPF> e o ssn <US_SSN> ok"
    assert [redacted[p.start : p.end] for p in placements] == ["<BR_CPF>", "<US_SSN>"]


def test_mask() -> None:
    redacted, _ = redact(TEXT, ENTITIES, "mask")
    assert redacted == "meu cpf é " + "*" * 14 + " e o ssn " + "*" * 11 + " ok"


def test_hash_is_salted_and_stable_with_a_salt() -> None:
    salt = "s" * 16
    first, _ = redact(TEXT, ENTITIES, "hash", salt)
    again, _ = redact(TEXT, ENTITIES, "hash", salt)
    other, _ = redact(TEXT, ENTITIES, "hash", "t" * 16)
    assert first == again != other
    assert "529" not in first and re.search(r"[0-9a-f]{64}", first)


def test_neighbouring_entities_of_one_type_keep_their_places() -> None:
    text = "Maria Silva e João Souza"
    entities = [
        Entity("PERSON", 0, 5, 0.8, "r"),
        Entity("PERSON", 6, 11, 0.8, "r"),
        Entity("PERSON", 14, 18, 0.8, "r"),
    ]
    redacted, placements = redact(text, entities)
    assert redacted == "<PERSON> <PERSON> e <PERSON> Souza"
    assert [redacted[p.start : p.end] for p in placements] == ["<PERSON>"] * 3


def test_no_entities() -> None:
    assert redact(TEXT, []) == (TEXT, [])


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ((0, 3), "meu"),
        ((10, 24), "<BR_CPF>"),
        ((33, 36), "<US_SSN>"),
        ((37, 39), ""),
        ((40, 44), ""),
        ((45, 47), "ok"),
    ],
)
def test_redact_range_per_word(span: tuple[int, int], expected: str) -> None:
    _, placements = redact(TEXT, ENTITIES)
    assert redact_range(TEXT, placements, *span) == expected


def test_redact_range_partial_word() -> None:
    text = "CPF:529.982.247-25"
    entities = [Entity("BR_CPF", 4, 18, 1.0, "r")]
    _, placements = redact(text, entities)
    assert redact_range(text, placements, 0, len(text)) == "CPF:<BR_CPF>"
