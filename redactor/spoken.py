"""Spoken numbers to digits, with a map from every output character back to the original text.

A recogniser often prints what a caller reads out as words: "cinco, quatro, dois...",
"quinientos setenta, sesenta...", "five hundred nineteen". text2num's ``alpha2digit``
turns those into digits; it gives no offsets, so we align its output with the input token
by token (difflib, anchored on the tokens without digits, 200 tokens at a time): unchanged
words map character for character, and every character of a converted stretch maps to the
whole stretch of words it came from. A span found in the normalised text therefore maps
back to the exact words, and so to the audio.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from text_to_num import alpha2digit, text2num

from redactor import languages

_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[^\W_]+")

# What text2num does not cover, written by hand in each language's module
# (redactor/languages/): words that stand for a digit only next to other digits ("oh" in
# "five oh two", Brazilian "meia" for six in "três meia"), "double"/"triple" before a digit,
# hesitations between digits, homophones between digits ("four one for one"), letter names
# after "letra" ("letra zeta" -> "letra Z", a DNI's control letter), separators said as
# words between numbers ("cinco traço zero", "doce barra veintisiete", "nine oh two one oh
# dash one two", an account's "..., dígito seis": a hyphen, or a slash for "barra"/"slash"),
# and the words that may stand between digits or right after a number. A letter name that
# is also a common word ("de", "ese", "e") is a letter beside digits only after "letra"; the
# others beside a digit are letters too ("equis 7 7 1... ele", a NIE).

# "letra zeta", "letter zed" (pooled: callers mix languages)
_LETTER_PROMPTS = frozenset(languages.pooled(lambda lang: lang.letter_prompts))

#: Shortest reading (digits and misheard words) in which a misheard word is taken as a digit.
MISHEARD_MIN_DIGITS = 7


#: How alike a misheard word and a number word must be (difflib's ratio).
MISHEARD_NUMBER_RATIO = 0.85


def spell_digits(text: str, language: str) -> str:
    """Rewrite the digit words text2num misses into ones it knows (see above)."""
    text = _misheard(_misheard_numbers(text, language), language)
    return _separators(_digit_words(text, language), language)


def _misheard_numbers(text: str, language: str) -> str:
    """A word spelled much like a tens or hundreds word, next to a number, becomes it:
    "sessenta e oito" printed "sessitenta e oito", Spanish "cincuenta y siete" printed
    "cinquenta y siete". Otherwise the reading splits there and the rest stays readable.
    Words of seven letters or more only: "certo" is not "cento", nor "cuenta" "cuarenta"."""
    lang = languages.get(language)
    targets = lang.number_words
    if not targets:
        return text  # a language that lists none gets nothing taken (the fallback rule)
    words = list(_WORD.finditer(text))
    joiners = lang.number_joiners | lang.between_words

    def is_number(i: int) -> bool:
        return 0 <= i < len(words) and number_word(words[i].group(), language)

    def beside_number(i: int) -> bool:
        for step in (-1, 1):
            j = i + step
            if 0 <= j < len(words) and words[j].group().lower() in joiners:
                j += step  # "sessitenta e oito"
            if is_number(j):
                return True
        return False

    edits = []
    for i, match in enumerate(words):
        word = match.group().lower()
        if len(word) < 7 or not word.isalpha() or not beside_number(i):
            continue
        if number_word(word, language):
            continue
        ratio, best = max((SequenceMatcher(a=word, b=t).ratio(), t) for t in targets)
        if ratio >= MISHEARD_NUMBER_RATIO:
            edits.append((match.start(), match.end(), best))
    return _apply(text, edits)


def _sounds_like_digit(word: str, language: str) -> bool:
    """A short word spelled much like a digit word ("nobe", "ledo", "norby"), not a number."""
    if not word.isalpha() or len(word) > 6 or number_word(word, language):
        return False
    digits = languages.get(language).digit_words
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
    lang = languages.get(language)
    single = set(lang.digit_words) | set(lang.neighbour_digits) | set("0123456789")
    keep = (  # words the other passes give a meaning to between digits, and courtesies
        lang.between_words
        | lang.courtesies
        | lang.number_fillers
        | set(lang.number_separators)
        | set(lang.repeats)
        | set(lang.between_digits)
        | set(lang.letter_names)
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
    lang = languages.get(language)
    neighbours = lang.neighbour_digits
    between = lang.between_digits
    # "três meia meia": a neighbour word next to another one still stands for a digit
    plain = set(lang.digit_words)
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
        if word in lang.number_fillers and is_digit(i - 1) and is_digit(i + 1):
            # the filler and what follows it up to the next digit go: "cinco, é, quatro"
            edits.append((match.start(), words[i + 1].start(), ""))
        elif word in neighbours and (is_digit(i - 1) or is_digit(i + 1)):
            edits.append((match.start(), match.end(), neighbours[word]))
        elif word in between and is_digit(i - 1) and is_digit(i + 1):
            edits.append((match.start(), match.end(), between[word]))
        elif word in plain and i in in_mixed_run:
            edits.append((match.start(), match.end(), str(text2num(word, language))))
        elif word in lang.letter_names and (
            (i > 0 and words[i - 1].group().lower() in _LETTER_PROMPTS)
            or (word not in lang.ambiguous_letters and (is_digit(i - 1) or is_digit(i + 1)))
        ):
            edits.append((match.start(), match.end(), lang.letter_names[word]))
        elif word in lang.repeats and is_digit(i + 1):
            following = words[i + 1]
            digit = neighbours.get(following.group().lower(), following.group())
            repeated = " ".join([digit] * lang.repeats[word])
            edits.append((match.start(), following.end(), repeated))
    return _apply(text, edits)


def _separators(text: str, language: str) -> str:
    """ "nine dash one", "doce barra veintisiete": the separator word becomes "-" or "/"."""
    lang = languages.get(language)
    separators = lang.number_separators
    neighbours = lang.neighbour_digits
    plain = set(lang.digit_words)
    words = list(_WORD.finditer(text))

    def is_number(i: int) -> bool:
        return 0 <= i < len(words) and (
            words[i].group().lower() in neighbours or number_word(words[i].group(), language)
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
                or number_word(words[beyond].group(), language)
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


# "quarenta e cinco", "treinta y cuatro": the "and" of every language (pooled)
_JOINERS = frozenset(languages.pooled(lambda lang: lang.number_joiners))


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in reversed(edits):
        text = text[:start] + new + text[end:]
    return text


def number_word(word: str, language: str) -> bool:
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
    """Number words turned into digits, or None when there are none to turn (or the
    language has no digit words)."""
    if not languages.get(language).digit_words:
        return None
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

    for tag, i1, i2, j1, j2 in aligned(keys([t for t, _, _ in old], "a"), keys(new, "b")):
        if tag == "equal":
            for (token, start, _), _ in zip(old[i1:i2], new[j1:j2], strict=True):
                emit(token, [(start + k, start + k + 1) for k in range(len(token))])
        elif j2 > j1:  # replaced (or, rarely, inserted): map to the whole original stretch
            start = old[i1][1] if i1 < len(old) else len(text)
            end = old[i2 - 1][2] if i2 > i1 else start
            for token in new[j1:j2]:
                emit(token, [(start, end)] * len(token))
    return Normalised("".join(parts), source)


#: Tokens aligned at a time. difflib's matching is slow on a loop whisper printed ("mil e"
#: a thousand times took 30 s, and four thousand more than ten minutes). Each window ends
#: at its last unchanged token, so a change shorter than a window is always seen whole (a
#: longer one, a loop of number words, maps in pieces, each to the words it came from).
WINDOW = 200


def aligned(a: list[str], b: list[str]) -> Iterator[tuple[str, int, int, int, int]]:
    """difflib's opcodes from ``a`` to ``b``, found a window at a time: each window's up to
    its last equal stretch, the next window starting there (in step on both sides)."""
    i = j = 0
    while i < len(a) or j < len(b):
        matcher = SequenceMatcher(a=a[i : i + WINDOW], b=b[j : j + WINDOW], autojunk=False)
        ops = matcher.get_opcodes()
        if i + WINDOW < len(a) or j + WINDOW < len(b):  # not the last window
            equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
            ops = ops[: equal[-1] + 1] if equal else ops  # none: take the window as it is
        for tag, i1, i2, j1, j2 in ops:
            yield tag, i + i1, i + i2, j + j1, j + j2
        i, j = i + ops[-1][2], j + ops[-1][4]
