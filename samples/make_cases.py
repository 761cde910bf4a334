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
from pathlib import Path

from faker import Faker
from num2words import num2words

LOCALES = {"pt": "pt_BR", "es": "es", "en": "en"}
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
}


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


def make(seed: int, per_form: int) -> list[dict]:
    rng = random.Random(seed)
    fake_pt, fake_en = Faker("pt_BR"), Faker("en_US")
    fake_pt.seed_instance(seed)
    fake_en.seed_instance(seed)
    FAKE_ES.seed_instance(seed)
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
    args.out.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases))
    print(f"{len(cases)} cases -> {args.out}")


if __name__ == "__main__":
    main()
