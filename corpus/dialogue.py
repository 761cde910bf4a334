"""The script of one synthetic call: an agent asks, a caller answers, in pt, es or en.

A call is a list of pieces. Each PII value is a piece of its own (so its time span is exact),
said right after its lead-in ("O meu CPF é", then the value) in the same turn. Around the
values is ordinary dialogue with amounts, dates and counts, none of it PII, so that speech
bleeped by mistake can be measured. Which PII turns a call has, and in which surface form each
value is said, rotate with the call's index so that a split covers every type and form.

Values come from Faker seeded per call, checked with python-stdnum and phonenumbers; names
come from the NER models' held-out pools (ner/synth.py), names they were never trained on.
"""

from __future__ import annotations

import importlib
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from faker import Faker
from stdnum import luhn
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.us import ssn as us_ssn

from corpus import said

AGENT, CALLER = "agent", "caller"
FAKER_LOCALE = {"pt": "pt_BR", "es": "es_ES", "en": "en_US"}
PHONE_REGION = {"pt": "BR", "es": "ES", "en": "US"}
DOMAINS = {
    "pt": ["gmail.com", "hotmail.com", "uol.com.br", "outlook.com"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.com"],
    "en": ["gmail.com", "yahoo.com", "outlook.com", "aol.com"],
}
PII_TURNS_PER_CALL = 3


@dataclass(frozen=True)
class Piece:
    """One stretch of speech, synthesised alone. ``text``: what is said, as a transcript
    would print it; ``say``: what the synthesiser is given, when that differs."""

    speaker: str
    text: str
    pii: str | None = None  # the entity type, when the whole piece is a PII value
    value: str = ""  # the value, written the usual way
    form: str = ""  # how the value is said
    joined: bool = False  # the same turn as the piece before: a short pause only
    say: str = ""


@dataclass(frozen=True)
class Said:
    """A value and how it is said: ``text`` as printed, ``say`` for the synthesiser."""

    value: str
    form: str
    text: str
    say: str = ""


@dataclass(frozen=True)
class Turn:
    """A PII question: the agent's question, the caller's lead-in, the value."""

    pii: str
    question: str
    lead_in: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Lines:
    """Everything a call says in one language but the values."""

    greetings: list[str]
    name_lead_ins: list[str]
    how_can_i_help: list[str]
    reasons: list[str]
    acknowledgements: list[str]
    middles: list[tuple[str, str]]
    thanks_name: list[tuple[str, str]]  # ("Obrigado,", "tenha um bom dia."): the name between
    closings: list[str]
    goodbyes: list[str]
    turns: list[Turn] = field(default_factory=list)


LINES = {
    "pt": Lines(
        greetings=[
            "Central de atendimento, boa tarde. Com quem eu falo?",
            "Bom dia, obrigado por ligar. Qual é o seu nome, por favor?",
            "Boa noite, atendimento ao cliente. Quem fala?",
        ],
        name_lead_ins=["Boa tarde, meu nome é", "Bom dia, aqui é", "Oi, eu sou"],
        how_can_i_help=["Obrigado. Em que posso ajudar?", "Certo. Como posso ajudar hoje?"],
        reasons=[
            "Recebi três faturas este mês e uma veio com 120 reais a mais.",
            "Minha internet caiu duas vezes desde o dia 5 e eu pago 99 reais por mês.",
            "Quero parcelar uma compra de 450 reais em 3 vezes.",
            "O boleto de 89 reais venceu ontem e eu não consegui pagar.",
        ],
        acknowledgements=["Certo, anotado.", "Perfeito, obrigado.", "Só um momento, por favor."],
        middles=[
            ("Estou vendo aqui duas faturas em aberto, de 64 reais cada.", "Isso, são essas."),
            ("O plano atual é de 300 megas, por 110 reais por mês.", "Sim, esse mesmo."),
            ("A última compra foi no dia 12 de março, certo?", "Foi sim, umas 4 horas da tarde."),
        ],
        thanks_name=[("Obrigado,", "tenha uma boa tarde."), ("Muito obrigada,", "até logo.")],
        closings=[
            "Pronto, o estorno de 35 reais cai em até 5 dias úteis.",
            "Prontinho, a segunda via chega até o dia 20.",
            "Tudo certo, o protocolo foi enviado por mensagem.",
        ],
        goodbyes=["Muito obrigado, tchau.", "Obrigada, boa tarde."],
        turns=[
            Turn(
                "BR_CPF",
                "Para confirmar o cadastro, qual é o seu CPF?",
                "O meu CPF é",
                ("digits", "groups", "digits-meia"),
            ),
            Turn(
                "BR_CNPJ",
                "A conta é de empresa? Pode me passar o CNPJ?",
                "Sim, o CNPJ é",
                ("groups", "digits"),
            ),
            Turn(
                "PHONE_NUMBER",
                "Qual é o melhor telefone para contato?",
                "Pode anotar, é",
                ("digits", "pairs"),
            ),
            Turn("EMAIL_ADDRESS", "E qual é o seu e-mail?", "É", ("dot", "number", "underscore")),
            Turn(
                "STREET_ADDRESS",
                "Qual é o endereço de instalação?",
                "Eu moro na",
                ("street-number",),
            ),
            Turn(
                "CREDIT_CARD",
                "Vou precisar do número do cartão de crédito.",
                "O número do cartão é",
                ("fours", "pairs"),
            ),
        ],
    ),
    "es": Lines(
        greetings=[
            "Atención al cliente, buenas tardes. ¿Con quién hablo?",
            "Buenos días, gracias por llamar. ¿Me dice su nombre, por favor?",
            "Buenas noches, servicio al cliente. ¿Quién llama?",
        ],
        name_lead_ins=["Buenas tardes, me llamo", "Hola, soy", "Buenos días, mi nombre es"],
        how_can_i_help=["Gracias. ¿En qué le puedo ayudar?", "Muy bien. ¿Qué necesita hoy?"],
        reasons=[
            "Tengo tres facturas pendientes de 45 euros cada una.",
            "Me cobraron 2 veces la cuota de 30 euros de este mes.",
            "Quiero cambiar mi plan de 20 gigas por el de 50.",
            "El pedido de 75 euros no ha llegado y lo hice el día 3.",
        ],
        acknowledgements=["Vale, anotado.", "Perfecto, gracias.", "Un momento, por favor."],
        middles=[
            ("Veo aquí dos recibos de 39 euros sin pagar.", "Sí, son esos dos."),
            ("Su tarifa actual cuesta 25 euros al mes.", "Eso es, la de siempre."),
            ("La última llamada fue el 14 de febrero, ¿verdad?", "Sí, por la mañana, a las 10."),
        ],
        thanks_name=[("Gracias,", "que tenga un buen día."), ("Muchas gracias,", "hasta luego.")],
        closings=[
            "Listo, le devolvemos los 30 euros en 5 días hábiles.",
            "Ya está, la nueva factura le llega antes del día 15.",
            "Todo correcto, le enviamos el número de incidencia por mensaje.",
        ],
        goodbyes=["Muchas gracias, adiós.", "Gracias, buenas tardes."],
        turns=[
            Turn(
                "ES_DNI",
                "Para verificar su identidad, ¿me da su DNI?",
                "Sí, mi DNI es",
                ("digits", "pairs", "nie"),
            ),
            Turn("PHONE_NUMBER", "¿Un teléfono de contacto?", "Apunte, es el", ("digits", "pairs")),
            Turn(
                "EMAIL_ADDRESS", "¿Y su correo electrónico?", "Es", ("dot", "number", "underscore")
            ),
            Turn(
                "STREET_ADDRESS",
                "¿Cuál es la dirección de envío?",
                "La dirección es",
                ("street-number",),
            ),
            Turn(
                "CREDIT_CARD",
                "Necesito el número de la tarjeta.",
                "El número de la tarjeta es",
                ("fours", "pairs"),
            ),
            Turn(
                "CVV",
                "¿Y el código de seguridad de la tarjeta?",
                "El código es",
                ("digits", "number"),
            ),
        ],
    ),
    "en": Lines(
        greetings=[
            "Thank you for calling customer support. Who am I speaking with?",
            "Good morning, billing department. May I have your name, please?",
            "Hi, thanks for calling. Can I get your name?",
        ],
        name_lead_ins=["Hi, my name is", "Hello, this is", "Hi, it's"],
        how_can_i_help=["Thanks. How can I help you today?", "Great. What can I do for you?"],
        reasons=[
            "I got three invoices this month and one of them is 120 dollars too high.",
            "I was charged twice for my 45 dollar plan on the 3rd.",
            "I'd like to upgrade to the 500 megabit plan.",
            "My order of 2 chairs never arrived and it was due on Monday.",
        ],
        acknowledgements=["Okay, got it.", "Perfect, thank you.", "One moment, please."],
        middles=[
            ("I see two open bills here, 64 dollars each.", "Yes, those are the ones."),
            ("Your current plan is 80 dollars a month.", "That's right."),
            ("The last payment was on March 12th, correct?", "Yes, around 4 in the afternoon."),
        ],
        thanks_name=[("Thank you,", "have a great day."), ("Thanks so much,", "take care.")],
        closings=[
            "All set, the refund of 35 dollars will post within 5 business days.",
            "Done, your new bill will arrive before the 20th.",
            "Everything is updated, and I sent you a confirmation by text.",
        ],
        goodbyes=["Thanks a lot, bye.", "Thank you, goodbye."],
        turns=[
            Turn(
                "US_SSN",
                "To verify your identity, what's your social security number?",
                "Sure, it's",
                ("digits", "pairs"),
            ),
            Turn(
                "CREDIT_CARD", "What's the card number?", "The card number is", ("fours", "pairs")
            ),
            Turn(
                "PHONE_NUMBER",
                "What's the best number to reach you?",
                "You can call me at",
                ("digits", "pairs"),
            ),
            Turn(
                "EMAIL_ADDRESS", "And your email address?", "It's", ("dot", "number", "underscore")
            ),
            Turn(
                "STREET_ADDRESS", "What's the shipping address?", "Ship it to", ("number-street",)
            ),
            Turn("POSTAL_CODE", "And the zip code?", "The zip is", ("digits",)),
            Turn("CVV", "And the security code on the back of the card?", "It's", ("digits",)),
            Turn("PERSON", "Could you spell your last name for me?", "Sure,", ("spelled",)),
        ],
    ),
}


def held_out_names(lang: str) -> dict[str, list[str]]:
    """The first names ("f", "m") and surnames ("last") of ner/synth.py's eval pools: names
    the NER models were never trained on (ner/ is scripts, not a package: loaded by path)."""
    ner = str(Path(__file__).resolve().parents[1] / "ner")
    if ner not in sys.path:
        sys.path.insert(0, ner)
    pools: dict[str, list[str]] = importlib.import_module("synth").name_pools(lang, "eval")
    return pools


def checked(make: Callable[[], str], valid: Callable[[str], bool], what: str) -> str:
    """The first value ``make`` gives that ``valid`` accepts (Faker's are not all valid)."""
    for _ in range(100):
        value = make()
        if valid(value):
            return value
    raise RuntimeError(f"Faker gave no valid {what} in 100 tries")


def phone(fake: Faker, lang: str) -> phonenumbers.PhoneNumber:
    region = PHONE_REGION[lang]
    make = fake.cellphone_number if lang == "pt" else fake.phone_number

    def valid(raw: str) -> bool:
        try:
            return bool(phonenumbers.is_valid_number(phonenumbers.parse(raw, region)))
        except phonenumbers.NumberParseException:
            return False

    number = phonenumbers.parse(checked(make, valid, "phone number"), region)
    number.extension = None  # Faker's "x262": callers give the line, not the extension
    return number


class Caller:
    """The caller's values for one call, all from one seeded Faker and random generator."""

    def __init__(self, lang: str, seed: int) -> None:
        self.lang = lang
        self.rng = random.Random(seed)
        self.fake = Faker(FAKER_LOCALE[lang])
        self.fake.seed_instance(seed)
        pools = held_out_names(lang)
        sex = self.rng.choice("fm")
        self.first = self.rng.choice(pools[sex])
        # a surname of plain letters: it may be spelled out
        self.last = self.rng.choice([n for n in pools["last"] if n.isalpha() and len(n) >= 4])

    def value(self, pii: str, form: str) -> Said:
        lang, fake = self.lang, self.fake
        if pii == "BR_CPF":
            cpf = checked(fake.cpf, br_cpf.is_valid, "CPF")
            groups = re.findall(r"\d+", cpf)
            if form == "groups":
                text = ", ".join(said.group(g, lang) for g in groups[:3])
                return Said(cpf, form, f"{text}, traço {said.group(groups[3], lang)}")
            return Said(cpf, form, said.digits(cpf, lang, six="meia" if "meia" in form else None))
        if pii == "BR_CNPJ":
            cnpj = checked(fake.cnpj, br_cnpj.is_valid, "CNPJ")
            g = re.findall(r"\d+", cnpj)
            if form == "groups":
                head = ", ".join(said.group(x, lang) for x in g[:3])
                tail = f"barra {said.group(g[3], lang)}, traço {said.group(g[4], lang)}"
                return Said(cnpj, form, f"{head}, {tail}")
            return Said(cnpj, form, said.digits(cnpj, lang))
        if pii == "PHONE_NUMBER":
            number = phone(fake, lang)
            national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            groups = re.findall(r"\d+", national)
            if form == "pairs":
                text = ", ".join(said.pairs(g, lang) for g in groups)
            else:
                text = said.grouped_digits(groups, lang, said.ZERO[lang] if lang == "en" else None)
            return Said(national, form, text)
        if pii == "EMAIL_ADDRESS":
            first, last = said.ascii_word(self.first), said.ascii_word(self.last)
            user = {"dot": f"{first}.{last}", "underscore": f"{first}_{last}"}.get(
                form, f"{first}{self.rng.randint(10, 99)}"
            )
            address = f"{user}@{self.rng.choice(DOMAINS[lang])}"
            return Said(address, form, said.email(address, lang))
        if pii == "STREET_ADDRESS":
            if lang == "en":
                street = f"{fake.building_number()} {fake.street_name()}"
            else:
                street = f"{fake.street_name()}, {fake.building_number()}"
            return Said(street, form, street)
        if pii == "CREDIT_CARD":
            card = checked(
                lambda: fake.credit_card_number(
                    card_type=self.rng.choice(["visa16", "mastercard"])
                ),
                luhn.is_valid,
                "card number",
            )
            fours = [card[i : i + 4] for i in range(0, 16, 4)]
            if form == "pairs":
                return Said(" ".join(fours), form, ", ".join(said.pairs(g, lang) for g in fours))
            return Said(" ".join(fours), form, said.grouped_digits(fours, lang))
        if pii == "CVV":
            cvv = fake.credit_card_security_code(card_type="visa16")
            if form == "number" and not cvv.startswith("0"):
                return Said(cvv, form, said.number(int(cvv), lang))
            return Said(cvv, "digits", said.digits(cvv, lang))
        if pii == "ES_DNI":
            if form == "nie":
                nie = checked(fake.nie, es_nie.is_valid, "NIE")
                letter = {"X": "equis", "Y": "i griega", "Z": "zeta"}[nie[0]]
                text = f"{letter}, {said.digits(nie[1:-1], lang)}, letra {nie[-1]}"
                return Said(nie, form, text)
            dni = checked(fake.nif, es_dni.is_valid, "DNI")
            body = dni[:-1]
            if form == "pairs":
                text = ", ".join(said.pairs(body[i : i + 2], lang) for i in range(0, 8, 2))
            else:
                text = said.digits(body, lang)
            return Said(dni, form, f"{text}, letra {dni[-1]}")
        if pii == "US_SSN":
            ssn = checked(fake.ssn, us_ssn.is_valid, "SSN")
            groups = ssn.split("-")
            if form == "pairs":
                return Said(ssn, form, ", ".join(said.pairs(g, lang) for g in groups))
            return Said(ssn, form, said.grouped_digits(groups, lang, said.ZERO[lang]))
        if pii == "POSTAL_CODE":
            zipcode = fake.zipcode()
            return Said(zipcode, form, said.digits(zipcode, lang, said.ZERO[lang]))
        if pii == "PERSON":  # the surname spelled
            text, say = said.spelled(self.last)
            return Said(self.last, form, text, say)
        raise ValueError(f"no value for {pii}")


def script(lang: str, index: int, seed: int, short: bool = False) -> list[Piece]:
    """The pieces of call number ``index`` (which PII turns and forms) for ``seed``.
    ``short``: only the greeting, the name and one PII turn (for tests)."""
    lines = LINES[lang]
    caller = Caller(lang, seed)
    rng = caller.rng
    name = f"{caller.first} {caller.last}"
    pieces = [
        Piece(AGENT, rng.choice(lines.greetings)),
        Piece(CALLER, rng.choice(lines.name_lead_ins)),
        Piece(CALLER, name, "PERSON", name, "name", joined=True),
    ]
    n = len(lines.turns)
    turns = [lines.turns[(index + k) % n] for k in range(1 if short else PII_TURNS_PER_CALL)]
    if not short:
        pieces += [
            Piece(AGENT, rng.choice(lines.how_can_i_help)),
            Piece(CALLER, rng.choice(lines.reasons)),
        ]
        rng.shuffle(turns)
    middle = rng.choice(lines.middles)
    for k, turn in enumerate(turns):
        form = turn.forms[index % len(turn.forms)]
        value = caller.value(turn.pii, form)
        pieces += [
            Piece(AGENT, turn.question),
            Piece(CALLER, turn.lead_in),
            Piece(CALLER, value.text, turn.pii, value.value, value.form, True, value.say),
        ]
        if short:
            break
        if k == 1 and index % 2 == 0:
            pieces += [Piece(AGENT, middle[0]), Piece(CALLER, middle[1])]
        elif rng.random() < 0.4:
            pieces.append(Piece(AGENT, rng.choice(lines.acknowledgements)))
    if short:
        return pieces
    pieces.append(Piece(AGENT, rng.choice(lines.closings)))
    if index % 2:
        before, after = rng.choice(lines.thanks_name)
        pieces += [
            Piece(AGENT, before, joined=True),
            Piece(AGENT, caller.first, "PERSON", caller.first, "first-name", joined=True),
            Piece(AGENT, after, joined=True),
        ]
    pieces.append(Piece(CALLER, rng.choice(lines.goodbyes)))
    return pieces
