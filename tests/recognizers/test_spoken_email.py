"""EMAIL_ADDRESS said aloud: words for "@" and ".", spelled user names, known domains."""

from __future__ import annotations

import pytest

from redactor.recognizers import SpokenEmailRecognizer

CASES = [
    (
        "pt",
        "é maria ponto silva arroba gmail ponto com",
        ["maria ponto silva arroba gmail ponto com"],
    ),
    ("en", "john dot smith at gmail dot com please", ["john dot smith at gmail dot com"]),
    (
        "es",
        "ana guion bajo ruiz arroba hotmail punto es",
        ["ana guion bajo ruiz arroba hotmail punto es"],
    ),
    (
        "pt",
        "o email é r y a n 7 4 arroba uol ponto com ponto br",
        ["r y a n 7 4 arroba uol ponto com ponto br"],
    ),
    ("en", "maria_silva at yahoo.com", ["maria_silva at yahoo.com"]),
    # a user name said in pieces, read back to the first word that is not part of it
    (
        "en",
        "it's j smith one two three at gmail dot com",
        ["j smith one two three at gmail dot com"],
    ),
    (
        "pt",
        "meu email é maria dois mil arroba uol ponto com",
        ["maria dois mil arroba uol ponto com"],
    ),
    # not addresses
    ("en", "I'm at home right now", []),
    ("en", "meet me at the office dot", []),
    ("pt", "estou em casa ponto final", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_spoken_email(language: str, text: str, expected: list[str]) -> None:
    results = SpokenEmailRecognizer(supported_language=language).analyze(text, ["EMAIL_ADDRESS"])
    assert [text[r.start : r.end] for r in results] == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # what whisper printed on the clear corpus, the "@" lost (clear-report-en-01)
        ("en", "It's Carolyn26 -gmail .com.", ["Carolyn26 -gmail .com"]),
        # the "@" dropped and the provider glued to the user name (clear Piper en tune)
        ("en", "It's Michaela .jonesoutlook .com.", ["Michaela .jonesoutlook .com"]),
        ("en", "Vanessa underscoreman at outlook .com.", ["Vanessa underscoreman at outlook .com"]),
        # "arroba" misheard (issue 15: "él va a mercader 2 a roba, ya o punto es")
        ("es", "es maria a roba gmail punto com", ["maria a roba gmail punto com"]),
        ("pt", "é joão arru hotmail ponto com", ["joão arru hotmail ponto com"]),
        # "arroba" as "roba", commas where the speaker paused (clear Kokoro pt)
        (
            "pt",
            "Alana ponto, paiva, roba o al ponto com ponto BR. E o código",
            ["Alana ponto, paiva, roba o al ponto com ponto BR"],
        ),
        # the provider in two pieces, hyphenated, or dropped (issue 15's examples)
        ("es", "Seis a roba ya o punto es.", ["Seis a roba ya o punto es"]),
        ("en", "It's Carolyn26 at G mail dot com.", ["Carolyn26 at G mail dot com"]),
        ("en", "john dot smith at g-mail.com", ["john dot smith at g-mail.com"]),
        (
            "pt",
            "É joana ponto lima e arru ponto com ponto BR. Obrigado.",
            ["joana ponto lima e arru ponto com ponto BR"],
        ),
        # "arroba" heard, the domain garbled (clear Kokoro es/pt tune): the words around go
        (
            "es",
            "¿A qué correo? Borja punto jover. A roba uslo a punto... ¿Listo?",
            ["Borja punto jover. A roba uslo a punto"],
        ),
        (
            "pt",
            "Pode me confirmar o seu imenio. Mas sim ponto, mais vai a rova de meio quando com.",
            ["ponto, mais vai a rova de meio quando com"],
        ),
        # "arroba" heard as "rouba" before "ponto"; a ".com.br" whose "br" was misheard
        # (clear Kokoro pt tune, calls 24-31)
        (
            "pt",
            "Um cara ponto sosa rouba o ao ponto com ponto verde. Tudo",
            # the first pattern's match, and the garbled one's, which goes on to ".br"
            [
                "cara ponto sosa rouba o ao ponto com",
                "cara ponto sosa rouba o ao ponto com ponto verde",
            ],
        ),
        (
            "pt",
            "Silva. Ahova o al ponto com ponto 3. E confirma",
            ["Ahova o al ponto com ponto 3"],
        ),
        # ... but a sentence's full stop is no join: the agent's line before stays
        ("pt", "Pode anotar. É joana arroba gmail ponto com.", ["joana arroba gmail ponto com"]),
        # a join word goes on past whisper's full stop, whatever word follows it
        # ("salome_ulloa@hotmail.es", clear Kokoro es tune)
        (
            "es",
            "Mi correo es, alo me guion bajo. Y yo a robaos más el punto es, me puede decir",
            ["guion bajo. Y yo a robaos más el punto es, me puede"],
        ),
        # a join word takes the word after it, even one no user name begins with
        (
            "es",
            "Eh, Luis Miguel, punto mi arroba, otro, punto cop. Un momento.",
            ["Luis Miguel, punto mi arroba, otro, punto cop"],
        ),
        # "de arroba" run into one word (clear Kokoro es tune)
        (
            "es",
            "Eh, Luis Miguel, punto mi daroba, otro, punto cop. Un momento.",
            ["Luis Miguel, punto mi daroba, otro, punto cop"],
        ),
        # ... up to a "com" ("junto con" for "punto com"), with what may follow it
        (
            "es",
            "Es Nazarez 30 y Luere Aroba Uso, junto con su tarifa actual.",
            ["Nazarez 30 y Luere Aroba Uso, junto con"],
        ),
        (
            "pt",
            "Maria Cecilia 52, a rova o al ponto com ponto berre. Perfeito, obrigado.",
            # the first pattern's match, and the garbled one's, which goes on to ".br"
            [
                "Maria Cecilia 52, a rova o al ponto com",
                "Maria Cecilia 52, a rova o al ponto com ponto berre",
            ],
        ),
        ("pt", "eu vou arrumar a casa e ele rouba tudo", []),
        # "arroba" heard as other words (clear Kokoro pt tune): "arruba", "arroga", and words
        # of the language where "ponto" soon follows
        (
            "pt",
            "mando contra avanço e noventa e cinco a roupa jamei o ponto é feito obrigado",
            ["cinco a roupa jamei o ponto é feito obrigado"],
        ),
        (
            "pt",
            "Lé, gare o ponto cru, arruba rotmeio ponto call. E eu",
            ["ponto cru, arruba rotmeio ponto call"],
        ),
        ("pt", "Ele vai roubar o meio ponto com", ["Ele vai roubar o meio ponto com"]),
        # "gmail" heard as three words, "underline" as "underlinhe" (clear Kokoro pt tune)
        (
            "pt",
            "Cú vem underlinhe. Aparecida a roupa G e meio ponto. Qual é a sua data",
            ["Cú vem underlinhe. Aparecida a roupa G e meio ponto"],
        ),
        ("pt", "comprei a roupa ontem e quero trocar", []),
        # "a rua" for "arroba", only before a domain's end (clear Kokoro pt tune, call 24)
        (
            "pt",
            "Renata ponto Vicente. A rua Rodmeio ponto com... A última",
            ["Renata ponto Vicente. A rua Rodmeio ponto com"],
        ),
        ("pt", "Eu moro na rua Augusta, ponto de referência é a padaria.", []),
        ("pt", "vão roubar o carro, ponto final.", []),
        # "roba", "rova" inside a word: not "arroba" (clear Kokoro es/pt tune)
        ("es", "Para comprobar los datos, su fecha de nacimiento.", []),
        ("pt", "Vou enviar o comprovante agora, tudo bem?", []),
        ("pt", "provavelmente o pedido foi aprovado", []),
        # only the domain's end heard (clear Kokoro pt tune, clear Piper en tune): the words
        # before it in its sentence, from the first that is no lead-in
        (
            "pt",
            "Pode mandar para 70 e 4. A jovem é o ponto com São Momente.",
            ["jovem é o ponto com"],
        ),
        (
            "en",
            "My email is onaries .landreadedowels .com. And the expiration date?",
            ["onaries .landreadedowels .com"],
        ),
        # the provider heard as an ordinary word, one an address never begins with (hard
        # espeak-ng en tune)
        ("en", "Where to? To that email .com. And your birthday?", ["that email .com"]),
        ("en", "I sent it to my email. Thanks.", []),
        # "com" is also a Portuguese word: a sentence that goes on is no address
        ("pt", "Chegamos a um ponto com muitas dúvidas.", []),
        ("es", "El punto es que no lo sé.", []),
        # a provider's name alone, with no top-level domain after it, is no address
        ("en", "I use gmail for work", []),
        ("en", "we sell outlook licences dot", []),
    ],
)
def test_an_address_whose_at_was_misheard(language: str, text: str, expected: list[str]) -> None:
    results = SpokenEmailRecognizer(supported_language=language).analyze(text, ["EMAIL_ADDRESS"])
    assert [text[r.start : r.end] for r in results] == expected


#: What whisper prints when it loops (a word without end, digits or letters over and over,
#: a join word repeated), and after it an address. Every pattern must still look at all of
#: it: tried split every possible way, such a stretch kept a pattern busy for minutes, and
#: Presidio skips a pattern that runs past its timeout, so the address went unfound.
LOOPS = [
    ("es", "a" * 3000, "Nazarez 30 y Luere Aroba Uso, junto con"),
    ("pt", "1 " * 1500, "é maria ponto silva arroba gmail ponto com"),
    ("pt", "r y a n " * 400, "r y a n 7 4 arroba uol ponto com ponto br"),
    ("en", "dot " * 1000, "It's Carolyn26 -gmail .com"),
    ("en", "x, " * 1000, "john dot smith at gmail dot com"),
    ("en", "b" * 3000, "It's Michaela .jonesoutlook .com"),
    ("pt", "de, " * 1000, "A jovem é o ponto com"),
]


@pytest.mark.parametrize(("language", "loop", "said"), LOOPS)
def test_a_loop_before_an_address_leaves_it_found(
    language: str, loop: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from presidio_analyzer import pattern_recognizer

    from redactor.detection import TIMEOUTS, watch_presidio

    watch_presidio()
    TIMEOUTS.reset()
    # far more than these take (well under a second), far less than splitting took
    monkeypatch.setattr(pattern_recognizer, "REGEX_TIMEOUT_SECONDS", 10)
    recognizer = SpokenEmailRecognizer(supported_language=language)
    alone = recognizer.analyze(said + ".", ["EMAIL_ADDRESS"])
    text = f"{loop}. {said}."
    looped = recognizer.analyze(text, ["EMAIL_ADDRESS"])
    assert TIMEOUTS.count == 0
    offset = len(loop) + 2
    assert alone  # each said address is found alone...
    for found in alone:  # ...and after the loop, as much of it at least
        start, end = found.start + offset, found.end + offset
        assert any(r.start <= start and r.end >= end for r in looped), text[start:end]
