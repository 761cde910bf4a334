"""PIN, CVV, last digits, expiry and birth dates: PII because of the question before them."""

from __future__ import annotations

import pytest

from redactor.recognizers import PromptedNumberRecognizer

CASES = [
    ("en", "What's your PIN? It's 4 3 2 1.", [("PIN", "4 3 2 1")]),
    (
        "en",
        "Can you confirm the last four digits of your card? Sure. 8 8 1 4.",
        [("CARD_LAST_DIGITS", "8 8 1 4")],
    ),
    ("en", "and the security code on the back? 7 1 9", [("CVV", "7 1 9")]),
    ("en", "the expiration date is 12/27", [("EXPIRY_DATE", "12/27")]),
    ("en", "my date of birth is 04/11/1985", [("DATE_OF_BIRTH", "04/11/1985")]),
    ("pt", "qual a sua senha? é 9 8 7 6", [("PIN", "9 8 7 6")]),
    ("pt", "os últimos quatro dígitos do cartão? 5, 5, 1, 2", [("CARD_LAST_DIGITS", "5, 5, 1, 2")]),
    ("pt", "o código de segurança é 123", [("CVV", "123")]),
    ("pt", "validade 08/29", [("EXPIRY_DATE", "08/29")]),
    ("es", "la contraseña es 2 0 2 4", [("PIN", "2 0 2 4")]),
    ("es", "los últimos cuatro dígitos, por favor. 3 3 0 1", [("CARD_LAST_DIGITS", "3 3 0 1")]),
    ("es", "mi fecha de nacimiento es 15 05 1990", [("DATE_OF_BIRTH", "15 05 1990")]),
    # questions and dates as whisper printed them (clear Kokoro es tune)
    ("es", "Y el COV. Esta es el 909. Su tarifa", [("CVV", "909")]),
    (
        "es",
        "¿En qué fecha nació? La fingera 17, del 12, del 52.",
        [("DATE_OF_BIRTH", "17, del 12, del 52")],
    ),
    (
        "es",
        "¿Su fechada en afimiento? La figure 15 del 12 del 97.",
        [("DATE_OF_BIRTH", "15 del 12 del 97")],
    ),
    ("es", "la fecha de vencimiento es 06/30", [("EXPIRY_DATE", "06/30")]),
    ("pt", "agência 1234, conta 56789-0", [("BANK_ACCOUNT", "1234"), ("BANK_ACCOUNT", "56789-0")]),
    ("pt", "meu RG é 12.345.678-9", [("BR_RG", "12.345.678-9")]),
    ("pt", "o CEP é 01310-100", [("POSTAL_CODE", "01310-100")]),
    # "CEP" as whisper hears it (clear Kokoro pt tune)
    ("pt", "Qual é o SEB? É 3 7 1 4 0", [("POSTAL_CODE", "3 7 1 4 0")]),
    ("pt", "qual é o sapi? 9 -29 -69", [("POSTAL_CODE", "9 -29 -69")]),
    ("pt", "E o Cépida Rua? 8 2 0 1 1", [("POSTAL_CODE", "8 2 0 1 1")]),
    ("pt", "Qual eu eu sete? 5 9 2 1 0", [("POSTAL_CODE", "5 9 2 1 0")]),
    ("pt", "sete pessoas. 5 9 2 1 0", []),
    ("en", "and the zip code? 9 4 1 0 5", [("POSTAL_CODE", "9 4 1 0 5")]),
    # the rest of a value after a full stop whisper put inside it (clear Kokoro pt tune),
    # while its digits stay within the type's; not into a question
    ("pt", "O SEP é 0 1 4 6 6. São com 7 1. Certo", [("POSTAL_CODE", "0 1 4 6 6. São com 7 1")]),
    ("pt", "O CEP é 0 1 4 6 6. Qual o 7 1?", [("POSTAL_CODE", "0 1 4 6 6")]),
    ("pt", "o CEP? 0 1 4 6 6. São 7 1 2 3 4. Certo", [("POSTAL_CODE", "0 1 4 6 6")]),
    (
        "en",
        "and the zip code? 9 4 1 0 5. Thanks, that was quick. 3 days.",
        [("POSTAL_CODE", "9 4 1 0 5")],
    ),
    ("es", "mi número de cuenta es 0049 1500 0512", [("BANK_ACCOUNT", "0049 1500 0512")]),
    # dates said with a month name or as "month of year"
    ("pt", "nasci em 12 de março de 1985", [("DATE_OF_BIRTH", "12 de março de 1985")]),
    ("en", "my date of birth is March 3rd 19 85", [("DATE_OF_BIRTH", "March 3rd 19 85")]),
    ("en", "born on the 3rd of march, 1985", [("DATE_OF_BIRTH", "3rd of march, 1985")]),
    ("es", "nací el 12 de marzo de 1985", [("DATE_OF_BIRTH", "12 de marzo de 1985")]),
    ("pt", "a validade é 12 de 27", [("EXPIRY_DATE", "12 de 27")]),
    ("pt", "qual a data de vencimento? um de 28", [("EXPIRY_DATE", "um de 28")]),
    ("en", "it expires in march 20 27", [("EXPIRY_DATE", "march 20 27")]),
    ("es", "vence 12 / 27", [("EXPIRY_DATE", "12 / 27")]),
    ("en", "the last four are 9 9 2 1", [("CARD_LAST_DIGITS", "9 9 2 1")]),
    # questions as agents ask them, beside the words they name
    ("pt", "e os três dígitos do verso? 4 5 2", [("CVV", "4 5 2")]),
    ("pt", "até quando o cartão é válido? 03/28", [("EXPIRY_DATE", "03/28")]),
    # the separator heard as a word ("barra"; clear Kokoro pt tune)
    (
        "pt",
        "Até quando o catão é válido. A qualidade é 1, 2, baca 29. São um momento",
        [("EXPIRY_DATE", "1, 2, baca 29")],
    ),
    ("pt", "em que dia você nasceu? 12 do 3 de 85", [("DATE_OF_BIRTH", "12 do 3 de 85")]),
    ("es", "¿los tres números de detrás? 8 3 9", [("CVV", "8 3 9")]),
    ("es", "¿en qué fecha nació? 12 de marzo de 1985", [("DATE_OF_BIRTH", "12 de marzo de 1985")]),
    ("es", "¿su número de la seguridad social? 28 12345678 40", [("ES_NSS", "28 12345678 40")]),
    ("en", "what's the three-digit code on the back? 4 5 2", [("CVV", "4 5 2")]),
    ("en", "the month and year on the front of the card? 03 28", [("EXPIRY_DATE", "03 28")]),
    ("en", "which bank account should it go to? 1234 5678", [("BANK_ACCOUNT", "1234 5678")]),
    # PIX keys given as numbers, local phone numbers
    ("pt", "minha chave pix é 11 98765 4321", [("PIX_KEY", "11 98765 4321")]),
    ("en", "you can call me at 555-0123", [("PHONE_NUMBER", "555-0123")]),
    # a CVV whose leading zero was lost ("Tonero 13" for "cero trece"); "CBB", "CWB" for
    # CVV (clear tune calls 24-39)
    ("es", "Y el código de seguridad de la tarjeta. Tonero 13. ¿Cuál es", [("CVV", "13")]),
    ("en", "One moment, please. And the CBB 512. Done.", [("CVV", "512")]),
    ("es", "Y el CWB. Ton 835. Vale anotado.", [("CVV", "835")]),
    # no prompt, or an answer of the wrong size: nothing
    ("en", "it's 4 3 2 1 dollars", []),
    ("en", "what's your PIN? I don't have one. We'll call you at 10.", []),
    ("pt", "a senha do wifi eu não sei", []),
    ("en", "last four digits? " + "x" * 90 + " 1 2 3 4", []),  # too far away
    ("pt", "nasci em São Paulo", []),
    ("en", "call me at 5 pm", []),
]


@pytest.mark.parametrize(("language", "text", "expected"), CASES)
def test_prompted(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    results = PromptedNumberRecognizer(supported_language=language).analyze(text, [])
    assert [(r.entity_type, text[r.start : r.end]) for r in results] == expected
