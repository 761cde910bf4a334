"""Generate a labelled, ASR-style test set for `redactor eval`: names, e-mails, addresses.

Each case is a sentence or two of a call as a speech recogniser prints it, in pt, es or en:
a person's name after a prompt, with a title, inside a sentence, alone, spelled letter by
letter, in any casing (recognisers often print all lowercase); an e-mail address written,
said ("maria ponto silva arroba gmail ponto com") or with a spelled user name; a street
address. Also sentences with no PII (greetings, agent phrases, products) for over-redaction.

Names and addresses come from Faker (pt_BR, es_ES/es_MX, en_US); names only from the
held-out fifth that the NER models (ner/) were not trained on. Deterministic for a seed:
`python samples/make_name_cases.py --seed 11 --out samples/cases/names.jsonl`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import unicodedata
from pathlib import Path

from faker import Faker

FAKER_LOCALES = {"pt": ["pt_BR"], "es": ["es_ES", "es_MX"], "en": ["en_US"]}

# {} is the value. "|" separates two speakers' turns.
NAME_TEMPLATES = {
    "pt": [
        "meu nome é {}",
        "boa tarde, aqui quem fala é {}",
        "eu falo com {}? | sim, sou eu",
        "o titular da conta é {}",
        "pode chamar {}, ela que resolve",
        "quem fez a compra foi o {}",
        "é em nome de {}",
        "certo, senhor {}, vou verificar",
        "obrigada, dona {}",
        "qual o seu nome completo? | {}",
        "meu marido {} que ligou ontem",
    ],
    "es": [
        "me llamo {}",
        "buenas tardes, habla {}",
        "¿con quién tengo el gusto? | con {}",
        "el titular es {}",
        "la cuenta está a nombre de {}",
        "perfecto, señora {}, un momento",
        "gracias, don {}",
        "¿su nombre completo? | {}",
        "mi esposa {} llamó la semana pasada",
    ],
    "en": [
        "my name is {}",
        "hi, this is {} calling about my bill",
        "am I speaking with {}? | yes",
        "the account holder is {}",
        "it's under {}",
        "thank you, mister {}",
        "okay ms {}, one moment",
        "can I get your full name? | {}",
        "my wife {} called yesterday",
    ],
}
SPELL_TEMPLATES = {
    "pt": ["meu sobrenome é {}", "como se escreve? | {}"],
    "es": ["mi apellido es {}", "¿cómo se escribe? | {}"],
    "en": ["my last name is {}", "can you spell that? | {}"],
}
EMAIL_TEMPLATES = {
    "pt": ["meu e-mail é {}", "pode mandar para {}", "o email cadastrado é {}"],
    "es": ["mi correo es {}", "envíelo a {}", "el correo electrónico es {}"],
    "en": ["my email is {}", "send it to {}", "the email on file is {}"],
}
ADDRESS_TEMPLATES = {
    "pt": ["eu moro na {}", "o endereço de entrega é {}", "pode entregar na {}"],
    "es": ["vivo en {}", "la dirección de entrega es {}", "mándelo a {}"],
    "en": ["I live at {}", "the delivery address is {}", "ship it to {}"],
}
NEGATIVES = {
    "pt": [
        "bom dia, obrigado por ligar, em que posso ajudar?",
        "só um momento, por favor, vou verificar no sistema",
        "claro, perfeito, mais alguma coisa?",
        "o senhor pode confirmar o plano contratado?",
        "a fatura vence no dia dez, tá bom?",
        "Oi, tudo bem? Certo, obrigada pela paciência.",
        "o aplicativo está fora do ar desde ontem",
        "vou transferir para o setor financeiro",
    ],
    "es": [
        "Hola, buenas tardes, gracias por llamar, ¿en qué le puedo ayudar?",
        "un momento, por favor, estoy revisando su cuenta",
        "claro, perfecto, ¿algo más?",
        "la factura vence el día diez",
        "Vale, bueno, muchas gracias por su paciencia.",
        "le transfiero con el área de facturación",
        "la tarjeta fue bloqueada por seguridad",
    ],
    "en": [
        "Hello, thank you for calling, how can I help you today?",
        "one moment please while I pull up your account",
        "sure, perfect, anything else?",
        "your bill is due on the tenth",
        "Okay, thanks for your patience.",
        "let me transfer you to billing",
        "the card was blocked for security reasons",
    ],
}
SPOKEN_EMAIL = {
    "pt": {"@": "arroba", ".": "ponto", "_": "underline", "-": "traço"},
    "es": {"@": "arroba", ".": "punto", "_": "guion bajo", "-": "guion"},
    "en": {"@": "at", ".": "dot", "_": "underscore", "-": "dash"},
}
DOMAINS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "uol.com.br", "terra.com.br"]


def ascii_lower(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "._-")).lower()


def asr_casing(text: str, rng: random.Random) -> str:
    """As a recogniser prints it: usually capitalised, often all lowercase."""
    return text.lower() if rng.random() < 0.4 else text


def held_out(name: str) -> bool:
    """Names the NER models never saw in training: the rule of ner/synth.py's name_split."""
    return hashlib.sha256(name.casefold().encode()).digest()[0] % 5 == 0


def held_out_name(make, tries: int = 200) -> str:  # type: ignore[no-untyped-def]
    for _ in range(tries):
        name = make()
        if held_out(name):
            return name
    raise RuntimeError("no held-out name found")


def person(fake: Faker, rng: random.Random) -> str:
    """A held-out first name, often with one or two held-out surnames."""
    first = held_out_name(fake.first_name)
    form = rng.random()
    if form < 0.3:
        return first
    last = held_out_name(fake.last_name)
    if form < 0.8:
        return f"{first} {last}"
    return f"{first} {held_out_name(fake.first_name)} {last}"


def spelled(word: str, rng: random.Random) -> str:
    letters = [c for c in ascii_lower(word) if c.isalpha()]
    separator = rng.choice(["-", " ", ", ", ". "])
    said = separator.join(c.upper() if rng.random() < 0.7 else c for c in letters)
    return said


def email_value(fake: Faker, rng: random.Random) -> str:
    first, last = ascii_lower(fake.first_name()), ascii_lower(fake.last_name())
    user = rng.choice([f"{first}.{last}", f"{first}{rng.randint(1, 99)}", f"{first}_{last}"])
    return f"{user}@{rng.choice(DOMAINS)}"


def email_said(value: str, lang: str, rng: random.Random) -> str:
    form = rng.random()
    if form < 0.3:
        return value
    words = SPOKEN_EMAIL[lang]
    user, domain = value.split("@")
    if form < 0.5:  # user name spelled letter by letter
        user_said = " ".join(user.replace(".", f" {words['.']} ").replace("_", " "))
        user_said = re.sub(r"\s+", " ", user_said)
    else:
        user_said = re.sub(r"[._-]", lambda m: f" {words[m.group()]} ", user)
    domain_said = domain.replace(".", f" {words['.']} ")
    return f"{user_said} {words['@']} {domain_said}"


def address(fake: Faker, lang: str) -> str:
    if lang == "en":
        return f"{fake.building_number()} {fake.street_name()}"
    return fake.street_address()


def make(seed: int, per_template: int) -> list[dict]:
    rng = random.Random(seed)
    cases = []
    for lang, locales in FAKER_LOCALES.items():
        fakes = [Faker(locale) for locale in locales]
        for i, fake in enumerate(fakes):
            fake.seed_instance(seed + i)

        def add(
            template: str, said: str, kind: str, value: str, form: str, lang: str = lang
        ) -> None:
            template = template.replace("? | ", "? ").replace(" | ", ". ")
            start = template.index("{}")
            text = template.format(said)
            pii = [{"type": kind, "start": start, "end": start + len(said), "value": value}]
            cases.append({"text": text, "lang": lang, "form": form, "pii": pii})

        for template in NAME_TEMPLATES[lang]:
            for _ in range(per_template):
                value = person(rng.choice(fakes), rng)
                said = asr_casing(value, rng)
                add(template, said, "PERSON", value, "lower" if said.islower() else "cased")
        for template in SPELL_TEMPLATES[lang]:
            for _ in range(per_template * 2):
                value = held_out_name(rng.choice(fakes).last_name).split()[-1]
                add(template, spelled(value, rng), "PERSON", value, "spelled")
        for template in EMAIL_TEMPLATES[lang]:
            for _ in range(per_template * 2):
                value = email_value(rng.choice(fakes), rng)
                said = email_said(value, lang, rng)
                add(template, said, "EMAIL_ADDRESS", value, "written" if "@" in said else "said")
        for template in ADDRESS_TEMPLATES[lang]:
            for _ in range(per_template):
                value = address(rng.choice(fakes), lang)
                add(template, asr_casing(value, rng), "STREET_ADDRESS", value, "address")
        for text in NEGATIVES[lang]:
            cases.append({"text": text, "lang": lang, "form": "negative", "pii": []})
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--per-template", type=int, default=4)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "cases" / "names.jsonl")
    args = parser.parse_args()
    cases = make(args.seed, args.per_template)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8"
    )
    print(f"{len(cases)} cases -> {args.out}")


if __name__ == "__main__":
    main()
