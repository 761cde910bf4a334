"""Passwords and secret words said after a prompt: "my password is violet seven",
"Qual é a sua senha? É bolinha123.", "la contraseña es perro azul".

A password can be any words, so no pattern can find it; what gives it away is the prompt.
After "password is" / "senha é" / "contraseña:" the answer is the rest of that sentence;
after a question that asks for it ("what's your password?") it is the next sentence. At most
MAX_WORDS words are taken. PCI DSS: such secrets are never stored, so this fails closed and
may cover a few words of an ordinary sentence that follows a password question.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor import languages
from redactor.recognizers.base import PromptRecognizer

_SENTENCE = re.compile(r"[^.?!]*[.?!]?")
_WORDS = re.compile(r"\S+")


def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


class PasswordRecognizer(PromptRecognizer):
    ENTITY: ClassVar[str] = "PASSWORD"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    MAX_WORDS: ClassVar[int] = 5
    SCORE: ClassVar[float] = 0.8

    def __init__(self, supported_language: str = "en") -> None:
        language = languages.get(supported_language)
        prompts, copulas, leading = (
            "|".join(words)
            for words in (
                language.password_prompts,
                language.password_copulas,
                language.password_leading,
            )
        )
        # no prompt in the language: nothing is found
        self.prompt = _compiled(rf"\b(?:{prompts})\b") if prompts else None
        # "is", "é" or a colon after the prompt: the answer follows in the same sentence
        copula = rf"(?:{copulas})\b|:" if copulas else ":"
        self.copula = _compiled(rf"\s*(?:{copula})[\s,:]*")
        # "yes, it's ...": words before the answer that are not part of it
        self.leading = _compiled(rf"\s*(?:(?:{leading})\b[\s,]*)*" if leading else r"\s*")
        super().__init__(supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if (entities and self.ENTITY not in entities) or self.prompt is None:
            return []
        results = []
        for asked in self.prompt.finditer(text):
            start = self._answer_start(text, asked.end())
            if start is None:
                continue
            sentence = _SENTENCE.match(text, start)
            stop = sentence.end() if sentence else len(text)
            words = list(_WORDS.finditer(text, start, stop))[: self.MAX_WORDS]
            if not words:
                continue
            end = words[-1].end()
            while end > words[0].start() and text[end - 1] in ".,;:!?":
                end -= 1
            results.append(self.result(self.ENTITY, words[0].start(), end, self.SCORE))
        return results

    def _answer_start(self, text: str, after_prompt: int) -> int | None:
        """Where the answer begins: after "is"/"é"/":", or in the sentence after a question."""
        copula = self.copula.match(text, after_prompt)
        rest = _SENTENCE.match(text, after_prompt)
        question = rest is not None and rest.group().endswith("?")
        if copula and not question:
            start = copula.end()
        elif question and rest is not None:
            start = rest.end()
        else:
            return None
        start = self.leading.match(text, start).end()  # type: ignore[union-attr]
        return start if start < len(text) else None
