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
from stdnum.es import ccc as es_ccc
from stdnum.es import dni as es_dni
from stdnum.es import iban as es_iban
from stdnum.es import nie as es_nie
from stdnum.es import postal_code as es_postal_code
from stdnum.us import rtn as us_rtn
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
PII_TURNS_PER_CALL = 7
BARE_EVERY = 4  # every 4th PII question is answered with the value alone, no lead-in


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
    bare: bool = False  # a value said alone, without a lead-in


@dataclass(frozen=True)
class Said:
    """A value and how it is said: ``text`` as printed, ``say`` for the synthesiser."""

    value: str
    form: str
    text: str
    say: str = ""


@dataclass(frozen=True)
class Turn:
    """A PII question: the agent's ways of asking, the caller's lead-ins, the value's forms."""

    pii: str
    questions: tuple[str, ...]
    lead_ins: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Ask:
    """One PII question of a call: which turn, which phrasing, in which form the value is
    said, and whether the caller answers with the value alone ("19691.", no lead-in)."""

    turn: Turn
    question: str
    form: str
    bare: bool


#: What a caller says for one PII question: the values, and words between them that are not
#: PII ("agência" 1234 "conta" 56789-0), each a piece of its own.
Answer = tuple[Said | str, ...]


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
                (
                    "Para confirmar o cadastro, qual é o seu CPF?",
                    "Pode me informar o CPF do titular?",
                    "Me passa o seu CPF, por favor.",
                ),
                ("O meu CPF é", "Claro, é", "Anota aí:"),
                ("digits", "groups", "digits-meia"),
            ),
            Turn(
                "BR_CNPJ",
                (
                    "A conta é de empresa? Pode me passar o CNPJ?",
                    "E qual é o CNPJ da empresa?",
                ),
                ("Sim, o CNPJ é", "É"),
                ("groups", "digits"),
            ),
            Turn(
                "CREDIT_CARD",
                (
                    "Vou precisar do número do cartão de crédito.",
                    "Qual é o número do cartão?",
                    "Pode me passar os números do cartão, por favor?",
                ),
                ("O número do cartão é", "Vamos lá:", "É"),
                ("fours", "pairs"),
            ),
            Turn(
                "CVV",
                (
                    "E o código de segurança, os três números atrás do cartão?",
                    "Qual é o código de segurança?",
                    "E os três dígitos do verso?",
                ),
                ("É", "O código é"),
                ("digits", "number"),
            ),
            Turn(
                "EXPIRY_DATE",
                (
                    "Qual é a validade do cartão?",
                    "E a data de vencimento do cartão?",
                    "Até quando o cartão é válido?",
                ),
                ("Vence em", "A validade é", "É"),
                ("pairs", "slash", "month-name"),
            ),
            Turn(
                "PHONE_NUMBER",
                (
                    "Qual é o melhor telefone para contato?",
                    "Tem um número para a gente retornar a ligação?",
                    "E um celular com DDD?",
                ),
                ("Pode anotar, é", "É o"),
                ("digits", "pairs"),
            ),
            Turn(
                "EMAIL_ADDRESS",
                (
                    "E qual é o seu e-mail?",
                    "Pode me confirmar o seu e-mail?",
                    "Para onde eu mando o comprovante?",
                ),
                ("É", "Pode mandar para"),
                ("dot", "number", "underscore"),
            ),
            Turn(
                "STREET_ADDRESS",
                (
                    "Qual é o endereço de instalação?",
                    "Pode confirmar o endereço de entrega?",
                    "E onde fica o imóvel?",
                ),
                ("Eu moro na", "O endereço é", "Fica na"),
                ("street-number",),
            ),
            Turn(
                "POSTAL_CODE",
                ("Qual é o CEP?", "E o CEP da rua?", "Me confirma o CEP, por favor."),
                ("O CEP é", "É"),
                ("digits", "groups"),
            ),
            Turn(
                "DATE_OF_BIRTH",
                (
                    "Qual é a sua data de nascimento?",
                    "E a data de nascimento do titular?",
                    "E em que dia você nasceu?",
                ),
                ("Eu nasci em", "É"),
                ("words", "digits", "short"),
            ),
            Turn(
                "BANK_ACCOUNT",
                (
                    "Para o reembolso, qual é a sua agência e conta?",
                    "Em qual conta a gente deposita? Preciso dos dados bancários.",
                    "Me passa a agência e o número da conta, por favor.",
                ),
                ("Claro,", "Anota aí:", "Os dados são"),
                ("digits", "pairs"),
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
                (
                    "Para verificar su identidad, ¿me da su DNI?",
                    "¿Me puede decir su número de DNI o NIE?",
                    "¿Su documento de identidad, por favor?",
                ),
                ("Sí, es el", "Claro, el número es", "Apunte:"),
                ("digits", "pairs", "nie"),
            ),
            Turn(
                "ES_NSS",
                (
                    "¿Me indica su número de la Seguridad Social?",
                    "Necesito también su número de afiliación a la Seguridad Social.",
                    "¿Tiene a mano la tarjeta sanitaria? Dígame el número de la Seguridad Social.",
                ),
                ("Sí, es el", "Mi número de la Seguridad Social es", "Tome nota:"),
                ("digits", "pairs"),
            ),
            Turn(
                "CREDIT_CARD",
                (
                    "Necesito el número de la tarjeta.",
                    "¿Me dicta el número de la tarjeta?",
                    "¿Con qué tarjeta va a pagar? Dígame el número.",
                ),
                ("El número de la tarjeta es", "Es el", "Vale, apunte:"),
                ("fours", "pairs"),
            ),
            Turn(
                "CVV",
                (
                    "¿Y el código de seguridad de la tarjeta?",
                    "¿Los tres números de detrás de la tarjeta?",
                    "¿Y el CVV?",
                ),
                ("El código es", "Es el", "Son"),
                ("digits", "number"),
            ),
            Turn(
                "EXPIRY_DATE",
                (
                    "¿Cuál es la fecha de caducidad?",
                    "¿Hasta cuándo es válida la tarjeta?",
                    "¿Y la fecha de vencimiento?",
                ),
                ("Caduca el", "Es el", "Vence en"),
                ("pairs", "slash", "month-name"),
            ),
            Turn(
                "PHONE_NUMBER",
                (
                    "¿Un teléfono de contacto?",
                    "¿En qué número le podemos llamar?",
                    "¿Me da un móvil de contacto?",
                ),
                ("Apunte, es el", "Es el", "Mi móvil es el"),
                ("digits", "pairs"),
            ),
            Turn(
                "EMAIL_ADDRESS",
                (
                    "¿Y su correo electrónico?",
                    "¿A qué correo le enviamos la factura?",
                    "¿Me confirma su email?",
                ),
                ("Es", "Mi correo es"),
                ("dot", "number", "underscore"),
            ),
            Turn(
                "STREET_ADDRESS",
                (
                    "¿Cuál es la dirección de envío?",
                    "¿Me confirma su domicilio?",
                    "¿A qué dirección se lo mandamos?",
                ),
                ("La dirección es", "Vivo en", "Es en"),
                ("street-number",),
            ),
            Turn(
                "POSTAL_CODE",
                (
                    "¿Y el código postal?",
                    "¿Me dice el código postal, por favor?",
                    "¿Qué código postal tiene?",
                ),
                ("Es el", "El código postal es"),
                ("digits", "groups"),
            ),
            Turn(
                "DATE_OF_BIRTH",
                (
                    "¿Me dice su fecha de nacimiento?",
                    "¿En qué fecha nació?",
                    "Para comprobar los datos, ¿su fecha de nacimiento?",
                ),
                ("Nací el", "Es el"),
                ("words", "digits", "short"),
            ),
            Turn(
                "BANK_ACCOUNT",
                (
                    "¿En qué cuenta quiere la devolución?",
                    "¿Me da la cuenta para domiciliar los recibos?",
                    "¿Cuál es su número de cuenta?",
                ),
                ("Es", "Apunte:", "Tome nota:"),
                ("iban-digits", "iban-pairs", "ccc"),
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
                (
                    "To verify your identity, what's your social security number?",
                    "Could you confirm your social for me?",
                    "I'll need your social security number, please.",
                ),
                ("Sure, it's", "It's", "Okay, it's"),
                ("digits", "pairs"),
            ),
            Turn(
                "CREDIT_CARD",
                (
                    "What's the card number?",
                    "Go ahead with the card number whenever you're ready.",
                    "Which card would you like to use? I'll need the number.",
                ),
                ("The card number is", "Sure,", "It's"),
                ("fours", "pairs"),
            ),
            Turn(
                "CVV",
                (
                    "And the security code on the back of the card?",
                    "What's the three-digit code on the back?",
                    "And the CVV?",
                ),
                ("It's", "The code is"),
                ("digits", "number"),
            ),
            Turn(
                "EXPIRY_DATE",
                (
                    "And the expiration date?",
                    "When does the card expire?",
                    "What's the month and year on the front of the card?",
                ),
                ("It expires", "It's", "That's"),
                ("pairs", "slash", "month-name"),
            ),
            Turn(
                "PHONE_NUMBER",
                (
                    "What's the best number to reach you?",
                    "Can I get a callback number?",
                    "What's a good phone number for you?",
                ),
                ("You can call me at", "It's", "Sure, it's"),
                ("digits", "pairs"),
            ),
            Turn(
                "EMAIL_ADDRESS",
                (
                    "And your email address?",
                    "Where should I send the confirmation?",
                    "What email would you like us to use?",
                ),
                ("It's", "Send it to", "My email is"),
                ("dot", "number", "underscore"),
            ),
            Turn(
                "STREET_ADDRESS",
                (
                    "What's the shipping address?",
                    "Can you confirm the address on the account?",
                    "Where should we send the new card?",
                ),
                ("Ship it to", "It's", "Sure, it's"),
                ("number-street",),
            ),
            Turn(
                "POSTAL_CODE",
                ("And the zip code?", "What's the zip?", "And the ZIP for that address?"),
                ("The zip is", "It's"),
                ("digits",),
            ),
            Turn(
                "DATE_OF_BIRTH",
                (
                    "Can you give me your date of birth?",
                    "And what's your birthday?",
                    "I just need your date of birth to verify the account.",
                ),
                ("I was born on", "It's", "Sure,"),
                ("words", "digits", "short"),
            ),
            Turn(
                "BANK_ACCOUNT",
                (
                    "For the direct deposit, what's your account number?",
                    "Which bank account should the refund go to?",
                    "What's the checking account number?",
                ),
                ("Sure,", "Okay, so", "Yeah,"),
                ("digits", "pairs", "routing"),
            ),
            Turn(
                "PERSON",
                (
                    "Could you spell your last name for me?",
                    "How do you spell your last name?",
                    "And can you spell the surname?",
                ),
                ("Sure,", "It's", "Yeah,"),
                ("spelled",),
            ),
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


def es_nss(rng: random.Random) -> str:
    """A Spanish social security number (número de afiliación), "28 12345678 90": the
    province (2 digits), 8 digits, and 2 check digits, the first 10 digits as an integer
    modulo 97. python-stdnum has no validator for it: ``es_nss_valid`` is ours. The middle
    part starts with a non-zero digit: for one below 10,000,000 the Seguridad Social
    computes the check digits otherwise, a case not worth saying here."""
    province = rng.randint(1, 52)
    middle = rng.randint(10**7, 10**8 - 1)
    return f"{province:02d} {middle} {int(f'{province:02d}{middle}') % 97:02d}"


def es_nss_valid(nss: str) -> bool:
    digits = re.sub(r"\D", "", nss)
    return len(digits) == 12 and int(digits[:10]) % 97 == int(digits[10:])


def valid_expiry(expires: str) -> bool:
    """ "MM/YY" with a real month."""
    match = re.fullmatch(r"(\d\d)/(\d\d)", expires)
    return match is not None and 1 <= int(match.group(1)) <= 12


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

    def answer(self, pii: str, form: str) -> Answer:
        """What the caller says for a ``pii`` question in ``form``: mostly one value."""
        lang = self.lang
        if pii == "BANK_ACCOUNT":
            return self.bank_account(form)
        if pii == "DATE_OF_BIRTH":
            born = self.fake.date_of_birth(minimum_age=18, maximum_age=85)
            say = {"words": said.date_words, "digits": said.date_digits, "short": said.date_short}
            return (Said(said.written_date(born, lang), form, say[form](born, lang)),)
        if pii == "EXPIRY_DATE":
            expires = checked(self.fake.credit_card_expire, valid_expiry, "expiry date")
            month, yy = (int(x) for x in expires.split("/"))
            return (Said(expires, form, said.expiry(month, yy, lang, form)),)
        if pii == "POSTAL_CODE":
            return (self.postal_code(form),)
        if pii == "ES_NSS":
            nss = es_nss(self.rng)
            groups = nss.split()
            if form == "pairs":
                return (Said(nss, form, ", ".join(said.pairs(g, lang) for g in groups)),)
            return (Said(nss, form, said.grouped_digits(groups, lang)),)
        return (self.value(pii, form),)

    def postal_code(self, form: str) -> Said:
        lang, fake = self.lang, self.fake
        if lang == "pt":  # CEP: "01310-100"; Faker leaves the hyphen out of some
            digits = checked(
                lambda: re.sub(r"\D", "", fake.postcode()),
                lambda d: len(d) == 8,
                "CEP",
            )
            cep = f"{digits[:5]}-{digits[5:]}"
            if form == "groups":  # "zero, treze, dez, traço, cem"
                text = f"{said.pairs(digits[:5], lang)}, traço, {said.group(digits[5:], lang)}"
                return Said(cep, form, text)
            return Said(cep, form, said.grouped_digits([digits[:5], digits[5:]], lang))
        if lang == "es":  # the province's two digits and three more: "veintiocho, cero trece"
            code = checked(fake.postcode, es_postal_code.is_valid, "código postal")
            if form == "groups":
                return Said(
                    code, form, f"{said.group(code[:2], lang)}, {said.group(code[2:], lang)}"
                )
            return Said(code, form, said.digits(code, lang))
        zipcode = fake.zipcode()
        return Said(zipcode, form, said.digits(zipcode, lang, said.ZERO[lang]))

    def bank_account(self, form: str) -> Answer:
        lang, rng = self.lang, self.rng
        if lang == "pt":  # agência (4 digits) and conta with its check digit: no checksum
            branch = f"{rng.randint(1, 9999):04d}"
            body = str(rng.randint(10**4, 10 ** rng.randint(5, 8) - 1))
            account = f"{body}-{rng.randint(0, 9)}"
            if form == "pairs":
                said_branch = said.pairs(branch, lang)
                said_account = f"{said.pairs(body, lang)}, traço {said.digit(account[-1], lang)}"
            else:
                said_branch = said.digits(branch, lang)
                said_account = f"{said.digits(body, lang)}, dígito {said.digit(account[-1], lang)}"
            return (
                "agência",
                Said(branch, form, said_branch),
                "conta",
                Said(account, form, said_account),
            )
        if lang == "es":
            if form == "ccc":  # 20 digits: bank, branch, check digits, account
                ccc = checked(self.fake.bban, es_ccc.is_valid, "CCC")
                groups = [ccc[:4], ccc[4:8], ccc[8:10], ccc[10:]]
                text = said.grouped_digits(groups, lang)
                return (Said(" ".join(groups), form, text),)
            iban = checked(self.fake.iban, es_iban.is_valid, "IBAN")
            groups = [iban[i : i + 4] for i in range(4, 24, 4)]
            check = iban[2:4]
            if form == "iban-pairs":
                said_groups = ", ".join(said.pairs(g, lang) for g in [check, *groups])
            else:
                said_groups = said.grouped_digits([check, *groups], lang)
            text = f"E S, {said_groups}"
            return (Said(f"ES{check} {' '.join(groups)}", form, text),)
        # en: an account number of 8 to 12 digits (no checksum), and maybe the routing number
        account = str(rng.randint(10**7, 10 ** rng.randint(8, 12) - 1))
        zero = said.ZERO[lang]
        if form == "pairs":
            return (Said(account, form, said.pairs(account, lang)),)
        if form == "routing":
            routing = checked(self.fake.aba, us_rtn.is_valid, "routing number")
            return (
                "the routing number is",
                Said(routing, form, said.digits(routing, lang, zero)),
                "and the account number is",
                Said(account, form, said.digits(account, lang, zero)),
            )
        return (Said(account, form, said.digits(account, lang, zero)),)

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
                # "ciento veinticuatro", but "one twenty-four"
                as_number = said.pairs(cvv, lang) if lang == "en" else said.number(int(cvv), lang)
                return Said(cvv, form, as_number)
            if form == "number" and lang != "en" and not cvv.startswith("00"):
                # "cero, sesenta y ocho": the zero, then the rest as a number
                rest = said.number(int(cvv[1:]), lang)
                return Said(cvv, form, f"{said.digits(cvv[0], lang)}, {rest}")
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
        if pii == "PERSON":  # the surname spelled
            text, say = said.spelled(self.last)
            return Said(self.last, form, text, say)
        raise ValueError(f"no value for {pii}")


def schedule(lang: str, index: int, short: bool = False) -> list[Ask]:
    """The PII questions of call number ``index``, in the order of the language's turns.

    Slot ``index * PII_TURNS_PER_CALL + k`` of a split asks turn ``slot % n`` of the n
    turns: over a split each turn comes up as often as any other (within one), and its
    values' forms and its phrasings take turns with how often it came up before, so that
    each split says every (type, form) once it asks each turn as often as it has forms.
    Every BARE_EVERY-th slot is answered without a lead-in."""
    turns = LINES[lang].turns
    asks = []
    for k in range(1 if short else PII_TURNS_PER_CALL):
        slot = index * PII_TURNS_PER_CALL + k
        turn, seen = turns[slot % len(turns)], slot // len(turns)
        forms = len(turn.forms)
        asks.append(
            Ask(
                turn,
                turn.questions[seen // forms % len(turn.questions)],
                turn.forms[seen % forms],
                slot % BARE_EVERY == BARE_EVERY - 1,
            )
        )
    return asks


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
    asks = schedule(lang, index, short)
    if not short:
        pieces += [
            Piece(AGENT, rng.choice(lines.how_can_i_help)),
            Piece(CALLER, rng.choice(lines.reasons)),
        ]
        rng.shuffle(asks)
    middle = rng.choice(lines.middles)
    for k, ask in enumerate(asks):
        lead_in = rng.choice(ask.turn.lead_ins)
        pieces.append(Piece(AGENT, ask.question))
        joined = False  # the caller's first piece starts a turn
        if not ask.bare:
            pieces.append(Piece(CALLER, lead_in))
            joined = True
        for part in caller.answer(ask.turn.pii, ask.form):
            if isinstance(part, str):
                pieces.append(Piece(CALLER, part, joined=joined))
            else:
                pii, bare = ask.turn.pii, ask.bare
                pieces.append(
                    Piece(CALLER, part.text, pii, part.value, part.form, joined, part.say, bare)
                )
            joined = True
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
