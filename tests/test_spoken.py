"""Spoken numbers to digits, every digit mapped back to the words it was said as."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import pytest

from redactor import spoken
from redactor.spoken import normalise

# (language, text, [(digit run in the normalised text, original words it maps to)])
CASES = [
    (
        "pt",
        "meu cpf é cinco, quatro, dois, um, quatro, seis. obrigado",
        [("5, 4, 2, 1, 4, 6", "cinco, quatro, dois, um, quatro, seis.")],
    ),
    ("pt", "são oitenta e nove reais às dez horas", [("89", "oitenta e nove"), ("10", "dez")]),
    ("pt", "um dois 3, 4, 5", [("1 2 3, 4, 5", "um dois 3, 4, 5")]),
    (
        "es",
        "es quinientos setenta, sesenta, cuarenta, sesenta y cinco, gracias",
        [("570, 60, 40, 65", "quinientos setenta, sesenta, cuarenta, sesenta y cinco,")],
    ),
    (
        "en",
        "my ssn is five three six, nine oh, four three nine nine",
        [("5 3 6, 9 0, 4 3 9 9", "five three six, nine oh, four three nine nine")],
    ),
    ("en", "one two three four", [("1 2 3 4", "one two three four")]),
    # "eight" as whisper hears it on a phone line: "hey" beside a digit, "a" between two
    ("en", "it's three, oh, three, hey, okay", [("3, 0, 3, 8", "three, oh, three, hey,")]),
    ("en", "it's O -O -A -7 -1", [("0 -0 -8 -7 -1", "O -O -A -7 -1")]),
    # digits mixed with words: a "3" made from "tres" must not tie to the "3" said later
    (
        "es",
        "es tres cuatro ocho 3 seis 6 siete",
        [("3 4 8 3 6 6 7", "tres cuatro ocho 3 seis 6 siete")],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_digits_map_back_to_words(
    language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    result = normalise(text, language)
    assert result is not None and len(result.source) == len(result.text)
    runs = []
    for match in re.finditer(r"\d(?:[\s,.-]*\d)*", result.text):
        start, end = result.original_span(match.start(), match.end())
        runs.append((match.group(), text[start:end]))
    assert runs[: len(expected)] == expected


def test_unchanged_characters_map_one_to_one() -> None:
    text = "o cpf é cinco dois, obrigado Maria"
    result = normalise(text, "pt")
    assert result is not None
    position = result.text.index("Maria")
    assert result.original_span(position, position + 5) == (text.index("Maria"), len(text))


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "five oh two", "5 02"),
        ("en", "double seven, nine", "7 7, 9"),
        ("en", "double oh seven", "007"),
        ("en", "triple five", "5 5 5"),
        ("pt", "três meia meia", "3 6 6"),
        ("es", "doble cinco, tres", "5 5, 3"),
        ("pt", "cinco, é, quatro, dois", "5, 4, 2"),  # hesitations inside a number
        ("en", "five uh three six", "5 3 6"),
        # separators said as words
        ("pt", "cinco seis sete traço zero", "5 6 7 - 0"),
        ("en", "nine oh two one oh dash one two", "9 02 1 0 - 1 2"),
        ("en", "one dash two dash three", "1 - 2 - 3"),
        ("es", "doce barra veintisiete", "12 / 27"),
        ("pt", "doze mil trezentos e quarenta e cinco, dígito seis", "12345 - 6"),
        # a tens or hundreds word misheard beside a number (clear Kokoro pt/es tune)
        ("pt", "no sessitenta e oito", "no 68"),
        ("pt", "trinta e seis, treventos e trinta e três", "36, 333"),
        ("es", "ese, cinquenta y siete, seis", "ese, 57, 6"),
        ("es", "ochenta y tres, veintidó, sesenta y siete", "83, 22, 67"),  # one word, 21-29
        ("en", "seven, star, star, eight, two", "7, 4, 4, 8, 2"),  # "four" (clear Piper en)
        ("pt", "Certo, cinco", "Certo, 5"),  # short words are not taken ("cento")
        ("es", "la cuenta, cinco", "la cuenta, 5"),  # nor "cuenta" ("cuarenta")
        # digit words beside written digits, which text2num leaves alone
        ("pt", "3 um 9", "3 1 9"),
        ("pt", "zero 8 6", "0 8 6"),
        ("pt", "um seis 7", "1 6 7"),
        # homophones between digits
        ("en", "four one for one", "4 1 4 1"),
        ("en", "five ate two", "5 8 2"),
        # letter names beside digits (a NIE)
        ("es", "equis siete siete ele", "X 7 7 L"),
        # words the recogniser made of a digit, inside a long reading: a "0" placeholder
        ("pt", "cinco, um, nobe, nobe, quatro, seis, dois", "5, 1, 0, 0, 4, 6, 2"),
        ("pt", "0, 3, 0, 8, 6, 0, Norby, Norby, 3, 0", "0, 3, 0, 8, 6, 0, 0, 0, 3, 0"),
        ("en", "4 1 flurb 5 9 2 6", "4 1 0 5 9 2 6"),
    ],
)
def test_digit_words_text2num_misses(language: str, text: str, expected: str) -> None:
    result = normalise(text, language)
    assert result is not None and result.text == expected
    assert result.original_span(0, len(result.text)) == (0, len(text))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("pt", "meia hora depois"),
        ("en", "oh I see"),
        ("en", "double check it"),
        ("en", "the star of the show"),
        ("en", ""),
        ("pt", "o CPF é meu"),
        ("en", "going to the bank for money"),
        ("pt", "traço de cor"),
        ("es", "ese de ahí"),
        # alike a number word, but not beside a number: "quarenta"
        ("pt", "estou em quarentena desde ontem"),
    ],
)
def test_words_that_are_not_digits_here(language: str, text: str) -> None:
    assert normalise(text, language) is None


@pytest.mark.parametrize("text", ["nothing to convert here", "", "I have one dog"])
def test_nothing_to_convert(text: str) -> None:
    assert normalise(text, "en") is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "4 1 flurb 5 9", None),  # a short reading: the word stays a word
        ("pt", "entre 1 e 2, 3 ou 4, 5 a 6", None),  # common words between digits
        ("en", "1 2 3 dash 4 5 6 7", "1 2 3 - 4 5 6 7"),  # a separator, not a digit
    ],
)
def test_words_between_digits_that_are_not_misheard_digits(
    language: str, text: str, expected: str | None
) -> None:
    result = normalise(text, language)
    assert (result.text if result else None) == expected


def test_a_long_transcript_is_aligned_window_by_window_as_it_would_be_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows give the map one alignment of the whole would give, far past one window."""
    said = [text for language, text, _ in CASES if language == "pt"] + [
        "quero parcelar quatrocentos e cinquenta reais em três vezes, obrigado.",
        "o CEP é sete oito nove, um dois. Certo, e o número da casa? Cento e doze.",
    ]
    text = " ".join(said * 20)
    assert len(text.split()) > 2 * spoken.WINDOW
    windowed = normalise(text, "pt")
    monkeypatch.setattr(spoken, "WINDOW", 10**6)
    assert windowed == normalise(text, "pt")


def test_a_loop_of_number_words_is_aligned_a_window_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """difflib is slow on a loop whisper printed ("mil e" a thousand times took 30 s): it is
    never given more than a window of one."""
    sizes: list[int] = []

    class Counted(SequenceMatcher):  # type: ignore[type-arg]
        def __init__(self, a: list[str], b: list[str], autojunk: bool) -> None:
            sizes.append(max(len(a), len(b)))
            super().__init__(a=a, b=b, autojunk=autojunk)

    monkeypatch.setattr(spoken, "SequenceMatcher", Counted)
    found = normalise("mil e " * 1000, "pt")
    assert found is not None and found.text.startswith("1000 e 1000")
    assert sizes and max(sizes) <= spoken.WINDOW
