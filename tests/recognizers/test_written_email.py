import pytest

from redactor.detection import offline_tldextract
from redactor.recognizers import WrittenEmailRecognizer


@pytest.fixture(autouse=True)
def _offline() -> None:
    offline_tldextract()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meu email é maria.silva@gmail.com obrigado", ["maria.silva@gmail.com"]),
        ("contato: joao_1@empresa.com.br.", ["joao_1@empresa.com.br"]),
        ("mail maria@gmail.com, e pedro@hotmail.com", ["maria@gmail.com", "pedro@hotmail.com"]),
        ("user+tag@sub.example.co.uk end", ["user+tag@sub.example.co.uk"]),
        ("R$100,maria@uol.com.br", ["maria@uol.com.br"]),
        ("foo@bar-baz.org", ["foo@bar-baz.org"]),
        # whisper's leading dot stays with the address
        ("It's .landry@gmail.com", [".landry@gmail.com"]),
        # a user name longer than an address allows is still taken whole (fail closed)
        ("a" * 100 + "@gmail.com", ["a" * 100 + "@gmail.com"]),
        # no domain, or one tldextract does not know
        ("x@y", []),
        ("a@b.c", []),
        ("ab@@gmail.com", []),
    ],
)
def test_a_written_address(text: str, expected: list[str]) -> None:
    results = WrittenEmailRecognizer(supported_language="pt").analyze(text, ["EMAIL_ADDRESS"])
    assert [text[r.start : r.end] for r in results] == expected


@pytest.mark.parametrize("run", ["R$", "a.", "a-"])
def test_a_long_run_before_an_at_is_read_once(run: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Presidio's own pattern tries every start of such a run to its end: 2,000 repeats took
    it about 1.8 s here, 20,000 would take minutes and run past the time-out (the call then
    fails). Ours reads the run once, so the address after it is found within the time-out."""
    from presidio_analyzer import pattern_recognizer

    from redactor.detection import TIMEOUTS, watch_presidio

    watch_presidio()
    TIMEOUTS.reset()
    monkeypatch.setattr(pattern_recognizer, "REGEX_TIMEOUT_SECONDS", 10)
    text = run * 20_000 + " @gmail.com e maria@gmail.com"
    results = WrittenEmailRecognizer(supported_language="en").analyze(text, ["EMAIL_ADDRESS"])
    assert TIMEOUTS.count == 0
    assert [text[r.start : r.end] for r in results] == ["maria@gmail.com"]


def test_switching_off_emailrecognizer_still_switches_it_off() -> None:
    recognizer = WrittenEmailRecognizer(supported_language="es")
    assert getattr(recognizer, "name", None) == "EmailRecognizer"
