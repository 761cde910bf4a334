"""Short numbers that are PII only because of what was asked: a PIN, a card's security code,
its last four digits, an expiry date, a bank account, an RG, a postal code, a PIX key, a date
of birth.

On their own "4 3 2 1" or "12/27" are nothing; right after "what's your PIN?" or "os
últimos quatro dígitos do cartão" they are secrets. The answer often comes in the next
sentence or speaker turn, so the recognizer looks for a prompt and then for the first run
of digits within WINDOW characters after it (on the digit-normalised text too, so digits
said as words count). Dates may also be said with a month name ("12 de março de 1985",
"March 3rd 19 85", "12 de 27"). A CVV or PIN must never be stored: it is redacted whatever
its shape.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor import languages
from redactor.recognizers.base import DATE_OF, DATE_OF_WORD, MONTH, PromptRecognizer

#: (entity, digits allowed in the answer); each language lists the phrases that ask for
#: them (``Language.number_prompts``).
PROMPTS: list[tuple[str, tuple[int, int]]] = [
    ("PIN", (4, 8)),
    ("CVV", (2, 4)),  # a leading zero lost: "Tonero 13" for "cero trece"
    ("CARD_LAST_DIGITS", (4, 4)),
    ("EXPIRY_DATE", (3, 6)),
    ("BANK_ACCOUNT", (4, 13)),
    ("BR_RG", (5, 10)),
    ("PIX_KEY", (8, 14)),
    ("PHONE_NUMBER", (7, 15)),  # a local number too short for the phone recognizer
    ("POSTAL_CODE", (3, 9)),  # "zip: 3520", "CP 880": not only Brazil, Spain and the US
    ("DATE_OF_BIRTH", (4, 8)),
    ("ES_NSS", (11, 13)),  # Spain's social security number: 12 digits
]
#: Entities whose answer may be a date said with words as well as a run of digits.
DATES = {"EXPIRY_DATE", "DATE_OF_BIRTH"}
#: The rest of a value whisper split off ("0 1 4 6 6. São com 7 1." for a CEP): after a
#: full stop, an exclamation mark or just a space, at most three words and then digits that
#: end a sentence (a question's "?" does not).
_REST = re.compile(
    r"\s*[.!]?\s+(?:[^\W\d_]+,?\s+){0,3}\d(?:(?:\s*[,./-]\s*|\s+)?\d)*(?=\s*(?:[.!]|$))"
)


_RUN = re.compile(r"(?<![\d])\d(?:(?:\s*(?:[,./-]|\.\.\.|…)\s*|\s+)?\d)*(?!\d)")
#: A date whose separator whisper heard as a word ("1, 2, baca 29" for "12 barra 29"): two
#: runs of digits with one short word between them.
_SPLIT_DATE = re.compile(rf"{_RUN.pattern},?\s+[^\W\d_]{{2,6}}\s+{_RUN.pattern}")
# "um"/"uno"/"one" said alone is an article to text2num, so it stays a word: "um de 28"
_DAY = (
    rf"(?:\d{{1,2}}(?:{languages.pooled_regex(lambda lang: lang.ordinal_suffixes)})?"
    rf"|{languages.pooled_regex(lambda lang: lang.day_one_words)})\b"
)
_YEAR = r"\d{2,4}(?:\s\d{2})?(?!\d)"
#: "12 de março de 1985", "March 3rd, 19 85", "março de 2027", "the 12th of 20 27"
_DATE = re.compile(
    rf"(?<!\d){_DAY}{DATE_OF}{MONTH}(?:{DATE_OF}{_YEAR})?"
    rf"|{MONTH}\s+(?:the\s+)?{_DAY}(?:{DATE_OF}{_YEAR})?"
    rf"|{MONTH}{DATE_OF}{_YEAR}"
    rf"|(?<!\d){_DAY},?\s+(?:{DATE_OF_WORD})\s+(?:\d{{1,2}},?\s+(?:{DATE_OF_WORD})\s+)?{_YEAR}",
    re.IGNORECASE,
)


class PromptedNumberRecognizer(PromptRecognizer):
    #: How far after a prompt the answer may come, in characters (about one turn).
    WINDOW: ClassVar[int] = 80
    SCORE: ClassVar[float] = 0.8
    #: Prompts vaguer than their entity ("my number is"): a specific recognizer that also
    #: matches (an SSN after "social security number is") names the merged span.
    LOW_SCORES: ClassVar[dict[str, float]] = {"PHONE_NUMBER": 0.4}
    ENTITIES: ClassVar[list[str]] = [entity for entity, _ in PROMPTS]

    def __init__(self, supported_language: str = "en") -> None:
        phrases = languages.get(supported_language).number_prompts
        self.prompts = [
            (entity, limits, re.compile("|".join(phrases[entity]), re.IGNORECASE))
            for entity, limits in PROMPTS
            if phrases.get(entity)  # an entity the language has no prompt for: not looked for
        ]
        super().__init__(supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for entity, (fewest, most), prompt in self.prompts:
            if entities and entity not in entities:
                continue
            for asked in prompt.finditer(text):
                window = text[asked.end() : asked.end() + self.WINDOW]
                runs = (_RUN, _SPLIT_DATE) if entity in DATES else (_RUN,)
                answers = [
                    m.span()
                    for run in runs
                    for m in run.finditer(window)
                    if fewest <= sum(c.isdigit() for c in m.group()) <= most
                ]
                if entity in DATES:
                    answers += [m.span() for m in _DATE.finditer(window)]
                if answers:  # the first answer; of two starting together, the longer
                    start, end = min(answers, key=lambda span: (span[0], -span[1]))
                    end = _rest(window, start, end, most)
                    score = self.LOW_SCORES.get(entity, self.SCORE)
                    results.append(
                        self.result(entity, asked.end() + start, asked.end() + end, score)
                    )
        return results


def _rest(window: str, start: int, end: int, most: int) -> int:
    """The answer's end, past the rest of its value said in the next short sentence, while
    its digits stay within ``most``."""
    rest = _REST.match(window, end)
    if rest is None:
        return end
    digits = sum(c.isdigit() for c in window[start : rest.end()])
    return rest.end() if digits <= most else end
