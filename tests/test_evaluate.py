"""The evaluation harness: recall, leaks and over-redaction are counted as documented."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from redactor.errors import UsageError
from redactor.evaluate import Case, Item, leaked, load_cases, score_audio, score_text
from redactor.pipeline import RedactedText
from redactor.types import Entity

CPF = "529.982.247-25"


@pytest.mark.parametrize(
    ("value", "redacted", "language", "expected"),
    [
        (CPF, "meu cpf é <BR_CPF>", "pt", False),
        (CPF, "meu cpf é 529<BR_CPF>", "pt", False),  # 3 digits only
        (CPF, "meu cpf é 529.982<BR_CPF>", "pt", True),  # 6 digits in one run
        (CPF, "meu cpf é 5299<BR_CPF>", "pt", True),
        (CPF, "é 5, 2, 9, 9 e o resto <BR_CPF>", "pt", True),  # read out digit by digit
        (CPF, "é cinco, dois, nove, nove <BR_CPF>", "pt", True),  # as words
        ("536-90-4399", "it is 4399 <US_SSN>", "en", True),
        ("Maria Silva", "falo com a <PERSON> Silva", "pt", True),
        ("Maria Silva", "falo com a <PERSON>", "pt", False),
        ("Bo Li", "this is Bo Li", "en", False),  # no token of 3+ letters
        ("maria.silva@gmail.com", "mail <EMAIL_ADDRESS> at gmail dot com", "en", False),
        ("maria.silva@gmail.com", "mail maria <EMAIL_ADDRESS>", "en", True),
        ("739", "the CVV is 7 3 9", "en", True),  # a short number: all of it
        ("739", "the CVV is seven three nine", "en", True),
        ("739", "the CVV is <CVV>, 73", "en", False),
        ("bolinha123", "a senha é <PASSWORD>", "pt", False),
        ("bolinha123", "a senha é bolinha <PASSWORD>", "pt", True),
        ("Violet", "my name is V-I-O-L-E-T", "en", True),  # spelled out
        ("Violet", "my name is V I O L E T", "en", True),
        ("Violet", "my name is <SPELLED>", "en", False),
    ],
)
def test_leaked(value: str, redacted: str, language: str, expected: bool) -> None:
    assert leaked(value, redacted, language) is expected


def fixed(entities: list[Entity], redacted: str) -> Callable[[str, str], RedactedText]:
    return lambda text, lang: RedactedText(redacted, entities, [])


def test_score_text_counts_recall_leak_and_over_redaction() -> None:
    text = f"meu cpf é {CPF} ok"  # the CPF at 10..24
    case = Case(text, "pt", [Item("BR_CPF", 10, 24, CPF)])
    # covers 90% of the CPF and the word "ok" too
    entities = [Entity("BR_CPF", 11, 24, 1.0, "r"), Entity("X", 25, 27, 1.0, "r")]
    report = score_text([case], fixed(entities, "meu cpf é 5<BR_CPF> <X>"))
    tally = report.by_type[("pt", "BR_CPF")]
    assert (tally.items, tally.found, tally.leaked) == (1, 1, 0)
    non_pii = len(text.replace(" ", "")) - len(CPF)
    assert report.over_redaction("pt") == pytest.approx(2 / non_pii)


def test_recall_needs_ninety_percent() -> None:
    case = Case(f"cpf {CPF}", "pt", [Item("BR_CPF", 4, 18, CPF)])
    report = score_text([case], fixed([Entity("BR_CPF", 4, 15, 1.0, "r")], "cpf <BR_CPF>-25"))
    assert report.by_type[("pt", "BR_CPF")].found == 0


def test_load_cases(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    lines = [
        {
            "text": f"cpf {CPF}",
            "lang": "pt",
            "pii": [{"type": "BR_CPF", "start": 4, "end": 18, "value": CPF}],
        },
        {"text": "hello", "lang": "en", "pii": []},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    assert [c.lang for c in load_cases(path)] == ["pt", "en"]
    assert [c.lang for c in load_cases(path, "en")] == ["en"]
    path.write_text('{"text": "secret 536-90-4399"}\n')
    with pytest.raises(UsageError, match="line 1") as error:
        load_cases(path)
    assert "536" not in str(error.value)


def test_score_audio(tmp_path: Path) -> None:
    truth = {
        "audio": "call.wav",
        "pieces": [{"start": 0.0, "end": 2.0}, {"start": 3.0, "end": 5.0}],
        "pii": [{"type": "BR_CPF", "value": CPF, "start": 3.0, "end": 5.0}],
    }
    (tmp_path / "truth").mkdir()
    (tmp_path / "truth" / "call.truth.json").write_text(json.dumps(truth))
    (tmp_path / "out").mkdir()
    bleeps = {"bleeps": [{"start": 1.5, "end": 4.5}]}
    (tmp_path / "out" / "call.bleeps.json").write_text(json.dumps(bleeps))
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    assert figures["pii_speech_bleeped"] == pytest.approx(0.75)  # 1.5 of 2 s
    assert figures["other_speech_bleeped"] == pytest.approx(0.25)  # 0.5 of 2 s
    assert figures["pii_by_type"] == {"BR_CPF": {"seconds": 2.0, "bleeped": 0.75}}


def test_score_audio_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "truth").mkdir()
    (tmp_path / "out").mkdir()
    with pytest.raises(UsageError, match="no \\*.truth.json"):
        score_audio(tmp_path / "out", tmp_path / "truth")
    (tmp_path / "truth" / "call.truth.json").write_text("{not json")
    with pytest.raises(UsageError, match="call.truth.json"):
        score_audio(tmp_path / "out", tmp_path / "truth")
