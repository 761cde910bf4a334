"""Person names given after a prompt or a title: "meu nome é maria da silva", "falo com a
senhora Joana?", "me llamo josé de la fuente", "this is Bob calling", "Dona Cida".

Recognisers print names in lower case as often as not, which a NER model trained on edited
text misses; the words around a name give it away instead. After a strong prompt ("my name
is", "me chamo", a title) the next one to four name-like words are taken in any casing;
after a weak one ("this is", "soy", "meu marido") only a capitalised word starts a name.
Particles ("da", "de la", "van") may join the words; function words and greetings end it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from redactor.recognizers.base import PromptRecognizer

# fmt: off
STRONG = {
    "pt": [r"meu nome (?:completo )?é", r"me chamo", r"(?:sou|é) (?:o|a) senhora?",
           r"em nome de", r"nome do titular é", r"senhora?", r"sr\.?", r"sra\.?", r"dona",
           r"doutora?", r"dra?\.?", r"nome(?: completo)?\?", r"quem fala\?", r"quem fala é",
           r"falo com(?: o| a)?(?: senhora?)?", r"titular (?:da conta )?é"],
    "es": [r"me llamo", r"mi nombre (?:completo )?es", r"a nombre de", r"señora?", r"señorita",
           r"sra?\.?", r"srta\.?", r"don", r"doña", r"doctora?", r"dra?\.?", r"licenciad[oa]",
           r"nombre(?: completo)?\?", r"con quién (?:hablo|tengo el gusto)\?(?: con)?",
           r"(?:le )?habla", r"titular es"],
    "en": [r"my name is", r"my (?:first|last) name is", r"name's", r"mister", r"missus",
           r"mrs?\.?", r"ms\.?", r"miss", r"doctor", r"dr\.?", r"(?:full |first |last )?name\?",
           r"who am i speaking with\?", r"speaking with", r"holder is"],
}
WEAK = {
    "pt": [r"aqui (?:quem fala )?é(?: o| a)?", r"sou (?:o|a)", r"(?:meu|minha) (?:marido|esposa|"
           r"mulher|filh[oa]|mãe|pai|irmão|irmã)", r"chamar(?: o| a)?", r"foi(?: o| a)"],
    "es": [r"soy", r"con", r"(?:mi) (?:esposo|esposa|marido|hij[oa]|madre|padre|herman[oa])"],
    "en": [r"this is", r"i'm", r"i am", r"under",
           r"(?:my) (?:husband|wife|son|daughter|mother|father|brother|sister)"],
}
#: Said between a prompt and the name: skipped ("who am I speaking with? uh, yes, Dave").
LEADING = {"uh", "um", "er", "ah", "hmm", "yes", "yeah", "it's", "sí", "eh", "este", "pues",
           "sim", "hum", "ahn", "é", "ok", "okay"}
PARTICLES = {"da", "de", "do", "dos", "das", "del", "la", "las", "los", "van", "von", "e", "y"}
#: Words that end a name (function words, verbs and agent phrases a prompt is followed by).
STOP = {
    "pt": "e é o a os as um uma que de do da em no na para por com sim não tá obrigado obrigada "
          "meu minha seu sua hum ahn "
          "boa bom tarde dia noite aqui falando quero gostaria preciso ligando tudo bem certo "
          "claro vou ele ela eu você senhor senhora sobre mesmo pode poderia tem está estava vai "
          "quer precisa gostaria já ainda consegue sabe confirma confirmar aguarde só setor "
          "gerente atendente",
    "es": "y es el la los las un una que de del en con para por sí no gracias buenas buenos "
          "mi mis su sus tu este eh "
          "tardes días noches aquí llamando quiero quisiera necesito todo bien claro voy él "
          "ella yo usted señor señora sobre mismo puede podría tiene está estaba va quiere "
          "necesita ya todavía sabe confirma confirmar espere solo español inglés",
    "en": "and is the a an that of in on for with to yes no thanks thank you good morning "
          "your his her their our this that uh um er ah hmm "
          "afternoon evening here calling about want would need just all right sure okay i me "
          "my he she it we they sir madam going gonna trying speaking can could will would has "
          "have was is are please the manager supervisor agent someone somebody",
}
# fmt: on
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


class PromptedNameRecognizer(PromptRecognizer):
    ENTITY: ClassVar[str] = "PERSON"
    ENTITIES: ClassVar[list[str]] = [ENTITY]
    MAX_WORDS: ClassVar[int] = 4
    STRONG_SCORE: ClassVar[float] = 0.75
    WEAK_SCORE: ClassVar[float] = 0.6

    def __init__(self, supported_language: str = "en") -> None:
        def prompts(phrases: list[str]) -> re.Pattern[str]:
            return re.compile(rf"\b(?:{'|'.join(phrases)})(?=[\s,]|$)", re.IGNORECASE)

        self.strong = prompts(STRONG[supported_language])
        self.weak = prompts(WEAK[supported_language])
        self.stop = set(STOP[supported_language].split())
        super().__init__(supported_language)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if entities and self.ENTITY not in entities:
            return []
        results = []
        for prompt, strong in ((self.strong, True), (self.weak, False)):
            for asked in prompt.finditer(text):
                span = self._name_after(text, asked.end(), strong)
                if span:
                    score = self.STRONG_SCORE if strong else self.WEAK_SCORE
                    results.append(self.result(self.ENTITY, *span, score))
        return results

    def _name_after(self, text: str, position: int, strong: bool) -> tuple[int, int] | None:
        """The name-like words right after ``position`` (same clause), or None."""
        words: list[re.Match[str]] = []
        cursor = position
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
