"""Every language redactor supports: one module each (``pt.py``, ``es.py``, ``en.py``), each
defining one ``Language``, registered in ``LANGUAGES`` below.

Everything language-specific lives here: the NER model, context words, the prompts the
prompt-driven recognizers look for, the number vocabulary of the digit view (``spoken.py``),
the words that are never names. Recognizers, ``detection.py`` and ``spoken.py`` keep the
logic and read their words from ``get(code)``.

Import-light on purpose (``redactor --help`` imports it): pure data, no spaCy, Presidio
or faster_whisper.

**The one fallback rule.** A field a language does not fill keeps its empty default (an
empty tuple, set or mapping; ``ner_model`` None): whatever reads it then finds nothing for
that language (no prompt, no context word, no digit word converted). Nothing raises a
KeyError for a missing entry and nothing borrows another language's words. The only
exception is Presidio's own recognizers (``CreditCardRecognizer``, ``PhoneRecognizer``):
given no context words they use their built-in English ones, as Presidio always does.
A code that is not registered at all is a ``ConfigError`` from ``get``.

**Pooled fields.** A few vocabularies are used in every language's analysis, because
callers mix languages and say names, e-mails and phone words across borders (an English
"ok" before a Portuguese name, "letra"/"letter" before a DNI letter). Their fields are
marked *pooled*: each language lists its own words and readers take the union over all
registered languages (``pooled``), in registry order.

Regex fields (marked *regex*) hold pieces of regular expressions, case-insensitive unless
said otherwise; word fields hold lower-case words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from redactor.errors import ConfigError


@dataclass(frozen=True)
class Language:
    """One language's words. Only ``code`` and ``name`` are required (see the fallback rule
    above: an unfilled field is empty, and its users find nothing)."""

    #: ISO 639-1 code, as whisper and text2num spell it ("pt").
    code: str
    #: English name, for messages and docs.
    name: str

    # --- detection.py -----------------------------------------------------------------
    #: spaCy NER model: a folder under the models folder. None: a blank pipeline (no
    #: PERSON/LOCATION from NER; the prompt recognizers still find names and addresses).
    ner_model: str | None = None
    #: Context words per recognizer class name, ours and Presidio's ("BrCpfRecognizer",
    #: "CreditCardRecognizer"): lower case, as lemmas. They raise a match's score.
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Greetings and agent phrases the NER model takes for people or places: a
    #: PERSON/LOCATION made only of these is dropped.
    not_names: frozenset[str] = frozenset()
    #: Phone number regions (ISO 3166) of the language's callers. *Pooled*.
    phone_regions: tuple[str, ...] = ()

    # --- recognizers/names.py: PromptedNameRecognizer -------------------------------------
    #: *Regex*: strong prompts and titles ("me chamo", "dona"): the next words are a name in
    #: any casing.
    name_prompts: tuple[str, ...] = ()
    #: *Regex*: weak prompts ("this is", "soy"): a name only if it is capitalised.
    name_weak_prompts: tuple[str, ...] = ()
    #: *Regex*: questions for a name ("com quem eu falo?"): where no name is found in the
    #: answer, its first words go (fail closed: "Bom dia, acria. Díago virar era.").
    name_questions: tuple[str, ...] = ()
    #: Words that end a name (function words, verbs, agent phrases).
    name_stop_words: frozenset[str] = frozenset()
    #: Said between a prompt and the name, skipped ("uh, yes, Dave"). *Pooled*.
    name_fillers: frozenset[str] = frozenset()
    #: Particles that join a name's words ("da", "de la", "van"). *Pooled*.
    name_particles: frozenset[str] = frozenset()
    #: *Regex*: thanks and farewells: one or two words between them, or before a farewell
    #: that starts a sentence, are the name the agent says goodbye to ("obrigada, Marta,
    #: até logo", "gracias Ceferino que tenga un buen día", "Marta, até logo").
    name_thanks: tuple[str, ...] = ()
    name_farewells: tuple[str, ...] = ()

    # --- recognizers/password.py: PasswordRecognizer --------------------------------------
    #: *Regex*: what asks for a password ("senha", "secret word"), matched as whole words.
    password_prompts: tuple[str, ...] = ()
    #: *Regex*: "is", "é" after the prompt: the answer follows in the same sentence.
    password_copulas: tuple[str, ...] = ()
    #: *Regex*: words that may stand first in the answer and are not part of it.
    password_leading: tuple[str, ...] = ()

    # --- recognizers/prompted_address.py, street_address.py -------------------------------
    #: *Regex*: what comes before an address ("eu moro na", "ship it to").
    address_prompts: tuple[str, ...] = ()
    #: Conjunctions that end the clause holding a prompted address ("e", "but"). *Pooled*.
    clause_joiners: tuple[str, ...] = ()
    #: *Regex*: street types said before the street's name ("rua", "calle"). *Pooled*.
    street_types_before_name: tuple[str, ...] = ()
    #: *Regex*: street types said after the street's name ("street", "rd."). *Pooled*.
    street_types_after_name: tuple[str, ...] = ()

    # --- recognizers/prompted.py: PromptedNumberRecognizer --------------------------------
    #: *Regex*: per entity of PromptedNumberRecognizer ("PIN", "CVV"...), the phrases that
    #: ask for it, with their word boundaries. An entity left out is not looked for.
    number_prompts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Month names and abbreviations, in dates said with words. *Pooled*.
    months: tuple[str, ...] = ()
    #: Words for the first day of a month ("um", "first"). *Pooled*, *regex*.
    day_one_words: tuple[str, ...] = ()
    #: Written ordinal endings after a day's digits ("st", "º"). *Pooled*, *regex*.
    ordinal_suffixes: tuple[str, ...] = ()
    #: The "of" in "12 de março", "the 12th of March". *Pooled*, *regex*.
    date_of_words: tuple[str, ...] = ()

    # --- recognizers: e-mails said aloud, spelling, numbers -----------------------------
    #: *Regex*, all *pooled*: the word for "@" ("arroba"), for "." ("ponto"), for the other
    #: characters joining an e-mail user name's parts ("underline", "guion bajo"), and words
    #: that never belong to a user name ("meu", "email").
    email_at_words: tuple[str, ...] = ()
    #: *Regex*, *pooled*: words for "@" ordinary speech never uses ("arroba", as whisper
    #: hears it): an address is around them even where its domain came out garbled. English
    #: has none ("at" is everywhere).
    email_sure_at_words: tuple[str, ...] = ()
    email_dot_words: tuple[str, ...] = ()
    email_join_words: tuple[str, ...] = ()
    email_not_user_words: tuple[str, ...] = ()
    #: *Regex*: "m de Maria", "b as in bravo": the word between a letter and its word. *Pooled*.
    spelling_words: tuple[str, ...] = ()
    #: *Regex*: asking for a spelling ("spell", "soletra", "deletrea"): the answer is a name.
    spelling_prompts: tuple[str, ...] = ()
    #: *Regex*: currencies said after an amount ("reais", "dollars?"): not a long number.
    #: *Pooled*.
    currency_words: tuple[str, ...] = ()
    #: *Regex*: units said after a quantity ("megas", "minutes"): a number before one is a
    #: quantity, not a value misheard, to reliability's answer rules. *Pooled*.
    unit_words: tuple[str, ...] = ()
    #: Words that announce a phone number ("celular", "phone"). *Pooled*.
    phone_words: frozenset[str] = frozenset()
    #: The word before a letter said by name ("letra zeta", "letter z"). *Pooled*.
    letter_prompts: tuple[str, ...] = ()
    #: *Regex*, *pooled*: that word as whisper mishears it after a document's digits, the
    #: letter lost with it ("le trae", "detrás" for "letra").
    misheard_letter_prompts: tuple[str, ...] = ()

    # --- spoken.py: the digit view (number words to digits) -----------------------------
    #: Words for the digits 0-9, every spelling text2num knows ("um", "uma", "tres").
    #: Empty: the language gets no digit view.
    digit_words: tuple[str, ...] = ()
    #: The other number words (teens, tens, hundreds): a word spelled much like one, beside
    #: a number, is taken as it ("sessitenta" for "sessenta", "cinquenta" in Spanish).
    number_words: tuple[str, ...] = ()
    #: {word: digit word}: words that stand for a digit only next to a digit ("oh", "meia").
    neighbour_digits: Mapping[str, str] = field(default_factory=dict)
    #: {homophone: digit word}: taken as the digit only between two digits ("for", "to").
    between_digits: Mapping[str, str] = field(default_factory=dict)
    #: Hesitations dropped between digits ("uh", "é").
    number_fillers: frozenset[str] = frozenset()
    #: {letter name: letter}: a letter said by name beside digits or after a letter prompt.
    letter_names: Mapping[str, str] = field(default_factory=dict)
    #: Letter names that are also common words ("de", "e"): a letter only after a prompt.
    ambiguous_letters: frozenset[str] = frozenset()
    #: {separator word: "-" or "/"} between numbers ("traço", "slash").
    number_separators: Mapping[str, str] = field(default_factory=dict)
    #: {word: count} before a digit ("double": 2).
    repeats: Mapping[str, int] = field(default_factory=dict)
    #: Words that may stand between digits said one by one and are no digit ("e", "or").
    between_words: frozenset[str] = frozenset()
    #: Said right after a number ("obrigado"): never a misheard digit.
    courtesies: frozenset[str] = frozenset()
    #: The "and" inside a compound number ("quarenta e cinco"). *Pooled*.
    number_joiners: frozenset[str] = frozenset()

    # --- reliability.py -----------------------------------------------------------------
    #: Whisper's mean token log-probability (``reliability.mean_logprob``) below which a
    #: call in this language is degraded, unless the config sets ``degraded_logprob``.
    #: Whisper base is less sure of some languages than of others on clear calls (median
    #: of the clear tune calls: en -0.21, es -0.31, pt -0.37); hard calls fall below.
    #: None: -0.4 (``config.DEFAULT_LOGPROB``).
    degraded_logprob: float | None = None
    #: Lower-case letters it writes beyond a-z ("ãç"). *Pooled*: a word with a letter that
    #: no language writes is whisper writing another script (Korean inside a Portuguese
    #: call), a sign it has lost the thread.
    letters: str = ""
    #: *Regex*, *pooled*: words that ask for, or announce, a personal value ("cpf", "card",
    #: "correo"). Digits or doubtful words after one that detection did not explain are
    #: bleeped: the answer may be a value misheard past recognition.
    pii_questions: tuple[str, ...] = ()
    #: *Regex*, *pooled*: words that ask for an e-mail address. The sentence answering one
    #: is words, not digits: what detection leaves of it is bleeped ("Have um deline -lope."
    #: before "A rova-ra-meio ponto com", the e-mail's user lost).
    email_questions: tuple[str, ...] = ()
    #: Questions whose answer is the reason for calling, not a value ("How can I help
    #: you?"): on a doubted call, where every other question's answer is read whole
    #: (``reliability.answers``), theirs is not. Regular expressions, lower case.
    open_questions: tuple[str, ...] = ()
    #: A "one" before one of ``article_nouns`` is an article, not a digit, in an answer:
    #: "Só um momento" after a value is no part of it. Lower case.
    article_ones: frozenset[str] = frozenset()
    article_nouns: frozenset[str] = frozenset()


def words(text: str) -> tuple[str, ...]:
    """The words of ``text``: long word lists are easier to read as one string."""
    return tuple(text.split())


def letter_table(names: str) -> dict[str, str]:
    """{letter name: letter} from the 25 names of A-Z without W, in order."""
    return dict(zip(names.split(), "ABCDEFGHIJKLMNOPQRSTUVXYZ", strict=True))


from redactor.languages import en, es, pt  # noqa: E402  (they import Language from here)

#: Supported languages by code, in the order they are offered (the default first).
LANGUAGES: dict[str, Language] = {module.LANGUAGE.code: module.LANGUAGE for module in (pt, es, en)}


def get(code: str) -> Language:
    """The registered language ``code``; a ConfigError if there is none."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise ConfigError(f"no support for language {code!r} ({listed()})") from None


def listed(last: str = ",") -> str:
    """The codes for messages: "pt, es, en", or with ``last="or"`` "pt, es or en"."""
    *rest, final = LANGUAGES
    return f"{', '.join(rest)}{last} {final}" if rest else final


def pooled(words: Callable[[Language], Iterable[str]]) -> tuple[str, ...]:
    """A pooled field over every registered language, in registry order, without repeats."""
    return tuple(dict.fromkeys(word for language in LANGUAGES.values() for word in words(language)))


def pooled_regex(words: Callable[[Language], Iterable[str]]) -> str:
    """A pooled *regex* field as alternatives for a regular expression ("arroba|at")."""
    return "|".join(pooled(words))
