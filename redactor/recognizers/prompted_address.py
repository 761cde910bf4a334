"""An address given in answer to a prompt: "eu moro na Vereda de Barbosa, 6", "vivo en el
pasaje Ruiz 12", "ship it to 4 Elm court", "o endereço de entrega é sítio da mota, 13".

Street type words are many and some are common nouns ("parque", "estação", "feira"), so a
pattern alone misses addresses; what the caller was asked tells instead. After "I live
at", "meu endereço é", "la dirección es"... the rest of the clause, up to MAX_WORDS words,
is the address, and up to two short sentences after it that may hold the rest (whisper
puts full stops inside a garbled address). Fail closed: a few ordinary words may go with
it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from redactor import languages
from redactor.recognizers.base import AnswerRecognizer
from redactor.spoken import number_word

_WORDS = re.compile(r"\w[\w'’./º-]*")
#: Words a full stop follows inside an address ("c. de Prat", "Av. Paulista", "apt. 5"):
#: after any other word it ends the clause ("21 Royal Club. Done.").
_ABBREVIATION = re.compile(
    r"(?:[^\W\d_]|av|ave|st|rd|dr|ln|ct|blvd|apt|apto|depto|dpto|edif|int|col|esq|mz|km|no|nº"
    r"|nro|sr|sra|pl|ste)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.?!]")
_LEADING_JOINER = re.compile(
    rf"[\s,]*(?:{languages.pooled_regex(lambda lang: lang.clause_joiners)})(?=[\s,])"
)
_CLAUSE_END = re.compile(
    r"(\w+)\.(?:\s|$)|[?!;](?:\s|$)"  # not an ellipsis: "ship it to... 404 Elm"
    rf"|\s(?:{languages.pooled_regex(lambda lang: lang.clause_joiners)})\s"
)


def _clause_end(text: str, start: int) -> int:
    """Where the clause that begins at ``start`` ends: a full stop (not an abbreviation's),
    "?", "!", ";", or a joining word ("and", "mas")."""
    for end in _CLAUSE_END.finditer(text, start):
        if end.group(1) is None or not _ABBREVIATION.fullmatch(end.group(1)):
            return end.start() if end.group(1) is None else end.end(1)
    return len(text)


class PromptedAddressRecognizer(AnswerRecognizer):
    ENTITY: ClassVar[str] = "STREET_ADDRESS"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    MAX_WORDS: ClassVar[int] = 8
    #: A sentence this short after an answer without a number is the rest of it: the
    #: house number whisper put apart ("Trevo de leão. Oitocento vivente."), unless it is
    #: a question or holds a courtesy ("Tudo certo."); up to FOLLOWING_SENTENCES of them
    #: while no number has come ("O endereço é. Fite o cavalcante. Duvendo-lhe 50 e três.").
    FOLLOWING_WORDS: ClassVar[int] = 4
    #: ... or this many when it holds a number ("Duvendo -lhe 50 e três.").
    FOLLOWING_WORDS_NUMBERED: ClassVar[int] = 6
    FOLLOWING_SENTENCES: ClassVar[int] = 2
    SCORE: ClassVar[float] = 0.6
    #: Words before another prompt, in a question's answer, that are not the address.
    LEAD_WORDS: ClassVar[int] = 2

    def __init__(self, supported_language: str = "en") -> None:
        language = languages.get(supported_language)
        self.prompt = self.any_of(language.address_prompts)
        self.courtesies = language.courtesies
        super().__init__(supported_language)

    def answer(self, text: str, asked: re.Match[str]) -> tuple[int, int] | None:
        # a joining word first does not end the answer: "La dirección es, y al detamar al
        # manza, 79." ("Vial de Tamara" as whisper heard it)
        lead = _LEADING_JOINER.match(text, asked.end())
        stop = _clause_end(text, lead.end() if lead else asked.end())
        again = self.prompt.search(text, asked.end(), stop)
        if again and len(_WORDS.findall(text, asked.end(), again.start())) <= self.LEAD_WORDS:
            return None  # "endereço de entrega? Eu moro na Rua...": the second prompt answers
        words = list(_WORDS.finditer(text, asked.end(), stop))[: self.MAX_WORDS]
        if not words:
            return None
        for _ in range(self.FOLLOWING_SENTENCES):
            if not text.startswith(".", stop) or self._numbered(words):
                break
            more, stop = self._rest(text, stop + 1)
            if not more:
                break
            words += more
        start, end = words[0].start(), words[-1].end()
        return start, start + len(text[start:end].rstrip(".,"))

    def _numbered(self, words: list[re.Match[str]]) -> bool:
        """A digit, or a number said as a word ("nove"), among ``words``."""
        return any(
            any(c.isdigit() for c in w.group())
            or number_word(w.group().strip(".,"), self.supported_language)
            for w in words
        )

    def _rest(self, text: str, start: int) -> tuple[list[re.Match[str]], int]:
        """The words of the sentence from ``start`` when it may be the rest of an answer
        (none else), and where that sentence ends (its stop, or the text's end)."""
        end = _SENTENCE_END.search(text, start)
        stop = end.end() if end else len(text)
        more = list(_WORDS.finditer(text, start, stop))
        most = self.FOLLOWING_WORDS_NUMBERED if self._numbered(more) else self.FOLLOWING_WORDS
        if (
            len(more) > most
            or text[stop - 1 : stop] == "?"
            or any(w.group().lower().strip(".") in self.courtesies for w in more)
        ):
            return [], stop
        return more, end.start() if end else stop
