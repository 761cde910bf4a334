"""Any long run of digits, with or without context: redacted as a generic NUMBER.

Fail closed: a recogniser that mishears a document number (a digit dropped, a group split)
defeats the specific recognizers, but the digits are still somebody's. Runs of MIN_DIGITS
or more digits (separated at most by spaces, commas, dots or hyphens) are redacted unless
they are an amount of money or a date. Switch it off with
``disabled_recognizers = ["LongNumberRecognizer"]``.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor.recognizers.base import DATE

_CURRENCY_BEFORE = re.compile(r"(?:R\$|US\$|\$|€|£)\s*$")
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:reais|real|d[oó]lares|dollars?|bucks|pesos|euros?|cents?|centavos|libras|pounds)\b",
    re.IGNORECASE,
)


class LongNumberRecognizer(PatternRecognizer):
    ENTITY = "NUMBER"
    MIN_DIGITS = 8
    PATTERNS = [
        Pattern("digit_run_any", r"(?<![\d.,-])\d(?:(?:\s*[,.-]\s*|\s+)?\d)+(?!\d)", 0.35),
    ]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=self.PATTERNS,
            supported_language=supported_language,
            name=type(self).__name__,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            matched = text[result.start : result.end]
            if sum(c.isdigit() for c in matched) < self.MIN_DIGITS or DATE.fullmatch(matched):
                continue
            if _CURRENCY_BEFORE.search(text[: result.start]) or _CURRENCY_AFTER.match(
                text[result.end :]
            ):
                continue
            kept.append(result)
        return kept
