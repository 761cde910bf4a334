"""Generate a labelled, ASR-style text test set for `redactor eval` (numeric PII).

Each case is one sentence as a speech recogniser might print it, in pt, es or en, with a
document number said in one of the surface forms recognisers produce, and its exact span:

    {"text": ..., "lang": "pt", "form": "digit_words", "pii": [{"type", "start", "end", "value"}]}

Values come from Faker (valid checksums, checked with python-stdnum); number words from
num2words. Also negative cases (amounts, times, counts) with no PII, for over-redaction.
Deterministic for a seed: `python samples/make_cases.py --seed 7 --out samples/cases/numbers.jsonl`.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Callable
from datetime import UTC, date, timedelta
from pathlib import Path

from faker import Faker
from num2words import num2words
from stdnum.es import dni, nie

LOCALES = {"pt": "pt_BR", "es": "es", "en": "en"}
#: "Today" for the generator: Faker's date_of_birth() counts ages from the real clock, so a
#: committed file made from it stopped matching its generator days later. Ages count from here.
REFERENCE_DATE = date(2026, 11, 23)
FAKE_ES = Faker("es_ES")
FAKER_LOCALE = {"pt": "pt_BR", "es": "es_ES", "en": "en_US"}

# Context sentences per language and entity: {} stands for the value.
CONTEXT = {
    "BR_CPF": {
        "pt": ["meu CPF é {}", "o CPF do titular é {}, tá?", "pode anotar, CPF {}"],
        "es": ["mi CPF es {}", "el CPF es {} gracias"],
        "en": ["my CPF is {}", "the CPF number is {} okay"],
    },
    "BR_CNPJ": {
        "pt": ["o CNPJ da empresa é {}", "CNPJ {}, isso"],
        "es": ["el CNPJ de la empresa es {}"],
        "en": ["the company CNPJ is {}"],
    },
    "US_SSN": {
        "pt": ["o número do seguro social é {}"],
        "es": ["mi número de seguro social es {}", "el seguro social {} por favor"],
        "en": ["my social security number is {}", "SSN {} that's it", "it's {} my social"],
    },
    "PHONE_NUMBER": {
        "pt": ["meu telefone é {}", "pode ligar no {}", "o celular é {}"],
        "es": ["mi teléfono es {}", "llámeme al {}"],
        "en": ["my phone number is {}", "call me back at {}"],
    },
    "CREDIT_CARD": {
        "pt": ["o número do cartão é {}", "cartão de crédito {}"],
        "es": ["el número de la tarjeta es {}", "tarjeta {}"],
        "en": ["my card number is {}", "the credit card is {}"],
    },
}
NEGATIVES = {
    "pt": ["são {} reais por mês", "eu ligo às {} horas", "comprei {} unidades", "faz {} dias"],
    "es": ["son {} pesos al mes", "llamo a las {} de la tarde", "compré {} cajas", "hace {} días"],
    "en": ["it costs {} dollars a month", "call me at {} pm", "I bought {} boxes", "{} days ago"],
}


def value_for(kind: str, fake_pt: Faker, fake_en: Faker, lang: str) -> str:
    if kind == "PHONE_NUMBER":  # a phone of the caller's own country
        return {"pt": fake_pt, "en": fake_en}.get(lang, FAKE_ES).phone_number()
    if kind == "BR_CPF":
        return fake_pt.cpf()
    if kind == "BR_CNPJ":
        return fake_pt.cnpj()
    if kind == "US_SSN":
        return fake_en.ssn()
    digits = fake_en.credit_card_number(card_type="visa16")
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))  # said in groups of four


def digit_word(d: str, lang: str) -> str:
    return num2words(int(d), lang=LOCALES[lang])


def groups_of(value: str) -> list[str]:
    return re.findall(r"\d+", value)


# Surface forms: value -> text as a recogniser might print it.
FORMS: dict[str, Callable[[str, str, random.Random], str]] = {
    "formatted": lambda v, lang, rng: v,
    "bare": lambda v, lang, rng: re.sub(r"\D", "", v),
    "spaced_groups": lambda v, lang, rng: " ".join(groups_of(v)),
    "comma_digits": lambda v, lang, rng: ", ".join(re.sub(r"\D", "", v)),
    "digit_words": lambda v, lang, rng: " ".join(digit_word(d, lang) for d in re.sub(r"\D", "", v)),
    "mixed": lambda v, lang, rng: " ".join(
        digit_word(d, lang) if rng.random() < 0.5 else d for d in re.sub(r"\D", "", v)
    ),
    "group_words": lambda v, lang, rng: ", ".join(
        num2words(int(g), lang=LOCALES[lang])
        if not g.startswith("0")
        else " ".join(digit_word(d, lang) for d in g)
        for g in groups_of(v)
    ),
    "misheard_digit": lambda v, lang, rng: misheard(v, rng),
    # thousands separators where none belong, as whisper prints a long number
    "thousands": lambda v, lang, rng: f"{int(re.sub(r'[^0-9]', '', v)):,}",
    # the value split over two recogniser segments: "529 982. 247 25"
    "segment_split": lambda v, lang, rng: split_segments(v, rng),
    # separators said as words, "oh" for zero and "double five" in English
    "said_separators": lambda v, lang, rng: said_separators(v, lang, rng),
}
SEPARATOR_WORDS = {"pt": "traço", "es": "guion", "en": "dash"}
ZERO_WORDS = {"pt": ["zero"], "es": ["cero"], "en": ["oh", "zero"]}
REPEAT_WORDS = {"pt": None, "es": None, "en": "double"}


def split_segments(value: str, rng: random.Random) -> str:
    groups = groups_of(value)
    if len(groups) < 2:
        digits = groups[0]
        cut = rng.randrange(3, len(digits) - 2)
        groups = [digits[:cut], digits[cut:]]
    cut = rng.randrange(1, len(groups))
    return " ".join(groups[:cut]) + ". " + " ".join(groups[cut:])


def said_separators(value: str, lang: str, rng: random.Random) -> str:
    """Each group read digit by digit, groups joined by the word for a dash."""
    said_groups = []
    for group in groups_of(value):
        words: list[str] = []
        i = 0
        while i < len(group):
            d = group[i]
            repeat = REPEAT_WORDS[lang]
            if repeat and i + 1 < len(group) and group[i + 1] == d and rng.random() < 0.7:
                words.append(f"{repeat} {digit_word(d, lang)}")
                i += 2
                continue
            words.append(rng.choice(ZERO_WORDS[lang]) if d == "0" else digit_word(d, lang))
            i += 1
        said_groups.append(" ".join(words))
    return f" {SEPARATOR_WORDS[lang]} ".join(said_groups)


def misheard(value: str, rng: random.Random) -> str:
    digits = list(re.sub(r"\D", "", value))
    i = rng.randrange(len(digits))
    action = rng.choice(["change", "drop", "repeat"])
    if action == "change":
        digits[i] = str((int(digits[i]) + rng.randint(1, 9)) % 10)
    elif action == "drop":
        del digits[i]
    else:
        digits.insert(i, digits[i])
    return " ".join(digits) if rng.random() < 0.5 else "".join(digits)


# Values that are PII because of the question before them. Templates per language; "{}" is
# the answer, and "|" separates the agent's turn from the caller's (printed as two sentences).
PROMPTED = {
    "CVV": {
        "pt": ["o código de segurança é {}", "qual o CVV do cartão? | {}", "cvv {} tá"],
        "es": ["el código de seguridad es {}", "¿me da el CVV? | sí, {}"],
        "en": ["the security code is {}", "what's the CVV on the back? | {}", "cvv is {}"],
    },
    "PIN": {
        "pt": ["minha senha é {}", "qual a senha do cartão? | é {}"],
        "es": ["mi pin es {}", "¿cuál es su clave? | {}"],
        "en": ["my PIN is {}", "can you tell me your PIN? | yes it's {}"],
    },
    "CARD_LAST_DIGITS": {
        "pt": ["quais os últimos quatro dígitos do cartão? | {}", "o cartão termina em {}"],
        "es": ["¿los últimos cuatro dígitos de la tarjeta? | {}", "la tarjeta termina en {}"],
        "en": ["can I have the last four digits of the card? | sure, {}", "it ends in {}"],
    },
    "EXPIRY_DATE": {
        "pt": ["a validade é {}", "qual a data de vencimento? | {}"],
        "es": ["la fecha de vencimiento es {}", "¿la caducidad? | {}"],
        "en": ["the expiration date is {}", "and when does it expire? | {}"],
    },
    "DATE_OF_BIRTH": {
        "pt": ["minha data de nascimento é {}", "eu nasci em {}"],
        "es": ["mi fecha de nacimiento es el {}", "nací el {}"],
        "en": ["my date of birth is {}", "I was born on {}"],
    },
    "POSTAL_CODE": {
        "pt": ["o CEP é {}", "qual o seu CEP? | {}"],
        "es": ["el código postal es {}", "¿su código postal? | {}"],
        "en": ["the zip code is {}", "what's your zip? | {}"],
    },
    "BANK_ACCOUNT": {
        "pt": ["agência {}", "minha conta corrente é {}"],
        "es": ["mi número de cuenta es {}", "la cuenta {}"],
        "en": ["my account number is {}", "the routing number is {}"],
    },
    "BR_RG": {"pt": ["meu RG é {}", "o número da identidade é {}"]},
    "ES_DNI": {"es": ["mi DNI es {}", "el NIE es {}", "documento de identidad {}"]},
    "PIX_KEY": {"pt": ["minha chave pix é {}", "a chave aleatória é {}"]},
    "PASSWORD": {
        "pt": ["a senha é {}", "qual a senha do aplicativo? | {}"],
        "es": ["mi contraseña es {}", "¿cuál es la contraseña? | {}"],
        "en": ["my password is {}", "what's the password on the account? | {}"],
    },
}
MONTHS = {
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "en": "January February March April May June July August September October November December",
}
PASSWORD_WORDS = {
    "pt": "bolinha girassol tartaruga amarelo estrela cachorro",
    "es": "girasol tortuga amarillo estrella perro mariposa",
    "en": "violet sunflower turtle yellow maple falcon",
}
SPANISH_LETTER_NAMES = (
    "a be ce de e efe ge hache i jota ka ele eme ene o pe cu erre ese te u uve equis ye zeta"
)
SPANISH_LETTERS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVXYZ", SPANISH_LETTER_NAMES.split(), strict=True))
SPANISH_LETTERS["W"] = "uve doble"


def digits_said(digits: str, lang: str, rng: random.Random) -> str:
    """Digits in one of the forms a recogniser prints for a short number."""
    form = rng.choice(["bare", "spaced", "comma", "words", "mixed"])
    if form == "bare":
        return digits
    if form == "spaced":
        return " ".join(digits)
    if form == "comma":
        return ", ".join(digits)
    if form == "words":
        return " ".join(digit_word(d, lang) for d in digits)
    return " ".join(digit_word(d, lang) if rng.random() < 0.5 else d for d in digits)


def date_of_birth(fake: Faker, minimum_age: int, maximum_age: int) -> date:
    """Faker's date_of_birth() as of REFERENCE_DATE, in UTC (the same draws, no clock, no
    time zone)."""
    start = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - maximum_age - 1)
    end = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - minimum_age)
    born = fake.date_time_ad(tzinfo=UTC, start_datetime=start, end_datetime=end).date()
    return born if born != start else born + timedelta(days=1)


def prompted_value(kind: str, lang: str, fake: Faker, rng: random.Random) -> tuple[str, str]:
    """(the value, how it is said) for a prompted kind."""
    n = lambda k: "".join(str(rng.randrange(10)) for _ in range(k))  # noqa: E731
    words = lambda x: num2words(int(x), lang=LOCALES[lang])  # noqa: E731
    if kind in ("CVV", "PIN", "CARD_LAST_DIGITS"):
        value = n({"CVV": 3, "PIN": rng.choice([4, 6]), "CARD_LAST_DIGITS": 4}[kind])
        return value, digits_said(value, lang, rng)
    if kind == "EXPIRY_DATE":
        month, year = rng.randint(1, 12), rng.randint(26, 35)
        value = f"{month:02d}/{year}"
        joiner = {"pt": rng.choice([" de ", " barra "]), "es": " barra ", "en": " "}[lang]
        said = rng.choice([value, f"{month:02d} {year}", f"{words(month)}{joiner}{words(year)}"])
        return value, said
    if kind == "DATE_OF_BIRTH":
        born = date_of_birth(fake, minimum_age=18, maximum_age=90)
        month = MONTHS[lang].split()[born.month - 1]
        if lang == "en":
            value = born.strftime("%m/%d/%Y")
            spoken_year = f"{words(born.year // 100)} {words(born.year % 100)}"
            options = [
                value,
                f"{month} {born.day}, {born.year}",
                f"{month} {words(born.day)} {spoken_year}",
            ]
        else:
            value = born.strftime("%d/%m/%Y")
            options = [
                value,
                f"{born.day} de {month} de {born.year}",
                f"{words(born.day)} de {month} de {words(born.year)}",
            ]
        return value, rng.choice(options)
    if kind == "POSTAL_CODE":
        if lang == "pt":
            value = re.sub(r"^(\d{5})-?(\d{3})$", r"\1-\2", fake.postcode())
        elif lang == "en":
            value = fake.zipcode_plus4() if rng.random() < 0.5 else fake.zipcode()
        else:
            value = fake.postcode()
        return value, rng.choice(
            [
                value,
                said_separators(value, lang, rng),
                digits_said(re.sub(r"\D", "", value), lang, rng),
            ]
        )
    if kind == "BANK_ACCOUNT":
        value = n(4) if lang == "pt" and rng.random() < 0.5 else f"{n(rng.randint(5, 8))}-{n(1)}"
        return value, rng.choice([value, said_separators(value, lang, rng)])
    if kind == "BR_RG":
        d = n(9)
        value = f"{d[:2]}.{d[2:5]}.{d[5:8]}-{d[8]}"
        return value, rng.choice([value, d, digits_said(d, lang, rng)])
    if kind == "ES_DNI":  # Faker's nif()/nie() use the global random: not reproducible
        if rng.random() < 0.6:
            body = n(8)
            value = body + dni.calc_check_digit(body)
        else:
            body = rng.choice("XYZ") + n(7)
            value = body + nie.calc_check_digit(body)
        body, letter = value[:-1], value[-1]
        if body[0] in "XYZ":
            said_body = body[0] + ", " + digits_said(body[1:], lang, rng)
        else:
            said_body = digits_said(body, lang, rng)
        return value, rng.choice([value, f"{said_body}, letra {SPANISH_LETTERS[letter]}"])
    if kind == "PIX_KEY":
        value = fake.uuid4()
        return value, value
    word = rng.choice(PASSWORD_WORDS[lang].split())
    value = rng.choice([f"{word}{n(3)}", f"{word} {words(n(2))}"])
    return value, value


def make(seed: int, per_form: int) -> list[dict]:
    rng = random.Random(seed)
    fake_pt, fake_en = Faker("pt_BR"), Faker("en_US")
    fake_pt.seed_instance(seed)
    fake_en.seed_instance(seed)
    FAKE_ES.seed_instance(seed)
    FAKES = {"pt": fake_pt, "es": FAKE_ES, "en": fake_en}
    cases = []
    for lang in ("pt", "es", "en"):
        for kind, contexts in CONTEXT.items():
            for form, render in FORMS.items():
                for _ in range(per_form):
                    value = value_for(kind, fake_pt, fake_en, lang)
                    said = render(value, lang, rng)
                    template = rng.choice(contexts[lang])
                    start = template.index("{}")
                    text = template.format(said)
                    pii = [{"type": kind, "start": start, "end": start + len(said), "value": value}]
                    cases.append({"text": text, "lang": lang, "form": form, "pii": pii})
        for kind, templates in PROMPTED.items():
            for _ in range(per_form * 4 if lang in templates else 0):
                value, said = prompted_value(kind, lang, FAKES[lang], rng)
                template = rng.choice(templates[lang])
                template = template.replace("? | ", "? ").replace(" | ", ". ")
                start = template.index("{}")
                text = template.format(said)
                pii = [{"type": kind, "start": start, "end": start + len(said), "value": value}]
                cases.append({"text": text, "lang": lang, "form": "prompted", "pii": pii})
        for template in NEGATIVES[lang]:
            for number in (rng.randint(2, 99), rng.randint(100, 9999)):
                said = num2words(number, lang=LOCALES[lang]) if rng.random() < 0.5 else str(number)
                cases.append(
                    {"text": template.format(said), "lang": lang, "form": "negative", "pii": []}
                )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-form", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "cases" / "numbers.jsonl"
    )
    args = parser.parse_args()
    cases = make(args.seed, args.per_form)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8"
    )
    print(f"{len(cases)} cases -> {args.out}")


if __name__ == "__main__":
    main()
