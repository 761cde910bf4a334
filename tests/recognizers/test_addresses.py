"""STREET_ADDRESS: street patterns, and whatever answers an address prompt."""

from __future__ import annotations

import pytest

from redactor.recognizers import PromptedAddressRecognizer, StreetAddressRecognizer

PATTERN_CASES = [
    ("pt", "fica na Rua das Flores, 123 perto do centro", ["Rua das Flores, 123"]),
    ("pt", "avenida paulista 1000", ["avenida paulista 1000"]),
    ("es", "en la calle de Alcalá 45", ["calle de Alcalá 45"]),
    ("en", "it's 42 Oak Street, apt 5", ["42 Oak Street, apt 5"]),
    ("en", "1600 pennsylvania avenue", ["1600 pennsylvania avenue"]),
    ("en", "I walked 3 blocks", []),
    # house numbers said in groups or digit by digit, as the spoken view prints them
    (
        "en",
        "Sure. 1 8, 1 7, Elm Court, apartment 5 D. Thanks",
        ["1 8, 1 7, Elm Court, apartment 5 D"],
    ),
    ("en", "ship to 21 04 8 Royal Road", ["21 04 8 Royal Road"]),
    # whisper's thousands comma after a space, a square (clear-tune-en-00)
    ("en", "It's 63 ,087 Holland Square. Okay", ["63 ,087 Holland Square"]),
    ("en", "it's 7 Market Plaza", ["7 Market Plaza"]),
]
PROMPT_CASES = [
    ("pt", "eu moro na Vereda de Barbosa, 6. obrigado", ["Vereda de Barbosa, 6"]),
    ("es", "mándelo a c. de demetrio prat 13", ["c. de demetrio prat 13"]),
    ("en", "ship it to 4 Elm court and thanks", ["4 Elm court"]),
    # what whisper printed for "ship it to" on the clear corpus (clear-tune-en-02, -03)
    ("en", "Give it to 21 ,048 Royal Club", ["21 ,048 Royal Club"]),
    (
        "en",
        "Chip it to $124 Ferguson Quilt",
        ["124 Ferguson Quilt"],
    ),  # the "$" word is bleeped whole
    ("en", "what is your address? ", []),
    # a full stop ends the clause unless it ends an abbreviation or an initial
    ("en", "Give it to 21 ,048 Royal Club. Done. Your new bill", ["21 ,048 Royal Club"]),
    ("en", "ship it to 12 Oak St. apt. 5 please", ["12 Oak St. apt. 5 please"]),
    ("pt", "eu moro na Av. Paulista, 1000. Certo", ["Av. Paulista, 1000"]),
    ("es", "la dirección es Calle Georgia 096 Edif. 669. Gracias", ["Calle Georgia 096 Edif. 669"]),
    # an e-mail address is not a street address
    ("en", "And your email address is Catherine40 at Yahoo .com. the best", []),
    ("en", "my address is 9 Elm Road. Thanks", ["9 Elm Road"]),
    # asked where to send the card: the next sentence (clear Piper en tune, calls 24-39)
    (
        "en",
        "Where should we send the new cart? It's $19 ,091 Lopez Juice. Perfect.",
        ["It's $19 ,091 Lopez Juice"],
    ),
    # not where an e-mail goes
    ("en", "Where should I send the confirmation? My email is joys at Yahoo .com. And", []),
    # a joining word first ("y al" for "Vial", clear Kokoro es tune)
    ("es", "La dirección es, y al detamar al manza, 79. ¿Con qué", ["y al detamar al manza, 79"]),
    # written with a colon; "lives at" (presidio-research's synthetic set)
    ("en", "his address: 450 Praestevaenget 15, Copenhagen", ["450 Praestevaenget 15, Copenhagen"]),
    ("en", "Tomomi lives at 86036 Rua do Arenque 1634. Then", ["86036 Rua do Arenque 1634"]),
    ("en", "Ship it to... 404 petty knolls. Okay", ["404 petty knolls"]),
    # asked for: the next sentence is the answer (clear Kokoro pt/es tune)
    ("pt", "Qual é o endereço de instalação? Vinha de Dapá, 82. O", ["Vinha de Dapá, 82"]),
    # the number in a short sentence of its own, a lead-in first ("Eu moro na" misheard),
    # and "onde fica" asks (clear Kokoro pt tune)
    (
        "pt",
        "E onde fica o imóvel? Trevo de leão. Oitocento vivente. Tudo certo.",
        ["Trevo de leão. Oitocento vivente"],
    ),
    (
        "pt",
        "O endereço de entrega. Eu moro lá. Vila ali se vai conselo. Fimquenta e nove. O plano",
        ["Vila ali se vai conselo. Fimquenta e nove"],
    ),
    # two short sentences before the number came (clear-tune-pt-04): both are the rest,
    # and a sentence with a number may be a little longer
    (
        "pt",
        "E onde fica o imóvel? O endereço é. Fite o cavalcante. Duvendo -lhe 50 e três. E o CEP?",
        ["Fite o cavalcante. Duvendo -lhe 50 e três"],
    ),
    # but not past a number said as a word, nor into a courtesy
    (
        "pt",
        "O endereço é Vila conselo. Fimquenta e nove. O plano. Tudo certo.",
        ["Vila conselo. Fimquenta e nove"],
    ),
    # a question answered with a prompt: the address is what follows the second one
    (
        "pt",
        "Pode confirmar o endereço de entrega. Eu moro na Ladeira Calejo, 542. Certo",
        ["Ladeira Calejo, 542"],
    ),
    ("pt", "Qual é o endereço? O endereço é a Rua Vives, 90. Certo", ["a Rua Vives, 90"]),
    ("pt", "Qual é o endereço? Rua das Flores. Tudo certo.", ["Rua das Flores"]),
    ("pt", "Qual é o endereço? Rua das Flores. Qual é o CEP?", ["Rua das Flores"]),
    (
        "es",
        "me confirma su domicilio. A la meta adelina Valverde 38. ¿En",
        ["A la meta adelina Valverde 38"],
    ),
    ("pt", "Meu endereço de entrega é Rua das Flores, 12. Obrigado.", ["Rua das Flores, 12"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), PATTERN_CASES)
def test_street_patterns(language: str, text: str, expected: list[str]) -> None:
    results = StreetAddressRecognizer(supported_language=language).analyze(text, ["STREET_ADDRESS"])
    assert [text[r.start : r.end] for r in results] == expected


@pytest.mark.parametrize(("language", "text", "expected"), PROMPT_CASES)
def test_address_after_prompt(language: str, text: str, expected: list[str]) -> None:
    results = PromptedAddressRecognizer(supported_language=language).analyze(text, [])
    assert [text[r.start : r.end] for r in results] == expected
