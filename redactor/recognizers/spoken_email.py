"""E-mail addresses said aloud: "maria ponto silva arroba gmail ponto com", "john dot smith
at gmail dot com", "m a r i a arroba hotmail punto com", "maria_silva at yahoo.com".

Presidio's e-mail recognizer needs the written form. Said, the address is a user name, the
word for "@", and a domain whose parts are joined by the word for "." and which ends in a
known top-level domain (so "I'm at home" is not an address). The user name may be spelled,
or said in a few pieces ("j smith one two three at gmail dot com"). Whisper often mishears
the word for "@" ("a roba", "Carolyn26 -gmail .com"): before a known mail provider's domain
the address is found without it. And where "arroba" was heard but the domain came out
garbled ("de Aroba, otro, junto con"), the words around it go: fail closed. So do the words
before a domain's end (".com", "ponto com") where nothing else was heard as an address.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from redactor import languages
from redactor.recognizers.base import DataPatternRecognizer

_AT = rf"(?:{languages.pooled_regex(lambda lang: lang.email_at_words)}|@)"
_SURE_AT = languages.pooled_regex(lambda lang: lang.email_sure_at_words)
_DOT = rf"(?:{languages.pooled_regex(lambda lang: lang.email_dot_words)}|\.)"
_JOIN_WORD = languages.pooled_regex(lambda lang: lang.email_join_words)
_JOIN = rf"(?:{_JOIN_WORD}|[._-])"
_TLD = r"(?:com|net|org|br|es|mx|co|edu|gov|io|info|me|uk|ar|cl|pe|us|pt)"
#: A word, or letters spelled out ("m a r i a"), whole and never given back in part (an
#: atomic group): a long word, or a long run of letters or digits that whisper looped on,
#: would otherwise be tried split every possible way, for minutes (and a pattern that times
#: out finds nothing).
_PART = r"(?>[a-z0-9](?:\s+[a-z0-9](?![\w'])){1,40}|[^\W_]+)"
_LABEL = r"[^\W_]++(?:-[^\W_]++)*+"  # "gmail", "g-mail"
#: The domain before its top-level one, as whisper prints it: a provider in two pieces ("ya
#: o" for yahoo, "G mail"), or dropped ("arroba ponto com ponto br"): fail closed.
_DOMAIN = rf"(?:{_LABEL}(?:\s+[^\W\d_]{{1,4}})?(?:\s*{_DOT}\s*{_LABEL}){{0,4}}\s*)?"
#: Mail providers: their name before a top-level domain marks an address even where the
#: word for "@" was misheard or dropped ("Carolyn26 -gmail .com", "your score or low .com").
_PROVIDER = (
    r"(?:gmail|googlemail|yahoo|hotmail|outlook|live|icloud|aol|proton(?:mail)?|msn|uol|bol"
    r"|terra|ig)"
)
#: A user name's last piece with the provider glued to it ("charyadoutlook .com"): up to
#: the provider.
_GLUED = rf"[^\W_]+?(?={_PROVIDER}\s*{_DOT}\s*{_TLD}\b)"
#: "com" as whisper hears it at an address's end ("uso, junto con"): the address ends there.
_COM = r"(?:com|con)\b"
#: Top-level domains taken without an "@" ("es" is Spanish for "is", so not it; "com" is
#: Portuguese for "with", hence the pattern's check that the sentence does not go on).
_PLAIN_TLD = r"(?:com|net|org|br)"
#: A word as whisper prints one inside an address: " .landry", " -gmail", "maria,".
_PIECE = r"[.-]?[^\W_][\w'’-]*,?"
# Words that never belong to a user name: where a name said in pieces ("j smith one two
# three at gmail dot com") stops when read backwards from the "@".
_NOT_USER = rf"(?:{languages.pooled_regex(lambda lang: lang.email_not_user_words)})\b"
#: After its first word, a garbled address may hold short ones ("jovem é o ponto com").
#: No word for "@" in it: where one was heard, the patterns above place the address.
_TAIL_PIECE = rf"(?!{_AT}(?!\w))(?:(?!{_NOT_USER}){_PIECE}|[^\W\d_]{{1,2}},?)"
#: Just before the top-level domain, any word but one for "@": the provider, heard as an
#: ordinary word ("that email .com" for "...@gmail.com").
_TAIL_WORD = rf"(?!{_AT}(?!\w)){_PIECE}"
#: A piece of a user name before "arroba": after a join word ("guion bajo"; not a full
#: stop), any word, past whisper's full stop.
_USER_PIECE = rf"(?:(?!{_NOT_USER}){_PART}|(?:{_JOIN_WORD})[\s,.]*{_PART})"
#: After a number in a user name, a letter alone that is also a word ("Nazarez 30 y Luere
#: Aroba": "y" is Spanish for "and"); other letters are pieces anyway.
_LETTER = rf"(?<=\d\s)(?={_NOT_USER})[^\W\d_](?![\w'])"


class SpokenEmailRecognizer(DataPatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = [
        Pattern(
            "spoken_email",
            rf"(?i)(?<![\w'’-])(?:(?!{_NOT_USER}){_PART}\s+){{0,5}}"
            rf"(?!{_NOT_USER}){_PART}(?:[\s,]*{_JOIN}[\s,]*{_PART}){{0,6}}[\s,]*{_AT}[\s,]*"
            rf"{_DOMAIN}{_DOT}\s*{_TLD}\b",
            0.7,
        ),
        # a user name (up to three pieces), at most two short words where "@" was said, and
        # a mail provider's domain
        Pattern(
            "provider_email",
            rf"(?i)(?<![\w'’-])(?:(?!{_NOT_USER})(?>{_GLUED}|{_PART})\s*(?:{_JOIN}\s*)?){{1,3}}[\s,-]*"
            rf"(?:[^\W\d_]{{1,6}}\s+){{0,2}}{_PROVIDER}\s*{_DOT}\s*{_TLD}\b",
            0.6,
        ),
        # a word only an address has ("arroba", a whole word: not the end of "comprobar"
        # or "comprovante"): up to six pieces before it (across a full
        # stop whisper put inside the user name) and up to six words after, in one sentence,
        # or up to a "com" and what may follow it ("ponto com ponto berre" for ".com.br")
        Pattern(
            "garbled_email",
            rf"(?i)(?<![\w'’-])(?:{_USER_PIECE}[\s,.]*(?:(?:{_USER_PIECE}|{_LETTER})[\s,.]*){{0,5}})?"
            rf"\b(?:{_SURE_AT})\b(?:[\s,]+(?!{_COM})[^\W_]+){{0,6}}"
            rf"(?:[\s,]+{_COM}(?:[\s,]+{_DOT}[\s,]*[^\W\d_]{{1,5}}\b)?)?",
            0.5,
        ),
        # a domain's end heard where the rest was not ("A jovem é o ponto com" for "arroba
        # gmail ponto com", "onaries .landreadedowels .com."): up to six words before it in
        # one sentence, from one that is no lead-in ("my", "email", "é"), where the sentence
        # does not go on after it
        Pattern(
            "domain_tail",
            rf"(?i)(?<![\w'’.-])(?!{_NOT_USER}){_TAIL_PIECE}(?:\s+{_TAIL_PIECE}){{0,5}}"
            rf"(?:\s+{_TAIL_WORD})?\s*{_DOT}\s*"
            rf"{_PLAIN_TLD}\b(?:\s+{_DOT}\s*[^\W_]{{1,5}}\b)?"  # ".com.br": "ponto com ponto 3"
            r"(?!\s+(?-i:[a-zà-ÿ]))",  # "um ponto com muitas dúvidas" goes on: no address
            0.4,
        ),
    ]
