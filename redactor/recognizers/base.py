"""Shared bases: pattern recognizers described by class-level data, whose matches are
rescored (or dropped) one by one, and checksums that raise confidence but never gate.

Presidio drops a pattern match whose ``validate_result`` says False. For spoken data that
is the wrong way round: a number with one misheard digit fails its checksum and is still
somebody's document number. ``ChecksumRecognizer`` gives a valid checksum the top score
and keeps a failed one at ``INVALID_SCORE`` (context words can still raise it). Fail closed.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor import languages

_NON_DIGITS = re.compile(r"\D")
#: The labels the spaCy NER models give a person ("PER": the pt and es models).
NER_PERSON_LABELS = ("PERSON", "PER")

#: Three or more groups of 1-4 digits separated by commas, dots, hyphens or spaces, the way
#: a recogniser prints digits read out one by one or in groups ("4, 4, 8, 5, 6...").
DIGIT_RUN = Pattern(
    "digit_run", r"(?<![\d.,-])\d{1,4}(?:(?:\s*(?:[,.-]|\.\.\.|…)\s*|\s+)\d{1,4}){2,}(?!\d)", 0.3
)

# Dates are not document numbers (dates of birth have their own recognizer).
DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
#: Regex pieces of dates said with words, pooled over the languages: a month's name
#: (longest first, so "março" wins over "mar"), and what stands between day, month and
#: year (", ", "de", "of").
MONTH = (
    "(?:"
    + "|".join(sorted(set(languages.pooled(lambda lang: lang.months)), key=len, reverse=True))
    + r")s?\b"  # whisper's plural: "uma janeiros de dois mil e trinta"
)
DATE_OF_WORD = languages.pooled_regex(lambda lang: lang.date_of_words)
DATE_OF = rf"(?:\s*,\s*|\s+)(?:(?:{DATE_OF_WORD})\s+)?"


class DataPatternRecognizer(PatternRecognizer):
    """A pattern recognizer made from class attributes, one instance per language."""

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[list[Pattern]]

    def __init__(self, supported_language: str = "en") -> None:
        # context words: the language's, under this class's name (none: no context)
        context = languages.get(supported_language).context.get(type(self).__name__, ())
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=self.all_patterns(),
            context=list(context),
            supported_language=supported_language,
            name=type(self).__name__,
        )

    @classmethod
    def all_patterns(cls) -> list[Pattern]:
        return list(cls.PATTERNS)

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        """The score of the match ``text[start:end]``, or None to drop it."""
        return score

    def validate_result(self, pattern_text: str) -> bool | None:
        return None  # scoring is rescore()'s: Presidio would drop a failed validation

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            score = self.rescore(text, result.start, result.end, result.score)
            if score is not None:
                result.score = score
                kept.append(result)
        return kept


class ChecksumRecognizer(DataPatternRecognizer):
    #: How many digits the number has; a match with one more or one less is kept at
    #: INVALID_SCORE (a digit dropped or repeated by the recogniser), others are dropped.
    LENGTH: ClassVar[int]
    #: Score kept when the checksum fails.
    INVALID_SCORE: ClassVar[float] = 0.3

    @classmethod
    def all_patterns(cls) -> list[Pattern]:
        return [*cls.PATTERNS, DIGIT_RUN]

    @staticmethod
    def is_valid(digits: str) -> bool:
        raise NotImplementedError

    def rescore(self, text: str, start: int, end: int, score: float) -> float | None:
        matched = text[start:end]
        digits = _NON_DIGITS.sub("", matched)
        if abs(len(digits) - self.LENGTH) > 1 or DATE.fullmatch(matched):
            return None
        if len(digits) == self.LENGTH and self.is_valid(digits):
            return self.MAX_SCORE
        return min(score, self.INVALID_SCORE)


class PromptRecognizer(EntityRecognizer):
    """A recognizer that finds a value by what was asked before it, not by its shape
    (passwords, names, addresses, short numbers): no model to load, results built alike."""

    #: The entity types it reports.
    ENTITIES: ClassVar[list[str]]

    def __init__(self, supported_language: str = "en") -> None:
        super().__init__(
            supported_entities=list(self.ENTITIES),
            supported_language=supported_language,
            name=type(self).__name__,
        )

    def load(self) -> None:
        pass

    @staticmethod
    def any_of(phrases: tuple[str, ...]) -> re.Pattern[str]:
        """One case-blind pattern for a language's prompt phrases (regexes); with none, a
        pattern that never matches, so that language gets nothing found, never an error."""
        return re.compile("|".join(phrases) or r"(?!)", re.IGNORECASE)

    def result(self, entity: str, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity,
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


class AnswerRecognizer(PromptRecognizer):
    """One entity, found as the answer to a prompt (an address after "meu endereço é", a
    spelling after "could you spell that?"): ``answer`` says where it is after each match
    of ``prompt``, or None where nothing answers."""

    ENTITY: ClassVar[str]
    SCORE: ClassVar[float]
    #: The language's prompts, as ``any_of`` makes them (set by the subclass's __init__).
    prompt: re.Pattern[str]

    def answer(self, text: str, asked: re.Match[str]) -> tuple[int, int] | None:
        raise NotImplementedError

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        spans = (self.answer(text, asked) for asked in self.prompt.finditer(text))
        return [self.result(self.ENTITY, *span, self.SCORE) for span in spans if span]
