"""Spoken numbers to digits, with a map from every output character back to the original text.

A recogniser often prints what a caller reads out as words: "cinco, quatro, dois...",
"quinientos setenta, sesenta...", "five hundred nineteen". text2num's ``alpha2digit``
(pt, es, en) turns those into digits; it gives no offsets, so we align its output with the
input token by token (difflib, anchored on the tokens without digits): unchanged words map
character for character, and every character of a converted stretch maps to the whole
stretch of words it came from. A span
found in the normalised text therefore maps back to the exact words, and so to the audio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from text_to_num import alpha2digit, text2num

_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W_]+")

# What text2num does not cover, written by hand: words that stand for a digit only next to
# other digits ("oh" in "five oh two", Brazilian "meia" for six in "três meia"),
# "double"/"triple" before a digit, hesitations between digits, and letter names after
# "letra". Per language: the digit words, {word: the digit word it stands for},
# {multiplier: count}, fillers, {letter name: letter}.
_DIGIT_WORDS = {
    "en": "zero one two three four five six seven eight nine",
    "pt": "zero um uma dois duas três tres quatro cinco seis sete oito nove",
    "es": "cero uno una dos tres cuatro cinco seis siete ocho nueve",
}
_NEIGHBOUR_DIGITS = {"en": {"oh": "zero", "o": "zero"}, "pt": {"meia": "seis"}, "es": {}}
# Homophones a recogniser prints for a digit ("four one for one"): taken as the digit only
# between two digits, as they are common words elsewhere.
_BETWEEN_DIGITS = {
    "en": {"for": "four", "to": "two", "too": "two", "ate": "eight", "won": "one"},
    "pt": {"tres": "três"},
    "es": {},
}
# Hesitations a caller makes inside a number ("cinco, é, quatro"): dropped between digits.
_FILLERS = {
    "en": {"uh", "um", "er", "erm", "ah"},
    "pt": {"é", "éh", "hum", "ahn", "hã", "eh"},
    "es": {"eh", "em", "este", "mmm", "ehh"},
}


# Letter names after "letra"/"letter" (a DNI's control letter): "letra zeta" -> "letra Z".
def _letter_table(names: str) -> dict[str, str]:
    return dict(zip(names.split(), "ABCDEFGHIJKLMNOPQRSTUVXYZ", strict=True))  # no W


_LETTER_NAMES = {
    "es": _letter_table(
        "a be ce de e efe ge hache i jota ka ele eme ene o pe cu erre ese te u uve equis ye zeta"
    ),
    "en": _letter_table(
        "a bee cee dee e ef gee aitch i jay kay el em en o pee cue ar ess tee u vee ex wye zed"
    ),
}
_LETTER_PROMPTS = {"letra", "letter"}
# Letter names that are also common words ("de", "ese", "e"): beside digits, only after
# "letra". The others beside a digit are letters too ("equis 7 7 1... ele", a NIE).
_AMBIGUOUS_LETTERS = {"a", "e", "i", "o", "u", "de", "te", "ese", "el", "em", "en", "ex", "ar"}
# Separators said as words between numbers ("cinco traço zero", "doce barra veintisiete",
# "nine oh two one oh dash one two", an account's "..., dígito seis"): they become a hyphen,
# or a slash for "barra"/"slash".
_SEPARATORS = {
    "en": {"dash": "-", "hyphen": "-", "slash": "/"},
    "pt": {"traço": "-", "tracinho": "-", "hífen": "-", "barra": "/", "dígito": "-"},
    "es": {"guion": "-", "guión": "-", "raya": "-", "barra": "/", "dígito": "-"},
}
_REPEATS = {
    "en": {"double": 2, "triple": 3},
    "pt": {"duplo": 2, "dobro": 2},
    "es": {"doble": 2, "triple": 3},
}


#: Shortest reading (digits and misheard words) in which a misheard word is taken as a digit.
MISHEARD_MIN_DIGITS = 7
# Words that may stand between two digits said one by one and are not a digit themselves.
_BETWEEN_WORDS = {
    "en": "and or to of the a by with plus times",
    "pt": "e ou a o de do da em no na com mais vezes até por",
    "es": "y o a de del el la en con más veces hasta por",
}


# Said right after a number ("... 4, 1, obrigado, ..."): never a misheard digit.
_COURTESIES = {
    "en": "thanks thank okay ok yes yeah sure right so",
    "pt": "obrigado obrigada valeu ok sim tá certo isso sou então né",
    "es": "gracias vale sí bueno ok claro eso soy pues",
}


def spell_digits(text: str, language: str) -> str:
    """Rewrite the digit words text2num misses into ones it knows (see above)."""
    return _separators(_digit_words(_misheard(text, language), language), language)


def _sounds_like_digit(word: str, language: str) -> bool:
    """A short word spelled much like a digit word ("nobe", "ledo", "norby"), not a number."""
    if not word.isalpha() or len(word) > 6 or _number_word(word, language):
        return False
    digits = _DIGIT_WORDS.get(language, "").split()
    return any(
        word[:2] == digit[:2] or SequenceMatcher(a=word, b=digit).ratio() >= 0.5 for digit in digits
    )


def _misheard(text: str, language: str) -> str:
    """A word or a few the recogniser made of a digit ("cinco, um, nobe, nobe, quatro", "0, 6,
    Norby, 3"), inside a number read out digit by digit, becomes a "0" placeholder.

    The digit is unknown, but the words stand where a digit was said: without this the
    number splits in two and each half stays readable. Only short words spelled like a digit
    word, between single digits, in a reading of at least MISHEARD_MIN_DIGITS digits, and
    never words with a meaning there ("e", "dash", "obrigado").
    """
    single = (
        set(_DIGIT_WORDS.get(language, "").split())
        | set(_NEIGHBOUR_DIGITS.get(language, {}))
        | set("0123456789")
    )
    keep = (  # words the other passes give a meaning to between digits, and courtesies
        set(_BETWEEN_WORDS.get(language, "").split())
        | set(_COURTESIES.get(language, "").split())
        | _FILLERS.get(language, set())
        | set(_SEPARATORS.get(language, {}))
        | set(_REPEATS.get(language, {}))
        | set(_BETWEEN_DIGITS.get(language, {}))
        | set(_LETTER_NAMES.get(language, {}))
        | _LETTER_PROMPTS
    )
    words = list(_WORD.finditer(text))
    kinds = [
        "d"
        if w.group().lower() in single
        else "u"
        if w.group().lower() not in keep and _sounds_like_digit(w.group().lower(), language)
        else "x"
        for w in words
    ]
    # groups of one to three unknown words between single digits, in a long enough reading
    pattern = re.compile(r"(?<=d)u{1,3}(?=d)")
    edits = []
    for gap in pattern.finditer("".join(kinds)):
        reading = re.search(r"[du]*$", "".join(kinds[: gap.start()]))
        after = re.match(r"[du]*", "".join(kinds[gap.end() :]))
        said = (reading.group() if reading else "") + gap.group() + (after.group() if after else "")
        if len(said) >= MISHEARD_MIN_DIGITS:
            edits += [(words[k].start(), words[k].end(), "0") for k in range(*gap.span())]
    return _apply(text, edits)


def _digit_words(text: str, language: str) -> str:
    """Fillers, "oh"/"meia", letter names, "double X", and a digit word beside a digit."""
    neighbours = _NEIGHBOUR_DIGITS.get(language, {})
    between = _BETWEEN_DIGITS.get(language, {})
    # "três meia meia": a neighbour word next to another one still stands for a digit
    plain = set(_DIGIT_WORDS.get(language, "").split())
    digit_words = plain | set(neighbours)
    words = list(_WORD.finditer(text))

    def is_digit(i: int) -> bool:
        return 0 <= i < len(words) and (
            words[i].group().isdigit() or words[i].group().lower() in digit_words
        )

    # "3 um 9", "zero 8 6": text2num leaves digit words beside digits alone. Every digit word
    # in a run of digits and digit words that holds a written digit is rewritten.
    in_mixed_run: set[int] = set()
    run: list[int] = []
    for i in [*range(len(words)), len(words)]:
        if i < len(words) and is_digit(i):
            run.append(i)
            continue
        if any(words[j].group().isdigit() for j in run):
            in_mixed_run.update(run)
        run = []

    edits: list[tuple[int, int, str]] = []
    for i, match in enumerate(words):
        word = match.group().lower()
        if edits and match.start() < edits[-1][1]:
            continue  # already rewritten as part of "double X"
        if word in _FILLERS.get(language, set()) and is_digit(i - 1) and is_digit(i + 1):
            # the filler and what follows it up to the next digit go: "cinco, é, quatro"
            edits.append((match.start(), words[i + 1].start(), ""))
        elif word in neighbours and (is_digit(i - 1) or is_digit(i + 1)):
            edits.append((match.start(), match.end(), neighbours[word]))
        elif word in between and is_digit(i - 1) and is_digit(i + 1):
            edits.append((match.start(), match.end(), between[word]))
        elif word in plain and i in in_mixed_run:
            edits.append((match.start(), match.end(), str(text2num(word, language))))
        elif word in _LETTER_NAMES.get(language, {}) and (
            (i > 0 and words[i - 1].group().lower() in _LETTER_PROMPTS)
            or (word not in _AMBIGUOUS_LETTERS and (is_digit(i - 1) or is_digit(i + 1)))
        ):
            edits.append((match.start(), match.end(), _LETTER_NAMES[language][word]))
        elif word in _REPEATS.get(language, {}) and is_digit(i + 1):
            following = words[i + 1]
            digit = neighbours.get(following.group().lower(), following.group())
            repeated = " ".join([digit] * _REPEATS[language][word])
            edits.append((match.start(), following.end(), repeated))
    return _apply(text, edits)


def _separators(text: str, language: str) -> str:
    """ "nine dash one", "doce barra veintisiete": the separator word becomes "-" or "/"."""
    separators = _SEPARATORS.get(language, {})
    neighbours = _NEIGHBOUR_DIGITS.get(language, {})
    plain = set(_DIGIT_WORDS.get(language, "").split())
    words = list(_WORD.finditer(text))

    def is_number(i: int) -> bool:
        return 0 <= i < len(words) and (
            words[i].group().lower() in neighbours or _number_word(words[i].group(), language)
        )

    def as_digit(i: int, outward: int) -> str:
        """A lone digit word as a digit: text2num leaves "zero" next to a hyphen as it is.
        One inside a compound number ("quarenta e cinco") stays a word for text2num."""
        word = words[i].group().lower()
        beyond = i + outward
        if (
            0 <= beyond < len(words)
            and (
                words[beyond].group().lower() in _JOINERS
                or _number_word(words[beyond].group(), language)
            )
            and word not in neighbours
        ):
            return words[i].group()
        word = neighbours.get(word, word)
        return str(text2num(word, language)) if word in plain else words[i].group()

    edits: list[tuple[int, int, str]] = []
    for i, match in enumerate(words):
        word = match.group().lower()
        if word in separators and is_number(i - 1) and is_number(i + 1):
            start, said = words[i - 1].start(), as_digit(i - 1, -1)
            if edits and edits[-1][1] > start:  # "nine dash one dash two": extend the last
                start, _, said = edits.pop()
            edits.append(
                (start, words[i + 1].end(), f"{said} {separators[word]} {as_digit(i + 1, 1)}")
            )
    return _apply(text, edits)


_JOINERS = {"e", "y", "and"}  # "quarenta e cinco", "treinta y cuatro"


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


def _number_word(word: str, language: str) -> bool:
    if word.isdigit():
        return True
    try:
        text2num(word.lower(), language)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Normalised:
    text: str
    #: For each character of ``text``, the (start, end) span of the original it came from.
    source: list[tuple[int, int]]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        spans = self.source[start:end]
        return min(s for s, _ in spans), max(e for _, e in spans)


def normalise(text: str, language: str) -> Normalised | None:
    """Number words turned into digits, or None when there are none to turn."""
    converted = alpha2digit(spell_digits(text, language), language)
    if converted == text:
        return None
    old = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    new = _TOKEN.findall(converted)
    parts: list[str] = []
    source: list[tuple[int, int]] = []

    def emit(token: str, spans: list[tuple[int, int]]) -> None:
        if parts:
            parts.append(" ")
            source.append(spans[0])
        parts.append(token)
        source.extend(spans)

    # Only tokens without digits may align as equal: a "3" in the output must not be tied to
    # an unrelated "3" of the input, or the words said before it would map to nothing.
    def keys(tokens: list[str], side: str) -> list[str]:
        return [f"\0{side}{i}" if any(c.isdigit() for c in t) else t for i, t in enumerate(tokens)]

    matcher = SequenceMatcher(a=keys([t for t, _, _ in old], "a"), b=keys(new, "b"), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (token, start, _), _ in zip(old[i1:i2], new[j1:j2], strict=True):
                emit(token, [(start + k, start + k + 1) for k in range(len(token))])
        elif j2 > j1:  # replaced (or, rarely, inserted): map to the whole original stretch
            start = old[i1][1] if i1 < len(old) else len(text)
            end = old[i2 - 1][2] if i2 > i1 else start
            for token in new[j1:j2]:
                emit(token, [(start, end)] * len(token))
    return Normalised("".join(parts), source)
