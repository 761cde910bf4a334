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

from redactor.recognizers.base import PromptRecognizer

#: (entity, digits allowed in the answer, prompt phrases per language)
# fmt: off
PROMPTS: list[tuple[str, tuple[int, int], dict[str, list[str]]]] = [
    ("PIN", (4, 8), {
        "en": [r"\bpin\b", r"\bpasscode\b", r"\bpassword\b"],
        "pt": [r"\bsenha\b", r"\bpin\b"],
        "es": [r"\bcontraseña\b", r"\bclave\b", r"\bpin\b"],
    }),
    ("CVV", (3, 4), {
        "en": [r"\bcvv\b", r"\bcvc\b", r"\bsecurity code\b", r"\bthree digits on the back\b"],
        "pt": [r"\bcvv\b", r"\bc[óo]digo de seguran[çc]a\b", r"\bc[óo]digo verificador\b"],
        "es": [r"\bcvv\b", r"\bc[óo]digo de seguridad\b"],
    }),
    ("CARD_LAST_DIGITS", (4, 4), {
        "en": [r"\blast (?:four|4)(?: digits)?\b", r"\bends? (?:in|with)\b"],
        "pt": [r"\b[úu]ltimos (?:quatro|4)(?: d[íi]gitos)?\b", r"\btermina(?:do)? (?:em|com)\b"],
        "es": [r"\b[úu]ltimos (?:cuatro|4)(?: d[íi]gitos)?\b", r"\btermina(?:da)? en\b"],
    }),
    ("EXPIRY_DATE", (3, 6), {
        "en": [r"\bexpir(?:y|ation|es|e|ed)\b", r"\bvalid (?:thru|through|until)\b"],
        "pt": [r"\bvalidade\b", r"\bvenc(?:e|imento)\b"],
        "es": [r"\bvencimiento\b", r"\bcaducidad\b", r"\bvence\b"],
    }),
    ("BANK_ACCOUNT", (4, 13), {
        "en": [r"\baccount number\b", r"\brouting number\b", r"\bchecking account\b"],
        "pt": [r"\bag[êe]ncia\b", r"\bconta(?: corrente| poupan[çc]a)?\b"],
        "es": [r"\bn[úu]mero de cuenta\b", r"\bcuenta\b", r"\bclabe\b"],
    }),
    ("BR_RG", (5, 10), {
        "pt": [r"\brg\b", r"\bregistro geral\b", r"\bidentidade\b"],
    }),
    ("PIX_KEY", (8, 14), {
        "pt": [r"\bchave(?: pix)?\b", r"\bpix\b"],
        "es": [r"\bpix\b"],
        "en": [r"\bpix\b"],
    }),
    ("PHONE_NUMBER", (7, 15), {  # a local number too short for the phone recognizer
        "en": [r"\bphone\b", r"\bcell\b", r"\bcall me\b", r"\breach me\b", r"\bnumber is\b"],
        "pt": [r"\btelefone\b", r"\bcelular\b", r"\bwhats(?:app)?\b", r"\bme liga\b",
               r"\bn[úu]mero [ée]\b"],
        "es": [r"\btel[ée]fono\b", r"\bm[óo]vil\b", r"\bcelular\b", r"\bll[áa]m(?:e|eme|ame)\b",
               r"\bn[úu]mero es\b"],
    }),
    ("POSTAL_CODE", (5, 9), {
        "en": [r"\bzip(?: code)?\b", r"\bpostal code\b"],
        "pt": [r"\bcep\b", r"\bc[óo]digo postal\b"],
        "es": [r"\bc[óo]digo postal\b"],
    }),
    ("DATE_OF_BIRTH", (4, 8), {
        "en": [r"\bdate of birth\b", r"\bborn (?:on|in)\b", r"\bbirthday\b", r"\bdob\b"],
        "pt": [r"\bdata de nascimento\b", r"\bnasci(?:do|da)? (?:em|no|na)\b"],
        "es": [r"\bfecha de nacimiento\b", r"\bnac[íi] (?:el|en)\b"],
    }),
]
#: Entities whose answer may be a date said with words as well as a run of digits.
DATES = {"EXPIRY_DATE", "DATE_OF_BIRTH"}
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "janeiro fevereiro março marco abril maio junho julho agosto setembro outubro novembro "
    "dezembro enero febrero marzo mayo junio julio septiembre setiembre octubre noviembre "
    "diciembre"
)
# fmt: on

_RUN = re.compile(r"(?<![\d])\d(?:(?:\s*(?:[,./-]|\.\.\.|…)\s*|\s+)?\d)*(?!\d)")
# "um"/"uno"/"one" said alone is an article to text2num, so it stays a word: "um de 28"
_DAY = r"(?:\d{1,2}(?:st|nd|rd|th|º|o)?|um|uma|uno|one|primeiro|first)\b"
_YEAR = r"\d{2,4}(?:\s\d{2})?(?!\d)"
_MONTH = "(?:" + "|".join(sorted(set(_MONTHS.split()), key=len, reverse=True)) + r")\b"
_OF = r"(?:\s*,\s*|\s+)(?:(?:de|del|of)\s+)?"
#: "12 de março de 1985", "March 3rd, 19 85", "março de 2027", "the 12th of 20 27"
_DATE = re.compile(
    rf"(?<!\d){_DAY}{_OF}{_MONTH}(?:{_OF}{_YEAR})?"
    rf"|{_MONTH}\s+(?:the\s+)?{_DAY}(?:{_OF}{_YEAR})?"
    rf"|{_MONTH}{_OF}{_YEAR}"
    rf"|(?<!\d){_DAY}\s+(?:de|del|of)\s+{_YEAR}",
    re.IGNORECASE,
)


class PromptedNumberRecognizer(PromptRecognizer):
    #: How far after a prompt the answer may come, in characters (about one turn).
    WINDOW: ClassVar[int] = 80
    SCORE: ClassVar[float] = 0.8
    #: Prompts vaguer than their entity ("my number is"): a specific recognizer that also
    #: matches (an SSN after "social security number is") names the merged span.
    LOW_SCORES: ClassVar[dict[str, float]] = {"PHONE_NUMBER": 0.4}
    ENTITIES: ClassVar[list[str]] = [entity for entity, _, _ in PROMPTS]

    def __init__(self, supported_language: str = "en") -> None:
        self.prompts = [
            (entity, limits, re.compile("|".join(phrases[supported_language]), re.IGNORECASE))
            for entity, limits, phrases in PROMPTS
            if phrases.get(supported_language)
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
                answers = [
                    m.span()
                    for m in _RUN.finditer(window)
                    if fewest <= sum(c.isdigit() for c in m.group()) <= most
                ]
                if entity in DATES:
                    answers += [m.span() for m in _DATE.finditer(window)]
                if answers:  # the first answer; of two starting together, the longer
                    start, end = min(answers, key=lambda span: (span[0], -span[1]))
                    score = self.LOW_SCORES.get(entity, self.SCORE)
                    results.append(
                        self.result(entity, asked.end() + start, asked.end() + end, score)
                    )
        return results
