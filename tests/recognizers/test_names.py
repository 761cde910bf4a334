"""PERSON after a prompt or a title, in the casing a recogniser prints."""

from __future__ import annotations

import pytest

from redactor.recognizers import PromptedNameRecognizer

CASES = [
    # strong prompts and titles: any casing
    ("pt", "meu nome é maria da silva", ["maria da silva"]),
    ("pt", "obrigada, dona Cida", ["Cida"]),
    ("pt", "qual o seu nome completo? joão pedro alves", ["joão pedro alves"]),
    ("es", "me llamo josé de la fuente, gracias", ["josé de la fuente"]),
    ("es", "perfecto, señora Gómez, un momento", ["Gómez"]),
    ("en", "my name is bob", ["bob"]),
    ("en", "thank you, mister Lee", ["Lee"]),
    # weak prompts: a capitalised word starts the name
    ("en", "hi, this is Marcus Davidson calling", ["Marcus Davidson"]),
    ("pt", "eu falo com Bryan Peixoto? sim", ["Bryan Peixoto"]),
    ("es", "buenas tardes, habla Tania Falcó", ["Tania Falcó"]),
    ("en", "my wife Norma Wilson called yesterday", ["Norma Wilson"]),
    # fillers and "yes" between the question and the name
    ("es", "¿su nombre completo? sí, ana lucía torres", ["ana lucía torres"]),
    ("en", "who am I speaking with? uh, yes, dave", ["dave"]),
    # greetings before the name; initials; a misheard greeting, a comma, then the name
    ("en", "can I get your name? Hi, it's K .C. George. Great.", ["K .C. George"]),
    ("pt", "quem fala? oi, Bruno Lima", ["Bruno Lima"]),
    ("pt", "quem fala? Budu, Eloiza Montenegro. Em que posso ajudar?", ["Budu, Eloiza Montenegro"]),
    ("pt", "quem fala? Ana, sim. Certo.", ["Ana"]),
    # not names
    ("en", "this is great", []),
    ("pt", "a senhora pode confirmar o endereço?", []),
    ("es", "el señor está ocupado", []),
    ("en", "my name is, uh", []),
    ("pt", "meu nome é o mesmo", []),
    # the agent says goodbye by name: between thanks and a farewell, or before a farewell
    ("pt", "Muito obrigada, Martim! Até logo!", ["Martim"]),
    ("pt", "Luito brigada, Marciima! Até logo!", ["Marciima"]),  # "obrigada" without its o
    ("es", "por mensajes gracias duro que tenga un buen día", ["duro"]),
    ("es", "muchas gracias. ¡Penignó! ¡Hasta luego!", ["Penignó"]),  # Spanish "¡" (Kokoro es)
    ("pt", "Em até cinco dias úteis. Oilã, até logo.", ["Oilã"]),
    ("pt", "O protocolo foi enviado. Obrigado, Diego. Tenham uma boa tarde.", ["Diego"]),
    ("pt", "Em até cinco dias, obrigado. Gareu, tenham uma boa tarde.", ["Gareu"]),
    ("en", "Thank you so much, have a good one. Okay, bye.", []),
    ("pt", "Muito obrigada, até logo!", []),
    ("pt", "Muito obrigado pela ajuda. Até logo.", []),  # "pela": por + a, never a name
    # the thanks starts a sentence: it is no part of the name (clear-report-es-11)
    ("es", "antes del lunes. Gracias conrado que tenga un buen día.", ["conrado"]),
    ("pt", "Obrigado. Valeu joão, tchau.", ["joão"]),
    # a question for the name whose answer holds none: whisper garbled it (clear Kokoro
    # pt); the greeting before the answer is not it
    (
        "pt",
        "com quem eu falo. Oi, reusão, bela crua. Obrigado, como posso ajudar?",
        ["reusão, bela crua"],
    ),
    (
        "pt",
        "Qual é o seu nome? Bom dia, acria. Díago virar era. Obrigado.",
        ["acria. Díago virar era"],
    ),
    (
        "pt",
        "Qual é o seu nome, por favor? Bom dia, acria, de Diego Vilaera. Obrigado, em que posso",
        ["acria, de Diego Vilaera"],
    ),
    ("en", "Can I have your name, please? Good morning, uh, lara quinn.", ["lara quinn"]),
    ("pt", "com quem eu falo? Oi, aqui é a Maria Souza. Obrigado", ["Maria Souza"]),
    ("es", "Muchas gracias, que tenga un buen día.", []),
    # whisper's full stop after the prompt; "gracia" for "gracias"; "thanks so much"
    # (clear tune calls 24-39)
    ("es", "Buenas tardes, me llamo. Prudencia aliada. Gracias.", ["Prudencia"]),
    ("es", "Me llamo. Y usted?", []),
    # such a guess leaves a name question's answer to be taken whole
    (
        "es",
        "¿Quién llama? Buenas tardes. Me llamo. Ven un novayo. Muy bien. ¿Qué necesita?",
        ["Me llamo. Ven un novayo. Muy bien. ¿Qué", "Ven"],
    ),
    ("es", "en 5 días a mi gracia minerva que tenga un buen día.", ["minerva"]),
    ("en", "by text. Thanks so much, Veronica. Take care.", ["Veronica"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_names(language: str, text: str, expected: list[str]) -> None:
    results = PromptedNameRecognizer(supported_language=language).analyze(text, [])
    assert sorted(text[r.start : r.end] for r in results) == sorted(expected)
