"""corpus.heard: how much of a call whisper really heard, the yardstick of the verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from corpus import heard
from corpus.score import misheard_calls
from tests.conftest import said


@pytest.mark.parametrize(
    ("spoken", "printed", "language", "share"),
    [
        # number words, digits one by one and a number all agree
        ("meu CPF é um dois três", "Meu CPF é 1, 2, 3.", "pt", 1.0),
        ("meu CPF é um dois três", "meu cpf é 123", "pt", 1.0),
        # accents and case do not matter
        ("Qual é o seu endereço?", "qual e o seu ENDERECO", "pt", 1.0),
        # garbage heard over a name: one word of two
        ("Jessica Prado", "Jessica, punto Prano", "es", 0.5),
        # nothing heard
        ("five three six", "", "en", 0.0),
        # the same words out of order count once, in order
        ("four five six", "six five four", "en", pytest.approx(1 / 3)),
    ],
)
def test_heard_share(spoken: str, printed: str, language: str, share: float) -> None:
    assert heard.heard_share(spoken, printed, language) == share


def test_misheard_share_is_the_time_of_the_pieces_misheard() -> None:
    truth: dict[str, Any] = {
        "language": "en",
        "pieces": [
            {"text": "What is your card number?", "start": 0.0, "end": 2.0},
            {"text": "four one one one", "start": 3.0, "end": 9.0},
            {"text": "thank you", "start": 10.0, "end": 12.0},
        ],
    }
    words = (
        said("What is your card number?", 0.0, 2.0)
        + said("For one at once", 3.0, 9.0)  # one token of four: misheard
        + said("thank you", 10.0, 12.0)
    )
    assert heard.misheard_share(truth, words) == 0.6  # 6 s of 10


def test_a_misheard_call_judged_good_is_named() -> None:
    shares = {"a": 0.05, "b": 0.2, "c": 0.5, "d": 0.9}
    verdicts = {"a": "good", "b": "good", "c": "degraded", "d": "unusable"}
    found = misheard_calls(shares, verdicts)
    assert (found["misheard_calls"], found["misheard_marked"]) == (3, 2)
    assert found["misheard_passed"] == ["b"]


def test_a_control_clip_finds_the_text_that_was_read(tmp_path: Path) -> None:
    """corpus.controls reads each data set's own way of keeping the text of a clip."""
    from corpus.controls import reference

    (tmp_path / "pico").mkdir()
    (tmp_path / "pico" / "transcripts.json").write_text('{"a.wav": "Que tal 607"}')
    (tmp_path / "ufpa").mkdir()
    (tmp_path / "ufpa" / "b.txt").write_text("Eu quero uma coxinha.")
    (tmp_path / "azure").mkdir()
    (tmp_path / "azure" / "trans.txt").write_text("other.wav\tno\naudio.wav\tUna vez finalizada\n")
    assert reference(tmp_path / "pico" / "a.wav") == "Que tal 607"
    assert reference(tmp_path / "pico" / "missing.wav") is None
    assert reference(tmp_path / "ufpa" / "b.wav") == "Eu quero uma coxinha."
    assert reference(tmp_path / "azure" / "audio.wav") == "Una vez finalizada"
    assert reference(tmp_path / "calls" / "agent1.wav") is None


def test_totals_weigh_languages_by_their_seconds() -> None:
    from corpus.score import totals

    def row(lang: str, pii: float, share: float) -> dict[str, Any]:
        return {
            "set": "hard", "split": "report", "language": lang,
            "pii_speech_seconds": pii, "pii_speech_bleeped": share,
            "other_speech_seconds": 10.0, "other_speech_bleeped": share,
            "other_speech_beyond_values": {"seconds": pii / 10, "bleeped": share},
            "misheard_calls": 2, "misheard_marked": 1,
        }  # fmt: skip

    (total,) = totals([row("es", 30.0, 1.0), row("en", 10.0, 0.6)])
    assert total["pii_bleeped"] / total["pii"] == pytest.approx(0.9)  # (30 + 6) / 40
    assert total["other_bleeped"] / total["other"] == pytest.approx(0.8)
    assert total["beyond_bleeped"] / total["beyond"] == pytest.approx(0.9)  # 3 s and 1 s
    assert (total["languages"], total["misheard_marked"], total["misheard_calls"]) == (
        ["es", "en"], 2, 4,
    )  # fmt: skip
