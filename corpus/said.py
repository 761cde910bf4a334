"""How callers say values aloud, as text for a speech synthesiser: digit by digit, in groups
or pairs of number words (num2words), e-mail addresses with "arroba"/"punto"/"at", letters
spelled one by one."""

from __future__ import annotations

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


def number(n: int, lang: str) -> str:
    return str(num2words(n, lang=NUM2WORDS[lang]))


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
