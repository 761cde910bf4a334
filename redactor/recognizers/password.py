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

from redactor.recognizers.base import PromptRecognizer

PROMPTS = {
    "en": r"\b(?:password|passcode|passphrase|secret word|security word)\b",
    "pt": r"\b(?:senha|palavra[- ]passe|frase secreta)\b",
    "es": r"\b(?:contraseña|clave|palabra secreta)\b",
}
#: "is", "é", ":" after the prompt: an answer follows in the same sentence.
COPULAS = {
    "en": r"(?:is|was|it's|its|would be|will be)",
    "pt": r"(?:é|era|seria|vai ser|fica)",
    "es": r"(?:es|era|sería|será)",
}
#: Words that may stand first in the answer and are not part of it.
LEADING = {
    "en": r"(?:(?:yes|yeah|so|it's|its|it is|uh|um|ok|okay|sure)\b[\s,]*)*",
    "pt": r"(?:(?:sim|é|então|tá|ok|hum|claro|a senha é)\b[\s,]*)*",
    "es": r"(?:(?:sí|es|pues|vale|claro|bueno|eh)\b[\s,]*)*",
}
_SENTENCE = re.compile(r"[^.?!]*[.?!]?")
_WORDS = re.compile(r"\S+")


class PasswordRecognizer(PromptRecognizer):
    ENTITY: ClassVar[str] = "PASSWORD"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    MAX_WORDS: ClassVar[int] = 5
    SCORE: ClassVar[float] = 0.8

    def __init__(self, supported_language: str = "en") -> None:
        self.prompt = re.compile(PROMPTS[supported_language], re.IGNORECASE)
        self.copula = re.compile(rf"\s*(?:{COPULAS[supported_language]}\b|:)[\s,:]*", re.IGNORECASE)
        self.leading = re.compile(rf"\s*{LEADING[supported_language]}", re.IGNORECASE)
        super().__init__(supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
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
