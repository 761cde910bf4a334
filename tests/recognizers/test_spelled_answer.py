"""SPELLED: the short words that answer a request for a spelling."""

from __future__ import annotations

import pytest

from redactor.recognizers import SpelledAnswerRecognizer

CASES = [
    # letters whisper heard as short words (clear tune en, Piper's voice on a phone line)
    (
        "en",
        "Could you spell your last name for me? Hey, hey, hey, hey, hey.",
        ["Hey, hey, hey, hey, hey"],
    ),
    (
        "en",
        "Could you spell it for me? Hey, hell, hey, hey, okay, got it.",
        ["Hey, hell, hey, hey, okay, got it"],
    ),
    ("pt", "pode soletrar o sobrenome? É, ce, a, eme. Certo.", ["É, ce, a, eme. Certo"]),
    # whisper's full stop after each letter heard as a word (clear Piper en tune)
    (
        "en",
        "And can you spell the surname? Yeah. See. All right. Yes. See. To verify your identity",
        ["Yeah. See. All right. Yes. See"],
    ),
    (
        "en",
        "How do you spell your last name? Sure. Oh, hell, hell. I can't help. Where should I",
        ["Sure. Oh, hell, hell. I can't help"],
    ),
    ("es", "¿me lo deletrea? Be, e, ere, ene. Gracias.", ["Be, e, ere, ene"]),
    # letters listed with commas go on past SENTENCE_WORDS (clear-tune-en-07, S-H-A-N-N-O-N);
    # a sentence of short words with no commas does not ("Ok. We can do that.")
    (
        "en",
        "can you spell your last name? It's up, hey! Hey, and, and, oh, and, done. Your new bill "
        "will arrive before the 20th.",
        ["It's up, hey! Hey, and, and, oh, and, done"],
    ),
    ("en", "Can you spell it? B, O, B. Ok. We can do that now.", ["B, O, B. Ok"]),
    # an answer in long words, or none: nothing
    ("en", "Could you spell that? Absolutely, certainly.", []),
    ("en", "Can you spell it? Sure.", []),
    ("en", "How do you spell success", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_spelled_answers(language: str, text: str, expected: list[str]) -> None:
    results = SpelledAnswerRecognizer(supported_language=language).analyze(text, [])
    assert [text[r.start : r.end] for r in results] == expected
