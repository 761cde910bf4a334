"""Person names given after a prompt or a title: "meu nome é maria da silva", "falo com a
senhora Joana?", "me llamo josé de la fuente", "this is Bob calling", "Dona Cida".

Recognisers print names in lower case as often as not, which a NER model trained on edited
text misses; the words around a name give it away instead. After a strong prompt ("my name
is", "me chamo", a title) the next one to four name-like words are taken in any casing;
after a weak one ("this is", "soy", "meu marido") only a capitalised word starts a name.
Particles ("da", "de la", "van") may join the words; function words and greetings end it.
And the agent says goodbye by name: one or two words between thanks and a farewell
("obrigada, Marta! Até logo!", "gracias Ceferino que tenga un buen día"), or before a
farewell that starts a sentence ("Marta, até logo."), are a name. Where a question for
the name ("com quem eu falo?") gets an answer in which no name is found, whisper garbled
it: the answer's first words go.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor import languages
from redactor.recognizers.base import NER_PERSON_LABELS, PromptRecognizer

#: Said between a prompt and the name: skipped ("who am I speaking with? uh, yes, Dave").
#: Pooled, as are the particles: callers mix languages, and names cross borders.
LEADING = frozenset(languages.pooled(lambda lang: lang.name_fillers))
PARTICLES = frozenset(languages.pooled(lambda lang: lang.name_particles))
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# a comma, then two capitalised words: the name goes on after the comma
_COMMA_THEN_NAME = re.compile(r",[ \t]+(?=[^\W\d_a-zà-ÿ][\w'’-]*[ \t]+[^\W\d_a-zà-ÿ])")
_TWO_WORDS = r"(?P<name>[^\W\d_][\w'’-]*(?:[ \t]+[^\W\d_][\w'’-]*)?)"


class PromptedNameRecognizer(PromptRecognizer):
    ENTITY: ClassVar[str] = "PERSON"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    MAX_WORDS: ClassVar[int] = 4
    STRONG_SCORE: ClassVar[float] = 0.75
    WEAK_SCORE: ClassVar[float] = 0.6
    ANSWER_WORDS: ClassVar[int] = 8

    def __init__(self, supported_language: str = "en") -> None:
        def prompts(phrases: tuple[str, ...], after: str = r"[\s,]") -> re.Pattern[str] | None:
            if not phrases:
                return None  # no prompts in this language: nothing found after them
            return re.compile(rf"\b(?:{'|'.join(phrases)})(?={after}|$)", re.IGNORECASE)

        language = languages.get(supported_language)
        # whisper may end a sentence after a strong prompt: "me llamo. Prudencia aliada."
        self.strong = prompts(language.name_prompts, r"\.?[\s,]")
        self.weak = prompts(language.name_weak_prompts)
        self.questions = prompts(language.name_questions)
        self.stop = language.name_stop_words
        self.not_goodbye_names = self.stop | language.courtesies | LEADING
        self.greetings = language.not_names | LEADING
        self.thanks = self.any_of(language.name_thanks)
        thanks = self.thanks.pattern
        bye = self.any_of(language.name_farewells).pattern
        # a name is no thanks: ". Gracias conrado que tenga" is thanks and a name, not the
        # name "Gracias conrado"
        self.farewell = re.compile(
            rf"(?:\b(?:{thanks})[\s,!.¡]+|(?:^|[.!?][ \t]+)¡?)(?!(?:{thanks})\b)"
            rf"{_TWO_WORDS}[\s,!.¡]+(?:{bye})\b",
            re.IGNORECASE,
        )
        super().__init__(supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        results: list[RecognizerResult] = []
        # found after a prompt whisper ended with a full stop ("me llamo. Ven un novayo."):
        # a guess, which leaves a name question's answer to be taken whole below
        unsure: list[RecognizerResult] = []
        for prompt, strong in ((self.strong, True), (self.weak, False)):
            if prompt is None:
                continue
            for asked in prompt.finditer(text):
                span = self._name_after(text, asked.end(), strong)
                if span:
                    score = self.STRONG_SCORE if strong else self.WEAK_SCORE
                    found_here = self.result(self.ENTITY, *span, score)
                    dotted = text.startswith(".", asked.end())
                    (unsure if dotted else results).append(found_here)
        for goodbye in self.farewell.finditer(text):
            words = goodbye.group("name").lower().split()
            if not set(words) & self.not_goodbye_names:  # "Muito obrigada, até logo"
                results.append(self.result(self.ENTITY, *goodbye.span("name"), self.WEAK_SCORE))
        # names found so far, ours and the NER's: a question whose answer holds none of them
        found = [r.start for r in results] + [
            e.start_char
            for e in (nlp_artifacts.entities if nlp_artifacts else [])
            if e.label_ in NER_PERSON_LABELS
        ]
        for asked in self.questions.finditer(text) if self.questions else ():
            answer = self._answer(text, asked.end())
            if answer and not any(answer[0] <= start < answer[1] for start in found):
                results.append(self.result(self.ENTITY, *answer, self.WEAK_SCORE))
        return results + unsure

    def _answer(self, text: str, position: int) -> tuple[int, int] | None:
        """The first ANSWER_WORDS words after a question for a name, up to the next
        question or thanks ("Obrigado, como posso ajudar?"), but for greetings before them
        ("Bom dia, ...")."""
        question = text.find("?", position)
        thanks = self.thanks.search(text, position)
        stop = min(
            question if question >= 0 else len(text), thanks.start() if thanks else len(text)
        )
        words = list(_WORD.finditer(text, position, stop))
        while words and words[0].group().lower() in self.greetings:
            words.pop(0)
        words = words[: self.ANSWER_WORDS]
        return (words[0].start(), words[-1].end()) if words else None

    def _name_after(self, text: str, position: int, strong: bool) -> tuple[int, int] | None:
        """The name-like words right after ``position`` (same clause), or None."""
        words: list[re.Match[str]] = []
        cursor = position + (strong and text.startswith(".", position))
        skipped = False
        while True:  # fillers and "yes" before the name
            skip = re.match(r"[\s,]*([^\W\d_][\w'’-]*)", text[cursor:])
            if not skip or skip.group(1).lower() not in LEADING:
                break
            cursor += skip.end()
            skipped = True
        if skipped:  # "sí, ana": the comma after a skipped word is not the end
            cursor += len(re.match(r"[\s,]*", text[cursor:]).group())  # type: ignore[union-attr]
        while len([w for w in words if w.group().lower() not in PARTICLES]) < self.MAX_WORDS:
            gap = re.match(r"[ \t]*", text[cursor:])
            if len(words) == 1 and words[0].group()[0].isupper():
                # "Budu, Eloiza Montenegro": a misheard greeting ("Tudo bem"), then the name
                gap = _COMMA_THEN_NAME.match(text[cursor:]) or gap
            if words and len(words[-1].group()) == 1:  # an initial: "K .C. George"
                gap = re.match(r"[ \t]*\.?[ \t]*", text[cursor:])
            start = cursor + (gap.end() if gap else 0)
            word = _WORD.match(text, start)
            if word is None or (words and start == cursor):
                break
            lower = word.group().lower()
            if lower in PARTICLES and words:
                words.append(word)
                cursor = word.end()
                continue
            if lower in self.stop or lower in PARTICLES:
                break
            if not words and not strong and not word.group()[0].isupper():
                return None
            if words and words[0].group()[0].isupper() and not word.group()[0].isupper():
                break  # "Norma Wilson called": in cased text a name's words are capitalised
            words.append(word)
            cursor = word.end()
        while words and words[-1].group().lower() in PARTICLES:
            words.pop()
        if not words:
            return None
        return words[0].start(), words[-1].end()
