"""How callers say values aloud, as text for a speech synthesiser: digit by digit, in groups
or pairs of number words (num2words), e-mail addresses with "arroba"/"punto"/"at", letters
spelled one by one, dates ("doze de março de mil novecentos e oitenta e cinco", "March
twelfth, nineteen eighty-five") and card expiry dates ("zero três, vinte e oito")."""

from __future__ import annotations

import datetime
import re
import unicodedata

from num2words import num2words

NUM2WORDS = {"pt": "pt_BR", "es": "es", "en": "en"}
EMAIL_WORDS = {
    "pt": {"@": "arroba", ".": "ponto", "_": "underline"},
    "es": {"@": "arroba", ".": "punto", "_": "guion bajo"},
    "en": {"@": "at", ".": "dot", "_": "underscore"},
}
#: How "0" is said inside a number read digit by digit: English speakers say "oh".
ZERO = {"pt": "zero", "es": "cero", "en": "oh"}
MONTHS = {
    "pt": [
        "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
        "setembro", "outubro", "novembro", "dezembro",
    ],
    "es": [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ],
}  # fmt: skip
SLASH = {"pt": "barra", "es": "barra", "en": "slash"}


def number(n: int, lang: str) -> str:
    # num2words writes "mil, novecentos e oitenta e cinco" in pt_BR: no pause is said there
    return str(num2words(n, lang=NUM2WORDS[lang])).replace(",", "")


def digit(d: str, lang: str, zero: str | None = None, six: str | None = None) -> str:
    """One digit as a word; ``zero``/``six`` replace the usual word ("oh", Brazilian "meia")."""
    if d == "0" and zero:
        return zero
    if d == "6" and six:
        return six
    return number(int(d), lang)


def digits(value: str, lang: str, zero: str | None = None, six: str | None = None) -> str:
    """Every digit of ``value`` as a word, comma-separated: "um, dois, três"."""
    return ", ".join(digit(d, lang, zero, six) for d in re.sub(r"\D", "", value))


def grouped_digits(groups: list[str], lang: str, zero: str | None = None) -> str:
    """Groups read digit by digit, a pause between groups: "eight one nine, four three oh"."""
    return ", ".join(" ".join(digit(d, lang, zero) for d in g) for g in groups)


def group(g: str, lang: str) -> str:
    """A group as a number, its leading zeros said one by one: "033" -> "zero trinta e três"."""
    body = g.lstrip("0")
    zeros = [digit("0", lang)] * (len(g) - len(body))
    return " ".join(zeros + ([number(int(body), lang)] if body else []))


def pairs(g: str, lang: str) -> str:
    """A group as two-digit numbers, an odd first digit alone: "7877" -> "seventy-eight
    seventy-seven", "364" -> "three sixty-four", "07" -> "oh seven"."""
    head, rest = (g[0], g[1:]) if len(g) % 2 else ("", g)
    said = [digit(head, lang)] if head else []
    for i in range(0, len(rest), 2):
        pair = rest[i : i + 2]
        if pair[0] == "0":
            said.append(" ".join(digit(d, lang, ZERO[lang]) for d in pair))
        else:
            said.append(number(int(pair), lang))
    return " ".join(said)


def ascii_word(text: str) -> str:
    """Lower case ASCII letters, digits, dots and underscores only: for e-mail user names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in "._")).lower()


def email(address: str, lang: str) -> str:
    """ "maria.silva@gmail.com" -> "maria ponto silva arroba gmail ponto com"; a number in
    the user name is said as a number."""
    words = EMAIL_WORDS[lang]
    said = re.sub(r"\d+", lambda m: f" {number(int(m.group()), lang)} ", address)
    said = re.sub(r"[@._]", lambda m: f" {words[m.group()]} ", said)
    return re.sub(r"\s+", " ", said).strip()


def spelled(word: str) -> tuple[str, str]:
    """("V-I-O-L-E-T", "V, I, O, L, E, T"): as a transcript prints it, and as a synthesiser
    says letter names (a dash between letters reads "A" as the article)."""
    letters = [c.upper() for c in ascii_word(word) if c.isalpha()]
    return "-".join(letters), ", ".join(letters)


def year(y: int, lang: str) -> str:
    """ "mil novecentos e oitenta e cinco", "nineteen eighty-five"."""
    return str(num2words(y, lang="en", to="year")) if lang == "en" else number(y, lang)


def date_words(d: datetime.date, lang: str) -> str:
    """ "doze de março de mil novecentos e oitenta e cinco", "doce de marzo de mil
    novecientos ochenta y cinco", "March twelfth, nineteen eighty-five"."""
    month = MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{month} {num2words(d.day, lang='en', to='ordinal')}, {year(d.year, lang)}"
    day = "primeiro" if lang == "pt" and d.day == 1 else number(d.day, lang)
    return f"{day} de {month} de {year(d.year, lang)}"


def date_digits(d: datetime.date, lang: str) -> str:
    """The date as written (day first, or month first in en), read digit by digit: "um
    dois, zero três, um nove oito cinco", "oh three, one two, one nine eight five"."""
    return grouped_digits(written_date(d, lang).split("/"), lang, ZERO[lang])


def date_short(d: datetime.date, lang: str) -> str:
    """Day, month and the year's last two digits as numbers: "doze do três de oitenta e
    cinco", "doce del tres del ochenta y cinco", "three twelve eighty-five"; a year of the
    2000s in full ("de dois mil e cinco"), in en "oh five"."""
    day, month = number(d.day, lang), number(d.month, lang)
    if lang == "en":
        return f"{month}, {day}, {pairs(f'{d.year % 100:02d}', lang)}"
    y = number(d.year % 100 if d.year < 2000 else d.year, lang)
    if lang == "pt":
        return f"{day} do {month} de {y}"
    return f"{day} del {month} del {y}"


def written_date(d: datetime.date, lang: str) -> str:
    """ "12/03/1985"; in en month first, "03/12/1985"."""
    return d.strftime("%m/%d/%Y" if lang == "en" else "%d/%m/%Y")


def expiry(month: int, yy: int, lang: str, form: str) -> str:
    """A card's expiry date: "pairs" "zero três, vinte e oito"; "slash" "zero três barra
    vinte e oito"; "month-name" "março de dois mil e vinte e oito", "March twenty
    twenty-eight"."""
    mm = " ".join(digit(d, lang, ZERO[lang]) for d in f"{month:02d}")
    if form == "pairs":
        return f"{mm}, {number(yy, lang)}"
    if form == "slash":
        return f"{mm} {SLASH[lang]} {number(yy, lang)}"
    name = MONTHS[lang][month - 1]
    return (
        f"{name} {year(2000 + yy, lang)}" if lang == "en" else f"{name} de {year(2000 + yy, lang)}"
    )
