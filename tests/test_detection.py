"""Presidio engines per language: offline, our recognizers registered, overlaps merged."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import NoReturn

import pytest
from presidio_analyzer import Pattern, PatternRecognizer

from redactor import languages
from redactor.config import Config
from redactor.detection import (
    PRESIDIO_LOG,
    Detector,
    merge_overlaps,
    name_sentences,
    ordinary_words,
)
from redactor.errors import ConfigError, DetectionIncomplete, ModelError
from redactor.types import Entity
from tests.conftest import FakeTranscriber, call, run_folder, words_from


@pytest.fixture(scope="module")
def detector(models_dir: Path) -> Detector:
    return Detector(Config(models_dir=models_dir))


def found(detector: Detector, text: str, language: str) -> list[tuple[str, str]]:
    return [(e.type, text[e.start : e.end]) for e in detector.analyze(text, language)]


# (language, text, expected (type, matched text) pairs)
CASES = [
    ("pt", "Meu CPF é 529.982.247-25, obrigado.", [("BR_CPF", "529.982.247-25")]),
    ("pt", "o número do seguro social é 536-90-4399", [("US_SSN", "536-90-4399")]),
    ("pt", "o CNPJ da empresa é 11.222.333/0001-81", [("BR_CNPJ", "11.222.333/0001-81")]),
    ("es", "Mi número de seguro social es 536-90-4399.", [("US_SSN", "536-90-4399")]),
    ("es", "mi CPF es 529.982.247-25", [("BR_CPF", "529.982.247-25")]),
    ("en", "My social security number is 536-90-4399.", [("US_SSN", "536-90-4399")]),
    ("en", "my CPF is 529.982.247-25", [("BR_CPF", "529.982.247-25")]),
    ("en", "write to john.smith@example.com please", [("EMAIL_ADDRESS", "john.smith@example.com")]),
    ("en", "the card is 4111 1111 1111 1111", [("CREDIT_CARD", "4111 1111 1111 1111")]),
    # spoken as words: found in the normalised text, mapped back to the words
    (
        "pt",
        "meu CPF é cinco, dois, nove, nove, oito, dois, dois, quatro, sete, dois, cinco. ok",
        [("BR_CPF", "cinco, dois, nove, nove, oito, dois, dois, quatro, sete, dois, cinco")],
    ),
    (
        "es",
        "mi número de seguro social es quinientos treinta y seis, noventa, cuarenta y tres, "
        "noventa y nueve, gracias",
        [("US_SSN", "quinientos treinta y seis, noventa, cuarenta y tres, noventa y nueve")],
    ),
    (
        "en",
        "my social security number is five three six nine zero four three nine nine",
        [("US_SSN", "five three six nine zero four three nine nine")],
    ),
    (
        "en",
        "my ssn is five three six, nine oh, four three nine nine",
        [("US_SSN", "five three six, nine oh, four three nine nine")],
    ),
    (
        "pt",
        "meu CPF é cinco dois nove, nove oito dois, dois quatro sete, dois cinco",
        [("BR_CPF", "cinco dois nove, nove oito dois, dois quatro sete, dois cinco")],
    ),
    ("en", "what's your PIN? four three two one", [("PIN", "four three two one")]),
    (
        "es",
        "mi DNI es doce millones trescientos cuarenta y cinco mil seiscientos setenta y "
        "ocho, letra Z",
        [
            (
                "ES_DNI",
                "doce millones trescientos cuarenta y cinco mil seiscientos "
                "setenta y ocho, letra Z",
            )
        ],
    ),
    (
        "es",
        "mi DNI es uno dos tres cuatro cinco seis siete ocho, letra zeta",
        [("ES_DNI", "uno dos tres cuatro cinco seis siete ocho, letra zeta")],
    ),
    # a Spanish mobile is a phone number, not an SSN; an SSN said 3-2-4 stays one
    ("es", "Mi móvil es 612 345 678", [("PHONE_NUMBER", "612 345 678")]),
    ("es", "mi teléfono es 612 345 678", [("PHONE_NUMBER", "612 345 678")]),
    ("pt", "meu celular é 612 345 678", [("PHONE_NUMBER", "612 345 678")]),
    ("en", "my phone is 612 345 678", [("PHONE_NUMBER", "612 345 678")]),
    ("es", "mi número de seguro social es 612 34 5678", [("US_SSN", "612 34 5678")]),
    ("pt", "o número do seguro social é 612-34-5678", [("US_SSN", "612-34-5678")]),
    ("en", "my social security number is 612 34 5678", [("US_SSN", "612 34 5678")]),
    # a span ends where the value does: not at the sentence's full stop, which the NER
    # model's token (and so its PERSON guess) takes along
    ("es", "mi DNI es 12345678Z.", [("ES_DNI", "12345678Z")]),
    ("es", "mi DNI es 12345678Z, gracias.", [("ES_DNI", "12345678Z")]),
    # "barra" and "traço" as whisper mishears them inside a CNPJ (clear Kokoro pt tune)
    (
        "pt",
        "E qual é o CNPJ da empresa? 84, 136, 289, marra 001, trato 60. Tão um momento",
        [("NUMBER", "84, 136, 289, marra 001, trato 60")],
    ),
    # more of them, and "nascimento" as "inacimento" / "nafimento", a date's "do" as "no"
    # (clear Kokoro pt tune, calls 24-39)
    (
        "pt",
        "E qual é o CN18 da empresa? 84 .436, 6 .070, bar 0 .001, braço 40 e 5. Seto anotado.",
        [("US_SSN", "84 .436, 6 .070, bar 0 .001, braço 40")],
    ),
    (
        "pt",
        "Pode me passar o CNPJ. O CNPJ 25. 479. 453. Barra 001. Trasso 73. E um celular",
        [("NUMBER", "25. 479. 453. Barra 001. Trasso 73")],
    ),
    (
        "pt",
        "Anota aí, oito cento de onde, zero setenta e quatro, quatrocentos e quarenta e três, "
        "rastos cinquenta e sete. Qual é o endereço",
        [
            (
                "NUMBER",
                "zero setenta e quatro, quatrocentos e quarenta e três, rastos cinquenta e sete",
            )
        ],
    ),
    (
        "pt",
        "E a data de inacimento do titular. No vinte e seis do oito de noventa e três. Pode",
        [("DATE_OF_BIRTH", "vinte e seis do oito de noventa e três")],
    ),
    (
        "pt",
        "Qual é a sua data de nafimento? Lé 30 do 5 de setenta e treve. E onde fica",
        [("DATE_OF_BIRTH", "30 do 5 de setenta")],
    ),
    (
        "pt",
        "E em que dia você nasceu? No 29, no 9 de 91. Para",
        [("DATE_OF_BIRTH", "29, no 9 de 91")],
    ),
    # "CEP" heard as "o sete" (the spoken view makes it "o 7") and as "sepira" (clear
    # Kokoro pt tune): the answer runs on over "traço"
    (
        "pt",
        "e confirma o sete por favor. 222, traço 208. E a data de",
        [("POSTAL_CODE", "222, traço 208")],
    ),
    (
        "pt",
        "E eu sepira rua. Quatro trinta, oitenta e sete, traço, cento e dez. Pronto!",
        [("POSTAL_CODE", "Quatro trinta, oitenta e sete, traço, cento e dez")],
    ),
    # "o CEP" heard as "o CP" (clear Kokoro pt tune, calls 24-31)
    (
        "pt",
        "E confirma o CP, por favor. 0, 21, 39, traço, dovento e setenta e quatro. Pode me",
        [("POSTAL_CODE", "0, 21, 39")],
    ),
    # "validade" heard as "qualidade"; a month in whisper's plural (clear Kokoro pt tune)
    (
        "pt",
        "é a qualidade do cartão? Janeiro de dois mil. Efeito obrigado.",
        [("EXPIRY_DATE", "Janeiro de dois mil")],
    ),
    (
        "pt",
        "Vence em uma janeiros de dois mil e trinta e dois. Qual é",
        [("EXPIRY_DATE", "uma janeiros de dois mil e trinta e dois")],
    ),
    # the NER's guess over the farewell is ordinary words and goes, but not the name our
    # farewell rule found inside it (clear Kokoro es tune, calls 24-31)
    ("es", "Muchas gracias. Unito hasta luego.", [("PERSON", "Unito")]),
    # a name the NER found answers the question for it: nothing more goes
    (
        "es",
        "¿Quién llama? Buenas tardes, me llamo Benigno Bayo. Muy bien",
        [("PERSON", "Benigno Bayo")],
    ),
    ("pt", "são oitenta e nove reais às dez horas", []),
    # ordinary numbers stay readable
    ("pt", "São 150 reais, às 10:30, em 3 parcelas.", []),
    ("en", "That is 20 dollars at 10:30 for 3 months.", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_detects(
    detector: Detector, language: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(detector, text, language) == expected


@pytest.mark.parametrize(
    ("language", "with_context", "without"),
    [
        ("pt", "o meu cpf é 529.982.247-24", "o valor é 529.982.247-24"),
        ("es", "mi cpf es 529.982.247-24", "el importe es 529.982.247-24"),
        ("en", "my cpf is 529.982.247-24", "the amount is 529.982.247-24"),
    ],
)
def test_context_raises_invalid_checksum(
    detector: Detector, language: str, with_context: str, without: str
) -> None:
    """A CPF that fails its checksum is still redacted (as a long number without context);
    its context word, in each language's own sentence, makes it a CPF."""
    (found,) = detector.analyze(with_context, language)
    (bare,) = detector.analyze(without, language)
    assert (found.type, bare.type) == ("BR_CPF", "NUMBER")
    assert found.score > bare.score >= 0.3


def test_no_network_when_building_and_analyzing(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Engines load models by path and tldextract uses its snapshot: no socket is opened."""

    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = Detector(Config(models_dir=models_dir))
    for language in ("pt", "es", "en"):
        fresh.analyze("email maria.silva@gmail.com.br ou 529.982.247-25", language)


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make models"):
        Detector(Config(models_dir=tmp_path)).analyze("hello", "en")


def test_unsupported_language(detector: Detector) -> None:
    with pytest.raises(ConfigError):
        detector.analyze("bonjour", "fr")


def test_disabled_recognizer(models_dir: Path) -> None:
    detector = Detector(Config(models_dir=models_dir, disabled_recognizers=["BrCpfRecognizer"]))
    assert not [e for e in detector.analyze("cpf 529.982.247-25", "pt") if e.type == "BR_CPF"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Hola, quiero cancelar mi plan"),
        ("es", "tarjeta cuatro"),
        ("pt", "Claro, senhora"),
        # the es NER's guesses on the clear and hard tune calls' closing lines
        ("es", "Listo. Muchas gracias, adiós."),
        ("es", "Vale, anotamos."),
        ("es", "Muchas gracias, amigos."),
        ("es", "Gracias, buena tarde."),
        ("pt", "Qual é o seu CTF?"),  # CPF as whisper hears it
    ],
)
def test_greetings_are_not_names(detector: Detector, language: str, text: str) -> None:
    assert not [e for e in detector.analyze(text, language) if e.type in ("PERSON", "LOCATION")]


@pytest.mark.parametrize(
    ("language", "words", "ordinary"),
    [
        # the Spanish NER's PERSON over an agent's line (clear-tune-es-05)
        ("es", "Los tres números se detrás de la tarjeta", True),
        ("pt", "os três dígitos do verso do cartão", True),
        ("pt", "obrigada dona maria", False),  # one word a name never holds
        ("es", "Luis Miguel Mida", False),  # capitalised after the first word
        ("es", "hola maría lópez", False),  # one word a name never holds
        ("es", "teferino morcillo", False),  # two words: too short to judge
        ("pt", "bom dia tudo bem", True),
    ],
)
def test_ordinary_words_are_no_name(language: str, words: str, ordinary: bool) -> None:
    assert ordinary_words(words.split(), languages.get(language)) is ordinary


@pytest.mark.parametrize(
    ("language", "span", "kept"),
    [
        # the pt NER's PERSON over whisper's full stops (clear Kokoro pt tune): the turn
        # before the name, the question before the e-mail, the thanks after it
        ("pt", "O andereço é. Pite o cavalcante, durando ali,", "Pite o cavalcante, durando ali,"),
        ("pt", "imedio? Ravi Underline Loppe, a rova", "Ravi Underline Loppe, a rova"),
        (
            "pt",
            "Maria Cecilia 52, ponto com ponto R. Perfeito,",
            "Maria Cecilia 52, ponto com ponto R.",
        ),
        # a name's sentences stay: an initial, a first name alone, one in lower case
        ("pt", "João P. Silva", "João P. Silva"),
        ("pt", "Maria. Sofia Ribeiro", "Maria. Sofia Ribeiro"),
        ("es", "¿Usted es la señora? maría lópez", "maría lópez"),
        ("es", "¿Es usted María? Sí.", "¿Es usted María?"),
        ("es", "gracias. maría lópez", "maría lópez"),
        ("es", "¿y su nombre? Luis Miguel", "Luis Miguel"),
        # one sentence is left to the filters that judge a whole guess
        ("pt", "Obrigado.", "Obrigado."),
        ("en", "john calling", "john calling"),
    ],
)
def test_sentences_without_a_name_leave_the_ners_span(language: str, span: str, kept: str) -> None:
    start, end = name_sentences(span, 0, len(span), languages.get(language))
    assert span[start:end].strip() == kept


def test_a_lower_case_name_after_a_title_is_still_found(detector: Detector) -> None:
    """The NER's guess over "gracias señora maría" counts as ordinary words; the name
    prompt ("señora") still finds the name."""
    assert ("PERSON", "maría") in found(detector, "gracias señora maría", "es")


def test_business_names_configured_as_not_pii(models_dir: Path) -> None:
    text = "Welcome to Brookfield, this is Tom speaking"
    found = Detector(Config(models_dir=models_dir)).analyze(text, "en")
    assert ("LOCATION", "Brookfield") in [(e.type, text[e.start : e.end]) for e in found]
    configured = Detector(Config(models_dir=models_dir, not_pii=["Brookfield"])).analyze(text, "en")
    assert [(e.type, text[e.start : e.end]) for e in configured] == [("PERSON", "Tom")]


def test_url_inside_email_is_one_entity(detector: Detector) -> None:
    text = "mail maria.silva@example.com now"
    assert found(detector, text, "en") == [("EMAIL_ADDRESS", "maria.silva@example.com")]


@pytest.mark.parametrize(
    ("entities", "expected"),
    [
        ([], []),
        (
            [Entity("A", 0, 5, 0.5, "r"), Entity("B", 10, 12, 0.9, "r")],
            [Entity("A", 0, 5, 0.5, "r"), Entity("B", 10, 12, 0.9, "r")],
        ),
        # overlap: one span, typed by the best score
        (
            [Entity("URL", 5, 15, 0.5, "u"), Entity("EMAIL", 0, 20, 1.0, "e")],
            [Entity("EMAIL", 0, 20, 1.0, "e")],
        ),
        (
            [Entity("A", 0, 6, 0.4, "a"), Entity("B", 4, 10, 0.8, "b")],
            [Entity("B", 0, 10, 0.8, "b")],
        ),
        # touching spans merge too: "<A><B>" is a fragment as well
        (
            [Entity("A", 0, 5, 0.4, "a"), Entity("B", 5, 9, 0.8, "b")],
            [Entity("B", 0, 9, 0.8, "b")],
        ),
        # a character apart: kept apart
        (
            [Entity("A", 0, 5, 0.4, "a"), Entity("B", 6, 9, 0.8, "b")],
            [Entity("A", 0, 5, 0.4, "a"), Entity("B", 6, 9, 0.8, "b")],
        ),
    ],
)
def test_merge_overlaps(entities: list[Entity], expected: list[Entity]) -> None:
    assert merge_overlaps(entities) == expected


#: A value that must never show in an error message.
CANARY = "529.982.247-25"


def slow_recognizer(language: str = "en") -> PatternRecognizer:
    """A pattern that backtracks for ever on a run of a's with no b after it."""
    return PatternRecognizer(
        supported_entity="SLOW",
        patterns=[Pattern("slow", r"(?:a|aa)+b", 0.5)],
        name="Slow",
        supported_language=language,
    )


def test_a_pattern_that_times_out_fails_detection_closed(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Presidio skips a pattern past its timeout and goes on: what it would have found would
    stay readable. The detector refuses the text instead, naming no part of it."""
    from presidio_analyzer import pattern_recognizer

    monkeypatch.setattr(pattern_recognizer, "REGEX_TIMEOUT_SECONDS", 0.2)
    detector = Detector(Config(models_dir=models_dir))
    detector.engine("en").registry.add_recognizer(slow_recognizer())
    with pytest.raises(DetectionIncomplete) as info:
        detector.analyze(f"my number is {CANARY} " + "a" * 60, "en")
    assert CANARY not in str(info.value) and "timed out" in str(info.value)
    # the next text starts afresh
    assert [e.type for e in detector.analyze(f"cpf {CANARY}", "en")] == ["BR_CPF"]


def test_presidio_warnings_stay_quiet_and_errors_are_logged(
    caplog: pytest.LogCaptureFixture, models_dir: Path
) -> None:
    Detector(Config(models_dir=models_dir))
    with caplog.at_level(logging.WARNING):
        PRESIDIO_LOG.warning("a warning")
        PRESIDIO_LOG.error("an error")
    assert [r.getMessage() for r in caplog.records] == ["an error"]


def test_a_call_whose_detection_times_out_fails_and_writes_nothing(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from presidio_analyzer import pattern_recognizer

    from redactor import detection

    monkeypatch.setattr(pattern_recognizer, "REGEX_TIMEOUT_SECONDS", 0.2)
    ours = detection.build_recognizers
    monkeypatch.setattr(
        detection,
        "build_recognizers",
        lambda language, has_ner: [*ours(language, has_ner), slow_recognizer(language)],
    )
    fake["transcriber"] = FakeTranscriber(
        words_from([("Meu", 0.2, 0.4), ("CPF", 0.5, 0.8), (CANARY, 0.9, 2.5), ("a" * 60, 2.6, 4)])
    )
    call(tmp_path)
    code, out, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 1 and "detection incomplete" in err
    assert CANARY not in out + err
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
