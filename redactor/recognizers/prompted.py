"""Short numbers that are PII only because of what was asked: a PIN, a card's security code,
its last four digits, an expiry date, a bank account, an RG, a postal code, a date of birth.

On their own "4 3 2 1" or "12/27" are nothing; right after "what's your PIN?" or "os
últimos quatro dígitos do cartão" they are secrets. The answer often comes in the next
sentence or speaker turn, so the recognizer looks for a prompt and then for the first run
of digits within WINDOW characters after it (on the digit-normalised text too, so digits
said as words count). A CVV or PIN must never be stored: it is redacted whatever its shape.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

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
        "en": [r"\blast (?:four|4) digits\b", r"\bends? (?:in|with)\b"],
        "pt": [r"\b[úu]ltimos (?:quatro|4) d[íi]gitos\b", r"\btermina(?:do)? (?:em|com)\b"],
        "es": [r"\b[úu]ltimos (?:cuatro|4) d[íi]gitos\b", r"\btermina(?:da)? en\b"],
    }),
    ("EXPIRY_DATE", (3, 6), {
        "en": [r"\bexpir(?:y|ation|es)\b", r"\bvalid (?:thru|through|until)\b"],
        "pt": [r"\bvalidade\b", r"\bvence(?:imento)?\b"],
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
# fmt: on

_RUN = re.compile(r"(?<![\d])\d(?:(?:\s*[,./-]\s*|\s+)?\d)*(?!\d)")


class PromptedNumberRecognizer(EntityRecognizer):
    #: How far after a prompt the answer may come, in characters (about one turn).
    WINDOW: ClassVar[int] = 80
    SCORE: ClassVar[float] = 0.8

    def __init__(self, supported_language: str = "en") -> None:
        self.prompts = [
            (entity, limits, re.compile("|".join(phrases[supported_language]), re.IGNORECASE))
            for entity, limits, phrases in PROMPTS
            if phrases.get(supported_language)
        ]
        super().__init__(
            supported_entities=[entity for entity, _, _ in PROMPTS],
            supported_language=supported_language,
            name=type(self).__name__,
        )

    def load(self) -> None:
        pass

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for entity, (fewest, most), prompt in self.prompts:
            if entities and entity not in entities:
                continue
            for asked in prompt.finditer(text):
                window = text[asked.end() : asked.end() + self.WINDOW]
                for answer in _RUN.finditer(window):
                    digits = sum(c.isdigit() for c in answer.group())
                    if fewest <= digits <= most:
                        start = asked.end() + answer.start()
                        results.append(
                            RecognizerResult(
                                entity,
                                start,
                                start + len(answer.group()),
                                self.SCORE,
                                recognition_metadata={
                                    RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                },
                            )
                        )
                        break
        return results
