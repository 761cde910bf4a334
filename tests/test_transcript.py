"""Text built from words, and character spans mapped back to the words they came from."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redactor.transcript import Transcript
from redactor.types import Word


def make(*tokens: str) -> Transcript:
    return Transcript([Word(f" {t}", i, i + 0.5) for i, t in enumerate(tokens)], "pt", 10.0)


def test_text_and_offsets() -> None:
    t = make("Meu", "CPF", "é", "529.982.247-25.")
    assert t.text == "Meu CPF é 529.982.247-25."
    assert [t.text[s:e] for s, e in t.offsets] == ["Meu", "CPF", "é", "529.982.247-25."]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ((0, 3), [0]),
        ((4, 7), [1]),
        ((10, 24), [3]),
        ((2, 5), [0, 1]),
        ((3, 4), []),
        ((0, 25), [0, 1, 2, 3]),
        ((8, 9), [2]),
    ],
)
def test_word_range(span: tuple[int, int], expected: list[int]) -> None:
    assert list(make("Meu", "CPF", "é", "529.982.247-25.").word_range(*span)) == expected


@given(
    st.lists(st.text(alphabet="abc123.-", min_size=1, max_size=6), min_size=1, max_size=12),
    st.data(),
)
def test_every_character_of_a_word_maps_to_it(tokens: list[str], data: st.DataObject) -> None:
    t = make(*tokens)
    index = data.draw(st.integers(0, len(tokens) - 1))
    start, end = t.offsets[index]
    position = data.draw(st.integers(start, end - 1))
    assert list(t.word_range(position, position + 1)) == [index]


def test_empty_transcript() -> None:
    t = Transcript([], "en", 3.0)
    assert t.text == "" and list(t.word_range(0, 5)) == []
