"""Spanish DNI (8 digits and a control letter) and NIE (X/Y/Z, 7 digits, a letter).

Callers say the letter as a word ("letra zeta", "Z de Zaragoza") and recognisers print
the digits in groups, so the letter may stand after separators or the word "letra".
A wrong control letter (often misheard) keeps the match at a low score: fail closed.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from stdnum.es import dni, nie

_LETTER_WORD = r"(?:,?\s*(?:letra|letter)\s+|\s*[-,]?\s*)"
_DIGITS = r"\d(?:[\s.,-]*\d)"


class EsDniRecognizer(PatternRecognizer):
    ENTITY = "ES_DNI"
    PATTERNS = [
        Pattern("dni", rf"(?<![\w.,-]){_DIGITS}{{7}}{_LETTER_WORD}[A-Za-z](?![\w])", 0.4),
        Pattern(
            "nie", rf"(?<![\w.,-])[XYZxyz]\s*-?\s*{_DIGITS}{{6}}{_LETTER_WORD}[A-Za-z](?![\w])", 0.4
        ),
    ]
    CONTEXT = {
        "es": ["dni", "nie", "documento", "identidad", "nif"],
        "pt": ["dni", "nie", "documento", "identidade"],
        "en": ["dni", "nie", "id", "spanish", "document"],
    }
    INVALID_SCORE = 0.3

    def __init__(self, supported_language: str = "es") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=self.PATTERNS,
            context=self.CONTEXT.get(supported_language, []),
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
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            matched = text[result.start : result.end]
            compact = re.sub(r"(?i)letra|letter|[\s.,-]", "", matched).upper()
            valid = dni.is_valid(compact) or nie.is_valid(compact)
            result.score = self.MAX_SCORE if valid else min(result.score, self.INVALID_SCORE)
        return results
