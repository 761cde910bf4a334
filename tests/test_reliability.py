"""Reliability of a transcript: each rule as a table of (what whisper printed, what is caught),
the garbage seen on hard audio as reproductions, and the verdict per call and channel."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from redactor import bleep, reliability
from redactor.config import Config, Reliability
from redactor.transcript import Transcript
from redactor.types import Entity, Gap, Segment, Stretch, Word
from tests.conftest import FakeTranscriber, call, run_folder, said, tone, write_wav

RULES = Reliability()


def segment(start: float, end: float, logprob: float = -0.3) -> Segment:
    return Segment(start, end, logprob)


def caught(words: list[Word], segments: list[Segment], rule: str) -> list[str]:
    """The words ``rule`` catches, as text."""
    found = {i for r in reliability.RULES[rule](words, segments, RULES) for i in r}
    return [words[i].text.strip() for i in sorted(found)]


LONG_LOOP = "sete oito nove e meio dez onze doze " * 4
CLEAR = "Central de atendimento, boa tarde. Qual é o seu CPF? É um dois três."


@pytest.mark.parametrize("rule", list(reliability.RULES))
def test_no_rule_catches_clear_speech(rule: str) -> None:
    words = said(CLEAR, 0.5, 6.0)
    assert caught(words, [segment(0.5, 6.0)], rule) == []


@pytest.mark.parametrize(
    ("words", "segments", "rule", "expected"),
    [
        # whisper doubted four words in a row: caught; three in a row: not
        (
            said("bom dia", 0, 1) + said("xa ve lu to", 1, 3, 0.2) + said("obrigado", 3, 4),
            [segment(0, 4)],
            "low_confidence",
            ["xa", "ve", "lu", "to"],
        ),
        (
            said("bom dia", 0, 1) + said("xa ve lu", 1, 3, 0.2) + said("obrigado", 3, 4),
            [segment(0, 4)],
            "low_confidence",
            [],
        ),
        # a segment whose tokens average below whisper's own -1.0: all of its words
        (
            said("boa tarde", 0, 1) + said("que treinado quatro", 1, 3, segment=1),
            [segment(0, 1), segment(1, 3, logprob=-1.4)],
            "low_confidence",
            ["que", "treinado", "quatro"],
        ),
        # whisper's own loop check: a segment whose words compress too well (a phrase
        # longer than the repeats looked for, four times), all of its words
        (
            said("boa tarde", 0, 1) + said(LONG_LOOP, 1, 9, segment=1),
            [segment(0, 1), segment(1, 9)],
            "loop",
            LONG_LOOP.split(),
        ),
        # the same words in a segment of their own do not compress: nothing
        (said("sete oito nove e meio dez onze doze", 0, 4), [segment(0, 4)], "loop", []),
        # a loop inside a long segment: the loop, not the segment
        (
            said("my name is casey", 0, 2) + said("hey " * 12, 2, 5),
            [segment(0, 5)],
            "loop",
            ["hey"] * 12,
        ),
        # a two-word phrase four times: caught; "não, não, não": not
        (said("mil e mil e mil e mil e", 0, 4), [segment(0, 4)], "loop", ["mil", "e"] * 4),
        (said("não, não, não, tudo bem", 0, 3), [segment(0, 3)], "loop", []),
        # a syllable stuttered inside one word
        (said("Bebebebebebebe", 0, 2), [segment(0, 2)], "loop", ["Bebebebebebebe"]),
        # digits said one by one are not a stutter, nor is a long number
        (said("4,111,111,111,111", 0, 3), [segment(0, 3)], "loop", []),
        # another script anywhere in a segment: the whole segment
        (
            said("80¢ h 좋아요 điều宮", 0, 2),
            [segment(0, 2)],
            "foreign_script",
            ["80¢", "h", "좋아요", "điều宮"],
        ),
        # Portuguese and Spanish letters are ours
        (said("ação, señor, você", 0, 2), [segment(0, 2)], "foreign_script", []),
        # twelve words in one second: nobody speaks that fast
        (
            said("a b c d e f g h i j k l", 0, 1),
            [segment(0, 1)],
            "speech_rate",
            list("abcdefghijkl"),
        ),
        # three words squeezed into no time at all
        (
            said("sim", 0, 1) + said("um dois três", 1.0, 1.03) + said("certo", 1.1, 2),
            [segment(0, 2)],
            "collapsed_times",
            ["um", "dois", "três"],
        ),
        # a phone number printed as money
        (
            said("My number is $713, $799, $693.", 0, 4),
            [segment(0, 4)],
            "garbled_numbers",
            ["$713,", "$799,", "$693."],
        ),
        # one amount is just an amount
        (said("That is $120 in total.", 0, 3), [segment(0, 3)], "garbled_numbers", []),
        # whisper, told Portuguese, hears Spanish in the channel (a fluent translation)
        (
            said("Eu quero uma coxinha de frango.", 0, 2),
            [Segment(0, 2, -0.2, other_language=0.99)],
            "wrong_language",
            ["Eu", "quero", "uma", "coxinha", "de", "frango."],
        ),
        # a hint of another language (a robotic voice, an accent): not enough
        (
            said("Eu quero uma coxinha.", 0, 2),
            [Segment(0, 2, -0.2, other_language=0.14)],
            "wrong_language",
            [],
        ),
    ],
)
def test_rule(words: list[Word], segments: list[Segment], rule: str, expected: list[str]) -> None:
    assert caught(words, segments, rule) == expected


# -- the garbage seen on hard audio, whole ------------------------------------------------------


def transcript(words: list[Word], segments: list[Segment], speech: list[Stretch]) -> Transcript:
    return Transcript(words, "pt", 30.0, [], segments, speech)


REPRODUCTIONS = {
    # a phrase repeated 11 times over 4-23 s, where a CNPJ and a CPF were said
    "phrase loop": (
        said("Bom dia.", 0.5, 2.0)
        + said(" ".join(["Sei munça, que treinado quatro moitos."] * 11), 4.0, 23.0, segment=1),
        (4.0, 23.0),
    ),
    # "mil e mil e mil..." 73 times over 8-31 s
    "mil e": (said("Certo.", 1.0, 2.0) + said("mil e " * 73, 8.0, 31.0, segment=1), (8.0, 31.0)),
    # "Bebebebe..." for 300 characters, one word over a CPF
    "stutter": (
        said("Meu CPF é", 9.0, 10.8) + said("Be" * 150, 10.9, 20.4, segment=1),
        (10.9, 20.4),
    ),
    # other scripts inside a Portuguese call (batch_size = 0)
    "scripts": (
        said("Boa tarde.", 0.5, 1.5) + said("80¢ h 좋아요 điều宮 o número", 11.0, 16.0, segment=1),
        (11.0, 16.0),
    ),
}


@pytest.mark.parametrize("name", list(REPRODUCTIONS))
def test_garbage_seen_on_hard_audio_is_caught(name: str) -> None:
    words, (start, end) = REPRODUCTIONS[name]
    segments = [segment(0.0, 3.0), segment(start, end, logprob=-0.4)]
    found = reliability.assess(transcript(words, segments, [Stretch(start, end)]), RULES)
    assert [(s.start, round(s.end, 6)) for s in found.stretches] == [(start, end)]
    assert not any(i in found.words for i, w in enumerate(words) if w.end <= 3.0)


# -- entities over unreliable words -----------------------------------------------------------


def test_unreliable_words_become_entities_around_what_detection_found() -> None:
    words = said("o CPF é um dois três quatro e tchau", 0, 5)
    text = Transcript(words, "pt", 5.0)
    flagged = {3, 4, 5, 6, 7}  # "um dois três quatro e"
    cpf = Entity("BR_CPF", text.offsets[4][0], text.offsets[5][1], 0.9, "x")  # "dois três"
    found = reliability.entities(text, flagged, [cpf])
    assert [(e.type, text.text[e.start : e.end]) for e in found] == [
        ("UNRELIABLE_SPEECH", "um "),
        ("UNRELIABLE_SPEECH", " quatro e"),
    ]


def test_unreliable_words_of_two_channels_are_separate_entities() -> None:
    words = said("sim", 0, 1, channel=0) + said("não", 0.5, 1.5, channel=1)
    text = Transcript(words, "pt", 2.0)
    found = reliability.entities(text, {0, 1}, [])
    assert [text.text[e.start : e.end] for e in found] == ["sim", "não"]


# -- the verdict ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unreliable", "gaps", "verdict"),
    [
        ([], [], "good"),
        ([(0.0, 0.9)], [], "good"),  # 9%
        ([(0.0, 1.0)], [], "degraded"),  # 10%
        ([(0.0, 2.0)], [(5.0, 8.0)], "unusable"),  # 20% + 30% untranscribed
        ([(20.0, 30.0)], [], "good"),  # outside the speech
    ],
)
def test_verdict_from_the_share_of_speech(
    unreliable: list[tuple[float, float]], gaps: list[tuple[float, float]], verdict: str
) -> None:
    from redactor.types import Gap

    text = Transcript(
        said("palavras", 0.0, 1.0), "pt", 30.0, [Gap(s, e) for s, e in gaps], [], [Stretch(0, 10)]
    )
    qualities = reliability.judge(text, [Stretch(s, e) for s, e in unreliable], RULES)
    assert [q.verdict for q in qualities] == [verdict]
    assert qualities[0].speech_seconds == 10.0


@pytest.mark.parametrize(
    ("logprobs", "verdict"),
    [
        ([-0.2, -0.3], "good"),  # clear calls: -0.27 at worst on the corpus
        ([-0.3, -0.7], "degraded"),  # by length: (2 * -0.3 + 8 * -0.7) / 10 = -0.62
        ([-0.7, -0.3], "good"),  # the doubtful words are the short ones: -0.38
    ],
)
def test_a_channel_whisper_doubts_as_a_whole_is_degraded(
    logprobs: list[float], verdict: str
) -> None:
    """No stretch breaks a rule, but whisper's mean log-probability over the words (each
    its segment's), weighted by their length, is under the language's bar (pt: -0.5)."""
    words = said("bom dia", 0.0, 2.0) + said("tudo bem com você", 2.0, 10.0, segment=1)
    segments = [Segment(0.0, 2.0, logprobs[0]), Segment(2.0, 10.0, logprobs[1])]
    text = Transcript(words, "pt", 10.0, [], segments, [Stretch(0, 10)])
    (quality,) = reliability.judge(text, [], RULES)
    assert (quality.verdict, quality.share) == (verdict, 0.0)
    assert quality.to_dict()["mean_logprob"] == round((2 * logprobs[0] + 8 * logprobs[1]) / 10, 3)


@pytest.mark.parametrize(
    ("language", "degraded_logprob", "verdict"),
    [
        # whisper base is less sure of Portuguese and Spanish than of English on clear calls
        ("en", None, "degraded"),
        ("es", None, "good"),
        ("pt", None, "good"),
        # a bar set in the config is every language's
        ("pt", -0.4, "degraded"),
    ],
)
def test_the_bar_for_whispers_doubt_is_the_languages(
    language: str, degraded_logprob: float | None, verdict: str
) -> None:
    words = said("bom dia tudo bem", 0.0, 10.0)
    text = Transcript(words, language, 10.0, [], [Segment(0.0, 10.0, -0.43)], [Stretch(0, 10)])
    rules = dataclasses.replace(RULES, degraded_logprob=degraded_logprob)
    (quality,) = reliability.judge(text, [], rules)
    assert quality.verdict == verdict


@pytest.mark.parametrize(("logprob", "verdict"), [(-0.37, "degraded"), (-0.31, "good")])
def test_english_whisper_is_nearly_sure_of_is_doubted_still(logprob: float, verdict: str) -> None:
    """Hard English calls whisper heard as plausible English scored -0.35 to -0.39 (their
    values misheard as words); the clear English calls -0.31 at worst."""
    words = said("it's too thick steve", 0.0, 10.0)
    text = Transcript(words, "en", 10.0, [], [Segment(0.0, 10.0, logprob)], [Stretch(0, 10)])
    (quality,) = reliability.judge(text, [], RULES)
    assert quality.verdict == verdict


def test_stereo_is_judged_per_channel_and_the_call_by_its_worst() -> None:
    words = said("bom dia", 0, 1, channel=0) + said("alô", 0, 1, channel=1)
    speech = [Stretch(0, 10, 0), Stretch(0, 10, 1)]
    text = Transcript(words, "pt", 10.0, [], [], speech)
    qualities = reliability.judge(text, [Stretch(0, 6, 1)], RULES)
    assert [(q.channel, q.verdict) for q in qualities] == [(0, "good"), (1, "unusable")]
    assert reliability.worst(qualities).channel == 1


def test_an_unusable_call_is_all_unreliable() -> None:
    words = said("bom dia", 0, 1) + said("alô", 5, 6)
    text = Transcript(words, "pt", 10.0, [], [], [Stretch(0.0, 2.0), Stretch(4.5, 6.5)])
    everything = reliability.everything(text)
    assert [(s.start, s.end) for s in everything.stretches] == [(0.0, 2.0), (4.5, 6.5)]
    assert everything.words == {0, 1, 2}


def test_thresholds_come_from_the_config() -> None:
    words = said("xa ve lu", 0, 2, 0.2)
    strict = dataclasses.replace(RULES, doubtful_run=3)
    assert [list(r) for r in reliability.low_confidence(words, [], strict)] == [[0, 1, 2]]
    assert list(reliability.low_confidence(words, [], RULES)) == []


# -- through the pipeline (whisper faked) --------------------------------------------------------

GOOD = said("Meu nome é Ana. Custa 150 reais.", 0.2, 3.0)
LOOP = said("mil e " * 4, 4.0, 6.0, segment=1)
SEGMENTS = [segment(0.2, 3.0), segment(4.0, 6.0)]


def fake_call(
    tmp_path: Path, fake: dict[str, FakeTranscriber], words: list[Word], speech: list[Stretch]
) -> None:
    fake["transcriber"] = FakeTranscriber(words, "pt", SEGMENTS, speech)
    call(tmp_path, seconds=8.0)


def outputs(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    out = tmp_path / "out"
    transcript = json.loads((out / "call.redacted.json").read_text())
    bleeps = json.loads((out / "call.bleeps.json").read_text())
    return transcript, bleeps


def test_on_a_good_call_an_answers_bleep_reaches_on_at_its_end_only(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A value's last digit sounds on past whisper's end of it ("El código es 0 .56." ended
    0.6 s early, clear-tune-es-05): the unanswered question's stretch reaches towards the
    next word, as an entity's range does; its start stays, not to take the question's end."""
    words = said("Qual é o seu CPF?", 0.2, 3.0) + said("xa ve lu", 4.0, 5.0, 0.3, segment=1)
    words += said("Obrigado.", 6.0, 6.5, segment=1)
    fake_call(tmp_path, fake, words, [Stretch(0.2, 3.0), Stretch(4.0, 6.5)])
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    assert transcript["transcript_quality"]["verdict"] == "good"
    (answer,) = [b for b in bleeps["bleeps"] if b["entity"] == "UNRELIABLE_SPEECH"]
    padding = Config().padding
    assert (answer["start"], answer["end"]) == pytest.approx(
        (4.0 - padding, 5.0 + bleep.EDGE_REACH + padding), abs=0.002
    )


def test_a_loop_is_bleeped_tagged_and_the_call_degraded(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_call(tmp_path, fake, GOOD + LOOP, [Stretch(0.2, 3.0), Stretch(4.0, 6.0)])
    summary = tmp_path / "summary.json"
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "--summary", str(summary))
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    assert transcript["transcript_quality"]["verdict"] == "degraded"
    assert transcript["unreliable"] == [
        {"start": 4.0, "end": 6.0, "channel": None, "rules": "loop"}
    ]
    assert "mil" not in transcript["text"] and "<UNRELIABLE_SPEECH>" in transcript["text"]
    assert not [w for w in transcript["words"] if "mil" in w["text"]]
    (doubt,) = [b for b in bleeps["bleeps"] if b["entity"] == "UNRELIABLE_SPEECH"]
    assert doubt["start"] <= 4.0 and doubt["end"] >= 6.0 and doubt["rules"] == "loop"
    assert "transcript degraded" in err
    data = json.loads(summary.read_text())
    assert data["transcript_quality"] == {"degraded": 1}
    assert data["needs_review"] == ["call.wav"]


def test_unreliable_flag_leaves_the_audio_but_not_the_text(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_call(tmp_path, fake, GOOD + LOOP, [Stretch(0.2, 3.0), Stretch(4.0, 6.0)])
    (tmp_path / "flag.toml").write_text('unreliable = "flag"\n')
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "-c", str(tmp_path / "flag.toml"))
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    assert not [b for b in bleeps["bleeps"] if b["entity"] == "UNRELIABLE_SPEECH"]
    # the range that would have been bleeped: the stretch, reaching half a second into
    # the silence either side (the call is degraded: whisper's word times are doubted)
    assert bleeps["review"] == [
        {"start": 3.5, "end": 6.5, "reason": "UNRELIABLE_SPEECH", "channel": None, "rules": "loop"}
    ]
    assert "mil" not in transcript["text"]


def test_an_unusable_call_has_all_its_speech_bleeped(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the loop is 2 s of 3 s of speech: unusable
    fake_call(tmp_path, fake, said("Bom dia.", 0.2, 1.2) + LOOP, [Stretch(0.2, 1.2), Stretch(4, 6)])
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    assert transcript["transcript_quality"]["verdict"] == "unusable"
    assert "Bom" not in transcript["text"] and "dia" not in transcript["text"]
    ranges = [(b["start"], b["end"]) for b in bleeps["bleeps"]]
    assert ranges[0][0] <= 0.2 and ranges[0][1] >= 1.2 and ranges[-1][1] >= 6.0


def test_an_unusable_call_fails_when_so_configured(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_call(tmp_path, fake, said("Bom dia.", 0.2, 1.2) + LOOP, [Stretch(0.2, 1.2), Stretch(4, 6)])
    (tmp_path / "fail.toml").write_text('unusable = "fail"\n')
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "-c", str(tmp_path / "fail.toml"))
    assert code == 1
    assert "transcript unusable: 67% of its speech" in err
    assert not (tmp_path / "out" / "call.redacted.json").exists()


@pytest.mark.parametrize(
    ("second", "recover", "expected_text", "verdict"),
    [
        # the second pass is clean: its words replace the loop
        (said("obrigado pela ligação", 0.3, 2.3, segment=0), True, "obrigado pela ligação", "good"),
        # the second pass loops too: the first stays, unreliable
        (said("mil e " * 4, 0.3, 2.3, segment=0), True, "<UNRELIABLE_SPEECH>", "degraded"),
        # recovery off: no second pass at all
        (
            said("obrigado pela ligação", 0.3, 2.3, segment=0),
            False,
            "<UNRELIABLE_SPEECH>",
            "degraded",
        ),
    ],
)
def test_unreliable_stretches_are_decoded_again(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    second: list[Word],
    recover: bool,
    expected_text: str,
    verdict: str,
) -> None:
    fake_call(tmp_path, fake, GOOD + LOOP, [Stretch(0.2, 3.0), Stretch(4.0, 6.0)])
    fake["transcriber"].second = second
    (tmp_path / "c.toml").write_text(f"recover = {str(recover).lower()}\n")
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "-c", str(tmp_path / "c.toml"))
    assert code == 0, err
    transcript, _ = outputs(tmp_path)
    assert transcript["text"].endswith(expected_text)
    assert transcript["transcript_quality"]["verdict"] == verdict
    # the loop's 2 s and 0.3 s either side, once; nothing when recovery is off
    assert fake["transcriber"].redecoded == ([2.6] if recover else [])
    if verdict == "good":
        # placed in the call's time: the window starts at 4.0 - 0.3 s
        times = [(w["start"], w["end"]) for w in transcript["words"] if w["text"] == "ligação"]
        assert times == [(5.333, 6.0)]


@pytest.mark.parametrize(
    ("gap", "logprob", "decoded"),
    [
        # a long stretch of speech whisper printed nothing for: decoded alone, it is heard
        (Gap(4.0, 6.0), -0.2, [2.6]),
        # a short one is left to be bleeped
        (Gap(4.0, 4.8), -0.2, []),
        # and so is a long one on a channel whisper doubts: a second pass mishears too
        (Gap(4.0, 6.0), -0.6, []),
    ],
)
def test_untranscribed_speech_is_decoded_again(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    gap: Gap,
    logprob: float,
    decoded: list[float],
) -> None:
    fake_call(tmp_path, fake, GOOD, [Stretch(0.2, 3.0), Stretch(gap.start, gap.end)])
    fake["transcriber"].segments = [Segment(0.2, 3.0, logprob)]
    fake["transcriber"].gaps = [gap]
    fake["transcriber"].second = said("obrigado pela ligação", 0.3, 2.3, segment=0)
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    assert fake["transcriber"].redecoded == decoded
    untranscribed = [b for b in bleeps["bleeps"] if b["entity"] == "UNTRANSCRIBED_SPEECH"]
    if decoded:
        assert transcript["text"].endswith("obrigado pela ligação")
        assert untranscribed == []
    else:
        assert "obrigado" not in transcript["text"]
        assert len(untranscribed) == 1


# -- answers to a question for a value ----------------------------------------------------------


def _span(text: Transcript, first: int, last: int) -> Entity:
    return Entity("BR_CPF", text.offsets[first][0], text.offsets[last][1], 0.9, "x")


@pytest.mark.parametrize(
    ("words", "entity", "expected"),
    [
        # digits said after the question that detection did not explain
        (
            said("Qual é o seu CPF?", 0, 2) + said("é cinco quatro dois um", 2.5, 5),
            None,
            ["cinco", "quatro", "dois", "um"],
        ),
        # the same, found by detection: nothing more to do
        (said("Qual é o seu CPF?", 0, 2) + said("é cinco quatro dois um", 2.5, 5), (6, 9), []),
        # an answer that is no value
        (said("Qual é o seu CPF?", 0, 2) + said("um momento, por favor", 2.5, 5), None, []),
        # "Só um momento" after an answer: its "um" is an article, not the answer's last
        # digit, however doubtful (whisper's "São um momento", clear Kokoro pt tune)
        (
            said("Qual é o seu CEP?", 0, 2)
            + said("sete oito nove.", 2.5, 4)
            + said("São", 4.5, 4.7)
            + said("um", 4.7, 5, 0.3)
            + said("momento, por favor.", 5, 6),
            None,
            ["sete", "oito", "nove."],
        ),
        # "número" is what whisper keeps of a garbled "número de DNI" (hard Spanish): a
        # number after it is bleeped, even in a real no-PII clip ("Mi número favorito es
        # 268"): fail closed
        (said("Meu número favorito é 268.", 0, 3), None, ["268."]),
        (
            said("Qual é o número de cadastro?", 0, 2) + said("é quatro um sete", 2.5, 4),
            None,
            ["quatro", "um", "sete"],
        ),
        (said("Qual é o seu CPF?", 0, 2) + said("um momento, por favor", 2.5, 5), None, []),
        # an amount of money is not a value's digits, but amounts side by side are a value
        # misheard (hard-tune-en-04: "The VIP's time to $6, $84." for a ZIP code)
        (said("Your card number?", 0, 2) + said("That's $713 in total", 2.5, 5), None, []),
        (
            said("Your card number?", 0, 2) + said("That's $713, $799 and $693", 2.5, 5),
            None,
            ["$713,", "$799", "and", "$693"],
        ),
        # two doubtful words after the question
        (
            said("Qual é o seu e-mail?", 0, 2) + said("xa ve", 2.5, 3.5, 0.3) + said("ok", 4, 5),
            None,
            ["xa", "ve"],
        ),
        # an amount said with its currency word
        (said("Qual é o seu CPF?", 0, 2) + said("custa 150 reais", 2.5, 4), None, []),
        # a question as whisper hears it on a phone line ("CNVJ" for CNPJ)
        (
            said("Pode me passar o CNVJ.", 0, 2) + said("O 30 e seis, 190.", 2.5, 5),
            None,
            ["30", "e", "seis,", "190."],
        ),
        # and "setefe" for CPF, "nafimento" for nascimento (clear Kokoro pt tune, calls 24-39)
        (
            said("Pode me informar o setefe do titular.", 0, 2) + said("Anota, 8 e 11.", 2.5, 4),
            None,
            ["8", "e", "11."],
        ),
        (
            said("Qual é a sua data de nafimento?", 0, 2) + said("Lé 30 do 5.", 2.5, 4),
            None,
            ["30", "do", "5."],
        ),
        # "código" as "Codivo" (clear Kokoro es tune, calls 24-39)
        (said("Un momento. El Codivo es", 0, 2) + said("159.", 2.2, 3), None, ["159."]),
        # an amount and a date after the question, apart: no value
        (
            said("Your card number?", 0, 2)
            + said("I see two open bills, 64 dollars each, due on the 20th.", 2.5, 7),
            None,
            [],
        ),
        # digits long after the question are another matter
        (said("Qual é o seu CPF?", 0, 2) + said("cinco quatro dois um", 13, 15), None, []),
        # what whisper kept of a phone number said in pairs, on a hard line (hard-tune-en-01)
        (
            said("What's the best number to reach you?", 0, 2)
            + said("You can call me at 9 .38. I'm 58.", 2.5, 6),
            None,
            ["9", ".38.", "I'm", "58."],
        ),
        # and of a question for a ZIP code, its answer half heard (hard-tune-en-03)
        (
            said("And the lift code?", 0, 2) + said("It is 5200. 1, 4, 7.", 2.5, 5),
            None,
            ["5200.", "1,", "4,", "7."],
        ),
        # a postal code detection found only part of ("nine, well, oh, seven, five" on
        # clear-report-en-03): the digits it left beside the found ones are the same answer
        (
            said("Qual é o seu CEP?", 0, 2) + said("é nove, bem, zero, sete, cinco.", 2.5, 5),
            (8, 10),
            ["nove,", "bem,"],
        ),
        # doubtful words of the question's own sentence are not its answer: the card number
        # was found, "Biga o número." is the agent's "Diga o número." (clear-tune-es-06)
        (
            said("Qual cartão vai usar?", 0, 2)
            + said("Biga o número.", 2.2, 3.5, 0.3)
            + said("É", 3.7, 3.9, 0.16)
            + said("um dois sete zero dois", 4, 6),
            (8, 12),
            [],
        ),
        # but a full stop after the first digits cuts nothing: whisper puts them anywhere
        # in a garbled answer (clear-tune-pt-04)
        (
            said("Qual é a sua conta?", 0, 2)
            + said("um, três, um, cinco,", 2.5, 4)
            + said("treso. obrigado e", 4, 5.5, 0.2),
            None,
            ["um,", "três,", "um,", "cinco,", "treso.", "obrigado", "e"],
        ),
        # "e-mail" as whisper splits it (clear-tune-pt-07)
        (
            said("Pode me confirmar o seu e -mail.", 0, 2)
            + said("Pode mandar para 70 e 4.", 2.5, 4),
            None,
            ["70", "e", "4."],
        ),
        # a question for a card's expiry date, its answer half heard (hard-tune-en-02)
        (
            said("And the expiration date?", 0, 2) + said("4M, flash 30M.", 2.5, 4, 0.6),
            None,
            ["4M,", "flash", "30M."],
        ),
        # ... and in Spanish, where whisper kept only "fecha" of the question (hard-tune-es-02)
        (
            said("¿Cuál es la fecha en el calor de mar?", 0, 2)
            + said("Es uno para el frente", 2.5, 4, 0.3)
            + said("gracias", 5, 6),
            None,
            ["Es", "uno", "para", "el", "frente"],
        ),
        # "e-mail" heard as "iméis" (or "imedio") on a phone line (clear Kokoro pt tune)
        (
            said("E qual é o seu iméis?", 0, 2)
            + said("A parecida, a roupa G -1 .0.", 2.5, 5, 0.3)
            + said("Qual é", 5.5, 6),
            None,
            ["A", "parecida,", "a", "roupa", "G", "-1", ".0."],
        ),
        # what whisper keeps of "teléfono de contacto" and "código postal" on a bad line
        # ("mover el contacto?", "un tronino postal", hard-tune-es-07), and "birthday"
        (
            said("E o seu contato?", 0, 2) + said("nove, um, oito, sete.", 2.5, 4),
            None,
            ["nove,", "um,", "oito,", "sete."],
        ),
        (
            said("O tronino postal?", 0, 2) + said("é quatro, seis, oito.", 2.5, 4),
            None,
            ["quatro,", "seis,", "oito."],
        ),
        # "CEP" as whisper hears it (clear-tune-pt-15)
        (
            said("E o sep e da rua?", 0, 2) + said("Quatro trinta, oitenta e sete.", 2.5, 4),
            None,
            ["Quatro", "trinta,", "oitenta", "e", "sete."],
        ),
        (
            said("And what's your birthday?", 0, 2) + said("It's 07 22 2001.", 2.5, 4),
            None,
            ["07", "22", "2001."],
        ),
        # the caller names the value before saying it: what comes before the name is not
        # the value ("Anota aí: agência", clear-tune-pt-01)
        (
            said("Qual é a sua agência e conta?", 0, 2)
            + said("O anotaio Agencia", 2.5, 4, 0.3)
            + said("5 .0 .75.", 4, 6)
            + said("Perfeito.", 6.5, 7),
            None,
            ["5", ".0", ".75."],
        ),
        # ... and of "correo electrónico" (hard-tune-es-02)
        (
            said("¿Y tu toque electrónico?", 0, 2)
            + said("Rolando mi on bajo", 2.5, 4.5, 0.3)
            + said("gracias", 5, 6),
            None,
            ["Rolando", "mi", "on", "bajo"],
        ),
    ],
)
def test_answers_detection_did_not_explain(
    words: list[Word], entity: tuple[int, int] | None, expected: list[str]
) -> None:
    text = Transcript(words, "pt", 20.0)
    found = [_span(text, *entity)] if entity else []
    answers = reliability.unanswered(text, found)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected
    assert all(s.reason == "unanswered_question" for s in answers.stretches)


@pytest.mark.parametrize(
    ("bars", "expected"),
    [(reliability.Bars(), []), (reliability.DOUBTED, ["do", "titular.", "O"])],
)
def test_the_rest_of_the_questions_sentence_is_not_its_answer(
    bars: reliability.Bars, expected: list[str]
) -> None:
    """Doubtful words of the question's own sentence ("do titular.") are not its answer on
    a good call, and one doubtful word is no answer; on a call whisper doubts, its full
    stops are not trusted and the bars are lower: all three go."""
    words = (
        said("Qual é o CPF", 0, 2)
        + said("do titular.", 2, 3, 0.3)
        + said("O", 3.5, 4.5, 0.3)
        + said("Certo, obrigado.", 5, 6)
    )
    answers = reliability.unanswered(Transcript(words, "pt", 10.0), [], bars)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected


def test_a_garbled_answer_run_into_the_questions_sentence_is_kept() -> None:
    """Whisper ran question and answer into one sentence: nothing is left after its end,
    and the answer is bleeped whole, as before the question's sentence was looked at."""
    words = (
        said("Qual é o seu CPF", 0, 2) + said("kara sosa merda.", 2.5, 4, 0.3) + said("Certo", 5, 6)
    )
    answers = reliability.unanswered(Transcript(words, "pt", 10.0), [])
    assert [words[i].text.strip() for i in sorted(answers.words)] == ["kara", "sosa", "merda."]


def test_the_questions_sentence_is_its_speakers_only() -> None:
    """On a stereo call the caller's doubtful words that come, in time, before the agent's
    question ends are still its answer."""
    words = sorted(
        said("Qual é o CPF do titular por favor?", 0, 3, channel=0)
        + said("ahn kara sosa", 1.5, 2.5, 0.3, channel=1),
        key=lambda w: w.start,
    )
    answers = reliability.unanswered(Transcript(words, "pt", 10.0), [])
    assert [words[i].text.strip() for i in sorted(answers.words)] == ["ahn", "kara", "sosa"]


@pytest.mark.parametrize(
    ("bars", "expected"),
    [(reliability.Bars(), []), (reliability.DOUBTED, ["It's", "six,", "eight."])],
)
def test_on_a_call_whisper_doubts_the_bars_are_lower(
    bars: reliability.Bars, expected: list[str]
) -> None:
    """A CVV half heard (hard-tune-en-04): two digits are no value on a good call, but on a
    call whose verdict is not good they are bleeped, with the rest of their sentence."""
    words = said("on the back of the card?", 0, 2) + said("It's six, eight.", 2.5, 4)
    answers = reliability.unanswered(Transcript(words, "en", 10.0), [], bars)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected


@pytest.mark.parametrize(
    ("bars", "expected"),
    [
        (reliability.Bars(), ["18", "39,", "93,", "43,", "33."]),
        (reliability.DOUBTED, ["34", "e", "o", "18", "39,", "93,", "43,", "33."]),
    ],
)
def test_on_a_call_whisper_doubts_small_words_do_not_split_a_value(
    bars: reliability.Bars, expected: list[str]
) -> None:
    """ "34" and "18 ..." are one number said with small words between ("34 y es 18 39,
    ..." on clear-tune-es-04): on a call whisper doubts, they are one answer; on a good
    call "34" alone is no value (the clear report calls paid 0.6 points of other speech
    for 0.1 of PII speech)."""
    words = said("Qual é o seu CPF?", 0, 2) + said("34 e o 18 39, 93, 43, 33.", 2.5, 7)
    answers = reliability.unanswered(Transcript(words, "pt", 10.0), [], bars)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected


def test_small_words_do_not_join_across_a_full_stop() -> None:
    """The next question's "três" is not the phone number's ("8111. What's the three
    -digit code" on clear-tune-en-03), even on a call whisper doubts."""
    words = (
        said("Qual é o seu telefone?", 0, 2)
        + said("É 712 -545 -8111.", 2.5, 4)
        + said("E o três dígitos do cartão", 4.2, 6)
    )
    answers = reliability.unanswered(Transcript(words, "pt", 10.0), [], reliability.DOUBTED)
    assert [words[i].text.strip() for i in sorted(answers.words)] == ["É", "712", "-545", "-8111."]


def test_a_digit_heard_as_a_homophone_counts_between_digits() -> None:
    """A CVV on a hard line (hard-tune-en-05): "zero to one" is three digits."""
    words = said("the map on the card?", 0, 2) + said("It's zero to one. Okay, got it.", 2.5, 5)
    answers = reliability.unanswered(Transcript(words, "en", 10.0), [])
    assert [words[i].text.strip() for i in sorted(answers.words)] == ["zero", "to", "one."]


def test_an_answer_on_the_other_channel_is_bleeped_there() -> None:
    words = said("What is your social security number?", 0, 3, channel=0) + said(
        "five three six nine oh", 3.5, 6, channel=1
    )
    answers = reliability.unanswered(Transcript(words, "en", 10.0), [])
    assert [(s.start, s.end, s.channel) for s in answers.stretches] == [(3.5, 6.0, 1)]


def test_a_stutter_over_a_cpf_on_a_48k_stereo_call_is_bleeped_on_its_channel(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The failure seen: samples/pt/call-pt-cpf.wav at 48 kHz in stereo came back with
    "Bebebebe..." over the CPF (10.9-20.4 s) and 15.2-17.1 s of channel 0 unbleeped."""
    words = said("O número do meu CPF é", 8.7, 10.3) + said("Be" * 150, 10.9, 20.4, segment=1)
    speech = [Stretch(8.7, 10.3), Stretch(10.9, 20.4)]
    fake["transcriber"] = FakeTranscriber(words, "pt", SEGMENTS, speech)
    path = tmp_path / "in" / "call.wav"
    path.parent.mkdir(parents=True)
    write_wav(path, tone(22.0, rate=48000, channels=2), rate=48000)
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    for channel in (0, 1):
        mine = [b for b in bleeps["bleeps"] if b["channel"] == channel]
        assert any(b["start"] <= 10.9 and b["end"] >= 20.4 for b in mine), mine
    assert "Bebe" not in json.dumps(transcript)


def test_a_call_mostly_unreliable_is_not_decoded_again(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """More than RECOVER_BUDGET (30%) of the audio unreliable: a second pass would cost
    several times the first, and the call is bleeped instead."""
    loop = said("mil e " * 12, 1.0, 7.0, segment=1)
    fake_call(tmp_path, fake, loop, [Stretch(1.0, 7.0)])
    fake["transcriber"].second = said("obrigado pela ligação", 0.3, 2.3, segment=0)
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    assert fake["transcriber"].redecoded == []
    transcript, _ = outputs(tmp_path)
    assert transcript["transcript_quality"]["verdict"] == "unusable"


@pytest.mark.parametrize("doc", ["docs/design.md", "docs/output-contract.md"])
def test_the_docs_name_every_rule(doc: str) -> None:
    from tests.conftest import ROOT

    text = (ROOT / doc).read_text(encoding="utf-8")
    rules = [*reliability.RULES, reliability.UNANSWERED, reliability.STRAY_NUMBER]
    rules += [reliability.VALUE_TAIL]
    for rule in [*rules, reliability.UNUSABLE_CALL]:
        assert f"`{rule}`" in text, rule


@pytest.mark.parametrize(
    ("keyed", "expected"),
    [(True, []), (False, ["tres", "movimientos", "siete", "meses", "por"])],
)
def test_a_question_answered_on_the_keypad_has_its_answer(keyed: bool, expected: list[str]) -> None:
    """The caller keyed the PIN: what is said after the keys is not its answer ("Tiene tres
    movimientos siete meses...", whisper's "este mes", on samples/es/call-es-dtmf.wav)."""
    words = (
        said("Necesito su clave en el teclado.", 0, 3)
        + said("<DTMF>", 4, 5)
        + said("Gracias. Tiene", 6, 7)
        + said("tres movimientos siete meses por", 7, 9, 0.4)
        + said("ochenta euros.", 9, 10)
    )
    text = Transcript(words, "es", 12.0)
    keys = Entity("DTMF", *text.offsets[6], 1.0, "dtmf")
    answers = reliability.unanswered(text, [keys] if keyed else [])
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected


@pytest.mark.parametrize(
    ("bars", "expected"),
    [
        (reliability.Bars(), []),
        (reliability.DOUBTED, ["Cagamos", "en", "carnesión", "al", "mayo,", "300", "quince."]),
    ],
)
def test_on_a_call_whisper_doubts_a_number_needs_no_question(
    bars: reliability.Bars, expected: list[str]
) -> None:
    """A street number after a question whisper garbled past recognition ("¿Cuál es la
    reflexión de mío?" for "dirección de envío", hard-tune-es-01): on a call whisper
    doubts, digits in one breath are bleeped wherever they are, with the street name
    whisper garbled before them in their sentence; on a good call only after a question
    for a value."""
    words = said("¿Cuál es la reflexión de mío?", 0, 2) + said(
        "Cagamos en carnesión al mayo, 300 quince.", 2.5, 6
    )
    answers = reliability.unanswered(Transcript(words, "es", 10.0), [], bars)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I'd like to upgrade to the 500 megabit plan.", "en"),
        ("Quero o plano de 300 megas, por favor.", "pt"),
        ("Llevo 18 meses esperando.", "es"),
        ("One of them is one hundred twenty dollars too high.", "en"),
    ],
)
def test_a_quantity_is_no_value_misheard(text: str, language: str) -> None:
    """A number before its currency or unit, however many words it takes, is a quantity:
    not bleeped, even on a call whisper doubts (hard-tune-en-03, -07)."""
    words = said(text, 0, 4)
    answers = reliability.unanswered(Transcript(words, language, 10.0), [], reliability.DOUBTED)
    assert answers.words == frozenset()


def test_a_list_of_digits_before_a_unit_is_still_a_value() -> None:
    """ "12, 8, 70, month," was a date of birth (clear-report-en-13): a comma breaks a
    quantity."""
    words = said("your date of birth?", 0, 2) + said("It's 12, 8, 70, month, and", 2.5, 5)
    answers = reliability.unanswered(Transcript(words, "en", 10.0), [])
    assert [words[i].text.strip() for i in sorted(answers.words)] == ["12,", "8,", "70,"]


def test_an_amount_said_in_words_after_a_question_is_no_value() -> None:
    """Three digits said in words before "dollars" are an amount, on a good call too."""
    words = said("Your card number?", 0, 2)
    words += said("It is one hundred twenty three dollars.", 2.5, 5)
    answers = reliability.unanswered(Transcript(words, "en", 10.0), [])
    assert answers.words == frozenset()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # a street name garbled before its number: back to the sentence's start
        (
            said("Muito bem.", 0, 1) + said("Rua das Palmeiras, 85.", 1.5, 3.5),
            ["Rua", "das", "Palmeiras,", "85."],
        ),
        # and on to its end after the number, within the reach
        (said("Okay.", 0, 1) + said("5998 Alicia Ville.", 1.5, 3), ["5998", "Alicia", "Ville."]),
        # not beyond REACH_SECONDS: words 3 s before the number stay
        (
            said("E eu acho que a rua se chama,", 0, 2.8) + said("85 ou 86.", 5.9, 7),
            ["85", "ou", "86."],
        ),
        # not across a full stop, nor to the other channel
        (
            said("Qual o endereço?", 0, 1.5, channel=0) + said("Palmeiras, 85.", 1.5, 3, channel=1),
            ["Palmeiras,", "85."],
        ),
    ],
)
def test_on_a_call_whisper_doubts_digits_reach_over_their_sentence(
    words: list[Word], expected: list[str]
) -> None:
    """The hard calls' street names, dates of birth, e-mail users said beside their digits
    come out as words that are no digits ("Callama en carnesión al mayo, 300 quince."): on
    a call whisper doubts, a run of digits takes its sentence with it, up to
    REACH_SECONDS either way, on its own channel."""
    answers = reliability.unanswered(Transcript(words, "pt", 10.0), [], reliability.DOUBTED)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected
    assert reliability.unanswered(Transcript(words, "pt", 10.0), []).words == frozenset()


@pytest.mark.parametrize(
    ("words", "language", "expected"),
    [
        # the user part lost (clear-tune-pt-04): what detection left of the answer goes
        (
            said("E qual é o seu e-mail?", 0, 2)
            + said("Have um deline -lope.", 2.5, 4)
            + said("Certo.", 5, 6),
            "pt",
            ["Have", "um", "deline", "-lope."],
        ),
        # only the next sentence is the answer, and only after a question
        (
            said("Send the bill by email.", 0, 2) + said("Francis not Lloyd.", 2.5, 4),
            "en",
            [],
        ),
        (
            said("¿Me da su correo?", 0, 2)
            + said("Sí, claro, es mercedes punto.", 2.5, 4)
            + said("Gracias.", 5, 6),
            "es",
            ["Sí,", "claro,", "es", "mercedes", "punto."],
        ),
        # a sentence of courtesies first is not the answer: the next one is
        (
            said("Your email?", 0, 1) + said("Sure.", 1.2, 1.5) + said("Francis not Lloyd.", 2, 4),
            "en",
            ["Francis", "not", "Lloyd."],
        ),
        # the answer's own "my email is" is no part of the value
        (
            said("Your email?", 0, 1) + said("My email is Francis not Lloyd.", 1.5, 4),
            "en",
            ["Francis", "not", "Lloyd."],
        ),
        # not past EMAIL_ANSWER_SECONDS (19 words over 12 s: 13 within 8 s of the first)
        (
            said("Your email?", 0, 1) + said("Sure it is " + "very long " * 8, 1.5, 13.5),
            "en",
            ["Sure", "it", "is", *["very", "long"] * 5],
        ),
    ],
)
def test_an_answer_to_a_question_for_an_e_mail_is_what_detection_found(
    words: list[Word], language: str, expected: list[str]
) -> None:
    """An e-mail address is said in words, not digits: after a question for one, the
    words of the next sentence that detection did not explain are unreliable."""
    answers = reliability.answers(Transcript(words, language, 20.0), [])
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected
    assert all(s.reason == "unanswered_question" for s in answers.stretches)


@pytest.mark.parametrize(
    ("bars", "expected"),
    [
        # on a good call only an e-mail's answer is read whole
        (reliability.Bars(), []),
        # on a doubted call, any value's, and whisper's question may end in a full stop
        (reliability.DOUBTED, ["It's", "too", "thick,"]),
    ],
)
def test_on_a_doubted_call_the_answer_to_any_question_for_a_value_is_read_whole(
    bars: reliability.Bars, expected: list[str]
) -> None:
    """A CVV, 260, heard as English words (hard-tune-en-01): no digits, no doubt; the
    name detection found in it keeps its own type."""
    words = said("And the security code on the back of the card.", 0, 3)
    words += said("It's too thick, Steve.", 3.5, 5) + said("And the zip code?", 5.5, 6.5)
    text = Transcript(words, "en", 10.0)
    steve = next(i for i, w in enumerate(words) if w.text.strip() == "Steve.")
    found = [Entity("PERSON", *text.offsets[steve], 0.9, "x")]
    answers = reliability.answers(text, found, bars)
    assert [words[i].text.strip() for i in sorted(answers.words)] == expected


def test_an_e_mail_detection_found_is_its_own() -> None:
    words = said("What's your email?", 0, 2) + said("It's maria@gmail.com.", 2.5, 4)
    text = Transcript(words, "en", 10.0)
    found = [Entity("EMAIL_ADDRESS", *text.offsets[4], 0.9, "x")]
    answers = reliability.answers(text, found)
    assert [words[i].text.strip() for i in sorted(answers.words)] == ["It's"]


def test_a_garbled_answer_to_a_question_for_an_e_mail_is_bleeped(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Through the pipeline, on a good call: the answer's words are tagged and bleeped."""
    words = said("E qual é o seu e-mail?", 0.2, 3.0) + said("Have um deline -lope.", 4.0, 6.0)
    fake_call(tmp_path, fake, words, [Stretch(0.2, 3.0), Stretch(4.0, 6.0)])
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    transcript, bleeps = outputs(tmp_path)
    assert transcript["transcript_quality"]["verdict"] == "good"
    assert transcript["text"] == "E qual é o seu e-mail? <UNRELIABLE_SPEECH>"
    (bleep,) = bleeps["bleeps"]
    assert bleep["entity"] == "UNRELIABLE_SPEECH" and bleep["start"] <= 4.0 <= 6.0 <= bleep["end"]


@pytest.mark.parametrize(
    ("text", "language", "value", "expected"),
    [
        # the value's last digits heard as words (clear-tune-es-04): up to two go
        ("Es doce, del doce, del ochenta y cienza. Su tarifa.", "es", "ochenta", ["y", "cienza."]),
        # a courtesy, or the noun of "one moment", is not a value's end
        ("It's oh nine, 28, perfect. Thank you.", "en", "28,", []),
        ("It's 4111 1111 One moment, please.", "en", "1111", []),
        # three words are a sentence of their own, and a value that ends its sentence has none
        ("Son 068 y el código postal.", "es", "068", []),
        ("Son 068. Muy bien.", "es", "068.", []),
    ],
)
def test_a_values_few_last_words_are_its_digits_misheard(
    text: str, language: str, value: str, expected: list[str]
) -> None:
    words = said(text, 0, 5)
    transcript = Transcript(words, language, 10.0)
    last = next(i for i, w in enumerate(words) if w.text.strip() == value)
    found = [Entity("DATE_OF_BIRTH", transcript.offsets[1][0], transcript.offsets[last][1], 1, "x")]
    tails = reliability.value_tails(transcript, found)
    assert [words[i].text.strip() for i in sorted(tails.words)] == expected
    assert all(s.reason == "value_tail" for s in tails.stretches)
    # a name loses no digits
    names = [dataclasses.replace(found[0], type="PERSON")]
    assert reliability.value_tails(transcript, names).words == frozenset()


@pytest.mark.parametrize(
    ("words", "language", "expected"),
    [
        # whisper's words over a CNPJ it could not hear: sounds of Portuguese, no words of it
        (
            said("Sim, o CNPJ é a seis, nove. Põe -tu, chachi, drois.", 0, 5),
            "pt",
            {"chachi,": "unknown_word", "drois.": "unknown_word"},
        ),
        # one unknown word among a dozen is a word misheard ("faturas"), not garbage
        (
            said("São três paturas, total de 89 reais. Pago amanhã às 10 horas, obrigado.", 0, 5),
            "pt",
            {},
        ),
        # an e-mail's user part garbled, in a short channel of few words
        (said("Ninerda punto, pliego. A lo vale.", 0, 3), "es", {"Ninerda": "unknown_word"}),
        # a word whose times swallowed 7 s of speech (a phone number said there)
        (
            said("Un", 57.0, 57.3) + said("momento,", 57.3, 64.2) + said("por favor.", 64.7, 65.1),
            "es",
            {"momento,": "stretched_word"},
        ),
        # digits are values, not words, however long they take to say
        (said("É CF9378,", 0, 1) + said("0933660010.", 1, 6.5), "pt", {}),
        # a language wordfreq has no list for has no unknown words (times still count)
        (said("chachi drois", 0, 1), "xx", {}),
    ],
)
def test_on_a_doubted_call_words_of_no_language_and_stretched_words_are_unreliable(
    words: list[Word], language: str, expected: dict[str, str]
) -> None:
    found = reliability.doubted_words(Transcript(words, language, 70.0), RULES)
    assert {
        words[i].text.strip(): s.reason
        for i, s in zip(sorted(found.words), found.stretches, strict=True)
    } == expected
    assert [(s.start, s.end) for s in found.stretches] == [
        (words[i].start, words[i].end) for i in sorted(found.words)
    ]


def test_unknown_words_are_bleeped_on_a_doubted_call_only(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A word no list has, on a good call, is a name whisper spelled its own way (the
    controls' clear speech has several): left to detection. On a call whisper decoded
    with little confidence (mean log-probability below pt's -0.5), it is tagged and
    bleeped, and the verdict does not count it: a name is no sign of garbage."""
    words = said("Sim, o CNPJ é a seis, nove. Põe -tu, chachi, drois.", 0.2, 5.0)
    speech = [Stretch(0.2, 5.0)]
    for logprob, verdict, tagged in ((-0.3, "good", False), (-0.8, "degraded", True)):
        fake["transcriber"] = FakeTranscriber(words, "pt", [segment(0.2, 5.0, logprob)], speech)
        folder = tmp_path / verdict
        call(folder, seconds=6.0)
        code, _, err = run_folder(monkeypatch, capsys, folder)
        assert code == 0, err
        transcript, bleeps = outputs(folder)
        quality = transcript["transcript_quality"]
        assert quality["verdict"] == verdict
        assert "unknown_word" not in quality["seconds_by_rule"]
        assert ("drois" in transcript["text"]) is not tagged
        assert ("<UNRELIABLE_SPEECH>" in transcript["text"]) is tagged
        unknown = [b for b in bleeps["bleeps"] if b["entity"] == "UNRELIABLE_SPEECH"]
        assert bool(unknown) is tagged


def test_a_sentence_holding_a_value_found_is_an_answer_not_a_question() -> None:
    """ "O número do meu CPF é <CPF>, obrigado." holds the question's word and ends in a
    full stop, but detection found its value: the next sentence is no answer of it."""
    words = said("O número do meu CPF é 123.456.789-09, obrigado.", 0, 4)
    words += said("São três faturas, total de 89 reais.", 4.5, 7)
    text = Transcript(words, "pt", 10.0)
    value = next(i for i, w in enumerate(words) if w.text.strip() == "123.456.789-09,")
    found = [Entity("BR_CPF", *text.offsets[value], 0.9, "x")]
    assert reliability.answers(text, found, reliability.DOUBTED).words == frozenset()
    # the same sentence with no value found reads as whisper's question
    assert reliability.answers(text, [], reliability.DOUBTED).words


@pytest.mark.parametrize(
    ("bars", "flagged"), [(reliability.Bars(), False), (reliability.DOUBTED, True)]
)
def test_on_a_doubted_call_any_questions_answer_is_read_whole(
    bars: reliability.Bars, flagged: bool
) -> None:
    """Whisper garbles the question as well as its answer (hard-tune-es-04: "dirección"
    heard as "en lección"): on a doubted call every question's answer is read whole."""
    words = said("¿A qué en lección te lo mandamos?", 0, 2)
    words += said("Ese en la realización de un perdiato, hemos.", 2.5, 5) + said("Vale.", 6, 7)
    answers = reliability.answers(Transcript(words, "es", 10.0), [], bars)
    expected = ["Ese", "en", "la", "realización", "de", "un", "perdiato,", "hemos."]
    assert [words[i].text.strip() for i in sorted(answers.words)] == (expected if flagged else [])


def test_the_answer_to_how_can_i_help_is_the_reason_for_calling() -> None:
    """On a doubted call too: "How can I help you today?" asks for no value (the
    language's ``open_questions``)."""
    words = said("Thanks. How can I help you today?", 0, 2)
    words += said("I got three invoices this month and one is too high.", 2.5, 6)
    answers = reliability.answers(Transcript(words, "en", 10.0), [], reliability.DOUBTED)
    assert answers.words == frozenset()
