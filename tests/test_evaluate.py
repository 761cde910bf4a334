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


Bleep = tuple[float, float, str]  # start, end, entity label
Pii = tuple[str, str, float, float]  # type, value, start, end


def write_call(
    folder: Path,
    stem: str,
    pieces: list[tuple[float, float]],
    pii: list[Pii],
    bleeps: list[Bleep],
    redacted: str,
    language: str = "pt",
) -> None:
    """A truth file under folder/truth, the call's bleep map and redacted text under
    folder/out: what `redactor run` would have written (speakers and forms left out)."""
    truth = {
        "schema": "redactor.truth/1",
        "audio": f"{stem}.wav",
        "language": language,
        "pieces": [{"text": "...", "start": s, "end": e} for s, e in pieces],
        "pii": [{"type": t, "value": v, "start": s, "end": e} for t, v, s, e in pii],
    }
    (folder / "truth").mkdir(parents=True, exist_ok=True)
    (folder / "truth" / f"{stem}.truth.json").write_text(json.dumps(truth))
    out = folder / "out" / language
    out.mkdir(parents=True, exist_ok=True)
    ranges = [{"start": s, "end": e, "entity": label, "channel": None} for s, e, label in bleeps]
    (out / f"{stem}.bleeps.json").write_text(json.dumps({"bleeps": ranges}))
    (out / f"{stem}.redacted.txt").write_text(redacted)


def test_score_audio(tmp_path: Path) -> None:
    write_call(
        tmp_path,
        "call",
        [(0.0, 2.0), (3.0, 5.0)],
        [("BR_CPF", CPF, 3.0, 5.0)],
        [(1.5, 4.5, "BR_CPF")],
        "meu cpf é <BR_CPF>",
    )
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    assert figures["pii_speech_bleeped"] == pytest.approx(0.75)  # 1.5 of 2 s
    assert figures["other_speech_bleeped"] == pytest.approx(0.25)  # 0.5 of 2 s
    assert figures["pii_by_type"] == {"BR_CPF": {"seconds": 2.0, "bleeped": 0.75}}


def test_score_audio_counts_overlapping_time_once(tmp_path: Path) -> None:
    """A stereo call bleeps both speakers at once, and a reviewer's mark can overlap a
    bleep that was too short: each second of PII or of bleep counts once."""
    write_call(
        tmp_path,
        "call",
        [(0.0, 6.0)],
        [("PERSON", "", 2.0, 3.0), ("PERSON", "", 2.5, 4.0)],  # a bleep, and a mark past it
        [(2.0, 3.0, "PERSON"), (2.0, 3.0, "PERSON")],  # channel 0 and channel 1
        "falo com <PERSON>",
    )
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    assert figures["pii_speech_seconds"] == pytest.approx(2.0)
    assert figures["pii_speech_bleeped"] == pytest.approx(0.5)
    assert figures["other_speech_bleeped"] == 0.0
    assert figures["other_speech_seconds"] == pytest.approx(4.0)


def test_score_audio_finds_a_reviewers_truth_by_the_input(tmp_path: Path) -> None:
    """A truth file downloaded from `redactor review` names the call by its input's sha256,
    not by a file name; two outputs of one input are refused, not guessed between."""
    write_call(tmp_path, "call", [(0.0, 2.0)], [("PERSON", "", 0.5, 1.0)], [], "x")
    truth_path = tmp_path / "truth" / "call.truth.json"
    truth = json.loads(truth_path.read_text())
    truth |= {"audio": "0123456789ab.wav", "input_sha256": "ab" * 32}
    truth_path.write_text(json.dumps(truth))
    out = tmp_path / "out" / "pt"
    (out / "call.redacted.json").write_text(json.dumps({"input_sha256": "ab" * 32}))
    assert score_audio(tmp_path / "out", tmp_path / "truth")["pii_speech_bleeped"] == 0.0
    (out / "again").mkdir()
    (out / "again" / "call.redacted.json").write_text(json.dumps({"input_sha256": "ab" * 32}))
    with pytest.raises(UsageError, match="two outputs of one input"):
        score_audio(tmp_path / "out", tmp_path / "truth")


# One call, pt: a CPF said over 2.0-4.0 s, two names over 5.0-6.0 and 7.0-8.0 s.
ITEMS: list[Pii] = [
    ("BR_CPF", CPF, 2.0, 4.0),
    ("PERSON", "Maria Silva", 5.0, 6.0),
    ("PERSON", "Joana Prado", 7.0, 8.0),
]
NAMES_BLEEPED: list[Bleep] = [(5.0, 6.0, "PERSON"), (7.0, 8.0, "PERSON")]
CLEAN = "meu cpf é <BR_CPF>, falo com <PERSON> e <PERSON>"


@pytest.mark.parametrize(
    ("bleeps", "redacted", "cpf", "person", "readable"),
    [
        # every item bleeped whole and gone from the transcript
        ([(2.0, 4.0, "BR_CPF"), *NAMES_BLEEPED], CLEAN, (1, 1, 0), (2, 2, 0), 0),
        # nothing bleeped: no item counts, though the transcript holds none of them
        ([], CLEAN, (1, 0, 0), (2, 0, 0), 0),
        # exactly 90% of the CPF's 2 s bleeped counts (float noise aside) ...
        ([(2.2, 4.0, "BR_CPF"), *NAMES_BLEEPED], CLEAN, (1, 1, 0), (2, 2, 0), 0),
        # ... 89% does not
        ([(2.22, 4.0, "BR_CPF"), *NAMES_BLEEPED], CLEAN, (1, 0, 0), (2, 2, 0), 0),
        # two bleeps over one item add up: 0.9 + 1.0 of 2 s
        ([(2.0, 2.9, "BR_CPF"), (3.0, 4.0, "X"), *NAMES_BLEEPED], CLEAN, (1, 1, 0), (2, 2, 0), 0),
        # one name half bleeped: counted in items, not in bleeped_90
        ([(2.0, 4.0, "BR_CPF"), (5.0, 6.0, "PERSON"), (7.5, 8.0, "PERSON")], CLEAN,
         (1, 1, 0), (2, 1, 0), 0),
        # bleeped in the audio but 6 digits still in the transcript: the two are apart
        ([(2.0, 4.0, "BR_CPF"), *NAMES_BLEEPED], "meu cpf é 529.982<BR_CPF>, falo com <PERSON>",
         (1, 1, 1), (2, 2, 0), 1),
        # one surname left in the transcript leaks its name, not the other one
        ([(2.0, 4.0, "BR_CPF"), *NAMES_BLEEPED], "cpf <BR_CPF>, com <PERSON> Silva e <PERSON>",
         (1, 1, 0), (2, 2, 1), 1),
        # both names and the CPF readable, nothing bleeped
        ([], f"cpf {CPF}, com Maria Silva e Joana Prado", (1, 0, 1), (2, 0, 2), 3),
    ],
)  # fmt: skip
def test_score_audio_items_per_type(
    tmp_path: Path,
    bleeps: list[Bleep],
    redacted: str,
    cpf: tuple[int, int, int],
    person: tuple[int, int, int],
    readable: int,
) -> None:
    """Per type: (items, items with 90% of their time bleeped, items readable in the
    redacted transcript); and the readable ones over all types."""
    write_call(tmp_path, "call", [(0.0, 10.0)], ITEMS, bleeps, redacted)
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    keys = ("items", "bleeped_90", "readable")
    assert figures["pii_items_by_type"] == {
        "BR_CPF": dict(zip(keys, cpf, strict=True)),
        "PERSON": dict(zip(keys, person, strict=True)),
    }
    assert (figures["values"], figures["values_readable"]) == (3, readable)


# Speech over 0-4 s and 5-9 s, a name said over 2-3 s: 7 s of other speech.
PIECES = [(0.0, 4.0), (5.0, 9.0)]
NAME: list[Pii] = [("PERSON", "Maria Silva", 2.0, 3.0)]


@pytest.mark.parametrize(
    ("bleeps", "by_label"),
    [
        # a name's bleep padded 0.5 s before it: that 0.5 s is other speech, the name is not
        ([(1.5, 3.0, "PERSON")], {"PERSON": 0.5}),
        # over the end of one piece, the silence and the start of the next: 0.5 + 0.5 s
        ([(1.5, 3.0, "PERSON"), (3.5, 5.5, "UNTRANSCRIBED_SPEECH"),
          (6.0, 7.0, "UNRELIABLE_SPEECH")],
         {"PERSON": 0.5, "UNRELIABLE_SPEECH": 1.0, "UNTRANSCRIBED_SPEECH": 1.0}),
        # the name alone, and a bleep in the silence between pieces: no other speech
        ([(2.0, 3.0, "PERSON"), (4.2, 4.8, "UNTRANSCRIBED_SPEECH")],
         {"PERSON": 0.0, "UNTRANSCRIBED_SPEECH": 0.0}),
        # two bleeps of one label add up; a label that is no entity type is still a label
        ([(0.0, 1.0, "UNRELIABLE_SPEECH"), (5.0, 9.0, "UNRELIABLE_SPEECH"),
          (3.0, 3.25, "LOCATION")],
         {"LOCATION": 0.25, "UNRELIABLE_SPEECH": 5.0}),
        # nothing bleeped
        ([], {}),
    ],
)  # fmt: skip
def test_other_speech_bleeped_by_label(
    tmp_path: Path, bleeps: list[Bleep], by_label: dict[str, float]
) -> None:
    write_call(tmp_path, "call", PIECES, NAME, bleeps, "falo com <PERSON>")
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    assert figures["other_speech_seconds"] == pytest.approx(7.0)
    assert figures["other_speech_bleeped_by_label"] == pytest.approx(by_label)
    # bleeps of one channel do not overlap: the labels share out the other speech bleeped
    total = sum(by_label.values())
    assert figures["other_speech_bleeped_seconds"] == pytest.approx(total)
    assert sum(figures["other_speech_bleeped_by_label"].values()) == pytest.approx(total)
    assert figures["other_speech_bleeped"] == pytest.approx(total / 7.0, abs=1e-4)


@pytest.mark.parametrize(
    ("bleeps", "beyond_bleeped"),
    [
        # the name padded on both sides: all of that is within 1 s of it
        ([(1.5, 3.5, "PERSON")], 0.0),
        # a false name at 6-7 s is beyond (speech beyond 1 s of the name: 0-1 s of the
        # first piece and all 4 s of the second, 5 s)
        ([(2.0, 3.0, "PERSON"), (6.0, 7.0, "PERSON")], 1.0 / 5.0),
        # a bleep from 0.5 s to 1.5 s: half of it is within 1 s of the name
        ([(0.5, 1.5, "UNRELIABLE_SPEECH")], 0.5 / 5.0),
        ([], 0.0),
    ],
)  # fmt: skip
def test_other_speech_beyond_values(
    tmp_path: Path, bleeps: list[Bleep], beyond_bleeped: float
) -> None:
    """Other speech more than a second from any value: where over-bleeping is detection's
    own mistake, not the edge of a value's bleep."""
    write_call(tmp_path, "call", PIECES, NAME, bleeps, "falo com <PERSON>")
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    beyond = figures["other_speech_beyond_values"]
    assert beyond["seconds"] == pytest.approx(5.0)
    assert beyond["bleeped"] == pytest.approx(beyond_bleeped, abs=1e-4)


def test_score_audio_adds_up_calls(tmp_path: Path) -> None:
    """Over two calls in two folders, each value is looked for in its own call's transcript."""
    # 1 s of other speech under PERSON; the other call's SSN is in this transcript
    write_call(tmp_path, "one", PIECES, NAME, [(1.0, 3.0, "PERSON")], "com <PERSON>, 4399")
    write_call(
        tmp_path,
        "two",
        PIECES,
        [("US_SSN", "536-90-4399", 2.0, 3.0)],
        [(2.0, 3.5, "US_SSN"), (6.0, 8.0, "UNRELIABLE_SPEECH")],
        "it is <US_SSN>, Maria Silva",  # the other call's name, not this call's value
        language="en",
    )
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    assert figures["calls"] == 2
    assert figures["pii_items_by_type"] == {
        "PERSON": {"items": 1, "bleeped_90": 1, "readable": 0},
        "US_SSN": {"items": 1, "bleeped_90": 1, "readable": 0},
    }
    assert (figures["values"], figures["values_readable"]) == (2, 0)
    assert figures["other_speech_bleeped_by_label"] == pytest.approx(
        {"PERSON": 1.0, "UNRELIABLE_SPEECH": 2.0, "US_SSN": 0.5}
    )
    assert figures["other_speech_bleeped_seconds"] == pytest.approx(3.5)
    assert figures["other_speech_seconds"] == pytest.approx(14.0)


def test_score_audio_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "truth").mkdir()
    (tmp_path / "out").mkdir()
    with pytest.raises(UsageError, match="no \\*.truth.json"):
        score_audio(tmp_path / "out", tmp_path / "truth")
    (tmp_path / "truth" / "call.truth.json").write_text("{not json")
    with pytest.raises(UsageError, match="call.truth.json"):
        score_audio(tmp_path / "out", tmp_path / "truth")
    write_call(tmp_path, "call", [(0.0, 2.0)], [], [], "")
    (tmp_path / "out" / "pt" / "call.redacted.txt").unlink()
    with pytest.raises(UsageError, match="call.redacted.txt"):
        score_audio(tmp_path / "out", tmp_path / "truth")


def test_corpus_score_prints_the_new_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """corpus.score's row: per type items 90% bleeped (readable), other speech bleeped per
    label largest first, no label with nothing; and no value printed."""
    from corpus.score import misheard_calls, print_row

    bleeps: list[Bleep] = [
        (2.0, 4.0, "BR_CPF"),
        (4.0, 4.5, "BR_CPF"),  # 0.5 s of other speech
        (4.9, 6.0, "PERSON"),  # 0.1 s
        (7.5, 8.0, "PERSON"),  # half the name
        (8.5, 10.0, "UNRELIABLE_SPEECH"),  # 1.5 s
        (12.0, 13.0, "UNTRANSCRIBED_SPEECH"),  # after the speech: nothing
    ]
    write_call(tmp_path, "call", [(0.0, 10.0)], ITEMS, bleeps, "cpf <BR_CPF>, <PERSON> Prado")
    figures = score_audio(tmp_path / "out", tmp_path / "truth")
    row = {"set": "clear", "split": "tune", "language": "pt", **figures, "verdicts": {}}
    print_row({**row, **misheard_calls({}, {}), "run_seconds": 0.0})
    lines = capsys.readouterr().out.splitlines()
    assert "values readable 1/3" in lines[0]
    assert lines[2].strip() == (
        "items >= 90% bleeped (readable in text): BR_CPF 1/1 (0), PERSON 1/2 (1)"
    )
    assert lines[3].strip() == (
        "other speech bleeped by label: UNRELIABLE_SPEECH 1.5 s, BR_CPF 0.5 s, PERSON 0.1 s"
    )
    # beyond 1 s of the values (1-9 s): 0-1 s and 9-10 s, half of it under UNRELIABLE_SPEECH
    assert lines[4].strip() == "other speech beyond 1 s of a value: 50.0% of 2.0 s bleeped"
    printed = "\n".join(lines)
    assert not any(part in printed for part in ("529", "Maria", "Silva", "Joana", "Prado"))


def test_eval_truth_prints_the_new_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`redactor eval OUT --truth TRUTH` prints score_audio's figures, the new keys too."""
    from tests.conftest import redactor

    bleeps: list[Bleep] = [(2.0, 4.5, "BR_CPF"), (5.0, 6.0, "PERSON"), (9.0, 10.0, "LOCATION")]
    write_call(tmp_path, "call", [(0.0, 10.0)], ITEMS, bleeps, "cpf <BR_CPF>, <PERSON> Prado")
    code, out, _ = redactor(
        monkeypatch, capsys, "eval", str(tmp_path / "out"), "--truth", str(tmp_path / "truth")
    )
    assert code == 0
    figures = json.loads(out)
    assert figures["pii_items_by_type"] == {
        "BR_CPF": {"items": 1, "bleeped_90": 1, "readable": 0},
        "PERSON": {"items": 2, "bleeped_90": 1, "readable": 1},
    }
    assert (figures["values"], figures["values_readable"]) == (3, 1)
    assert figures["other_speech_bleeped_by_label"] == {
        "BR_CPF": 0.5,
        "LOCATION": 1.0,
        "PERSON": 0.0,
    }
    assert figures["other_speech_bleeped_seconds"] == 1.5
    assert "Prado" not in out
