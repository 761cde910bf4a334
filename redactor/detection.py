"""Presidio analyzers per language, built offline from our models and recognizer list.

Never lets Presidio or spaCy reach a model hub: models are loaded by path (en_core_web_sm
for English, our own NER models for Portuguese and Spanish, see ner/), and tldextract
(used by the e-mail recognizer) is pointed at its bundled suffix list.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import threading
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

import spacy  # noqa: E402
import tldextract  # noqa: E402
from presidio_analyzer import (  # noqa: E402
    AnalyzerEngine,
    EntityRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import (  # noqa: E402
    NerModelConfiguration,
    NlpArtifacts,
    SpacyNlpEngine,
)
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
)
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from redactor import languages, spoken  # noqa: E402
from redactor.config import Config  # noqa: E402
from redactor.errors import ConfigError, DetectionIncomplete, ModelError  # noqa: E402
from redactor.recognizers import RECOGNIZERS  # noqa: E402
from redactor.recognizers.base import NER_PERSON_LABELS  # noqa: E402
from redactor.recognizers.names import PARTICLES  # noqa: E402
from redactor.types import NER_ENTITIES, Entity  # noqa: E402


def offline_tldextract() -> None:
    """The e-mail recognizer validates domains with tldextract, which would download the
    public suffix list on first use: point it at the snapshot it ships instead."""
    if getattr(tldextract.tldextract.TLD_EXTRACTOR, "suffix_list_urls", None) != ():
        tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(
            suffix_list_urls=(), cache_dir=None
        )


NER_CONFIG = NerModelConfiguration(
    model_to_presidio_entity_mapping={
        **dict.fromkeys(NER_PERSON_LABELS, "PERSON"),
        "GPE": "LOCATION",
        "LOC": "LOCATION",
        "FAC": "LOCATION",
    },
    labels_to_ignore=[
        "ORG",
        "NORP",
        "DATE",
        "TIME",
        "CARDINAL",
        "ORDINAL",
        "MONEY",
        "QUANTITY",
        "PERCENT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "PRODUCT",
        "MISC",
    ],
)
_TRAILING = set(",.;:!?… ")
#: The name Presidio gives the NER's results.
NER_RECOGNIZER = "SpacyRecognizer"


@Language.component("redactor_lower_lemma")
def _lower_lemma(doc: Doc) -> Doc:
    """Blank pipelines have no lemmatizer; Presidio's context words match lemmas."""
    for token in doc:
        if not token.lemma_:
            token.lemma_ = token.lower_
    return doc


class OfflineSpacyNlpEngine(SpacyNlpEngine):
    """Loads spaCy pipelines from folders (or blank); never downloads."""

    def __init__(self, paths: dict[str, Path | None]) -> None:
        models = [
            {"lang_code": lang, "model_name": str(path or "blank")} for lang, path in paths.items()
        ]
        super().__init__(models=models, ner_model_configuration=NER_CONFIG)
        self.paths = paths

    def load(self) -> None:
        loaded: dict[str, Language] = {}
        for lang, path in self.paths.items():
            if path is None:
                nlp = spacy.blank(lang)
                nlp.add_pipe("redactor_lower_lemma")
            elif not (path / "config.cfg").is_file():
                raise ModelError(
                    f"spaCy model for {lang!r} not found in {path} "
                    "(run `redactor models fetch`, or `make models` in a checkout)"
                )
            else:
                nlp = spacy.load(path)
                if "lemmatizer" not in nlp.pipe_names:  # our own NER-only pipelines
                    nlp.add_pipe("redactor_lower_lemma")
            loaded[lang] = nlp
        self.nlp = loaded  # type: ignore[assignment]  # Presidio annotates it as None


class NerRecognizer(SpacyRecognizer):
    """The NER model's PERSON and LOCATION, but for guesses a name cannot be: made only of
    the language's not-names, or over ordinary words (``ordinary_words``). Dropped here,
    before the analyzer merges results: a name found by our prompts inside such a guess
    ("Muchas gracias. Unito hasta luego.") would otherwise be merged away with it."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(
            supported_language=supported_language,
            supported_entities=list(NER_ENTITIES),
            name=NER_RECOGNIZER,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        lang = languages.get(self.supported_language)
        kept = []
        for result in super().analyze(text, entities, nlp_artifacts):
            result.start, result.end = name_sentences(text, result.start, result.end, lang)
            words = name_words(text[result.start : result.end])
            if not (only_not_names(words, lang) or ordinary_words(words, lang)):
                kept.append(result)
        return kept


def name_sentences(text: str, start: int, end: int, lang: languages.Language) -> tuple[int, int]:
    """The NER's span without the sentences at its ends that hold no name: whisper's full
    stops cut a turn from the next, and the NER runs a name on over them ("O andereço é.
    Pite o cavalcante", "imedio? Ravi Underline Loppe", "ponto R. Perfeito,"). A sentence
    at either end goes if a name is never made of its words alone, or if none of its words
    is capitalised (but a first one a name never holds) and it is a question, or two words
    or more of which half are words a name never holds. One sentence is always left: the
    filters that judge a whole guess judge it ("john calling" stays a guess)."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    pieces = list(zip([start, *cuts], [*cuts, end], strict=True))
    while len(pieces) > 1 and _no_name(text[slice(*pieces[0])], lang):
        pieces.pop(0)
    while len(pieces) > 1 and _no_name(text[slice(*pieces[-1])], lang):
        pieces.pop()
    return pieces[0][0], pieces[-1][1]


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def _no_name(sentence: str, lang: languages.Language) -> bool:
    words = name_words(sentence)
    if only_not_names(words, lang):
        return True
    never = (lang.name_stop_words | lang.not_names) - PARTICLES
    if any(w[:1].isupper() for w in words[1:]) or (
        words[0][:1].isupper() and words[0].lower() not in never
    ):
        return False  # a capital that may start a name
    if sentence.rstrip().endswith("?"):
        return True
    return len(words) >= 2 and 2 * sum(w.lower() in never for w in words) >= len(words)


def build_recognizers(language: str, has_ner: bool) -> list[EntityRecognizer]:
    """Presidio's predefined recognizers that make sense for calls, then ours."""
    # No context words for Presidio's own: they use their built-in English ones.
    context = languages.get(language).context
    found: list[EntityRecognizer] = [
        CreditCardRecognizer(
            supported_language=language,
            context=list(context.get("CreditCardRecognizer", ())) or None,
        ),
        PhoneRecognizer(
            supported_language=language,
            context=list(context.get("PhoneRecognizer", ())) or None,
            supported_regions=languages.pooled(lambda lang: lang.phone_regions),
        ),
        IbanRecognizer(supported_language=language),
        IpRecognizer(supported_language=language),
    ]
    if has_ner:
        found.append(NerRecognizer(language))
    found += [cls(supported_language=language) for cls in RECOGNIZERS]
    return found


class RegexTimeouts(logging.Filter):
    """Presidio's log, quietened to errors, and its regex timeouts counted per thread.

    On a pattern that runs past ``REGEX_TIMEOUT_SECONDS`` Presidio logs a warning and skips
    the pattern: what it would have found stays readable. Its log is the only sign, so it
    is watched here and the detector fails closed (``DetectionIncomplete``)."""

    def __init__(self) -> None:
        super().__init__()
        self._local = threading.local()

    @property
    def count(self) -> int:
        return int(getattr(self._local, "count", 0))

    def reset(self) -> None:
        self._local.count = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
            self._local.count = self.count + 1
            return False
        return record.levelno >= logging.ERROR


PRESIDIO_LOG = logging.getLogger("presidio-analyzer")
TIMEOUTS = RegexTimeouts()


def watch_presidio() -> None:
    """Presidio's warnings reach our filter (its timeouts among them), then only errors go
    on to the log."""
    if TIMEOUTS not in PRESIDIO_LOG.filters:
        PRESIDIO_LOG.addFilter(TIMEOUTS)
    PRESIDIO_LOG.setLevel(logging.WARNING)


class Detector:
    """One Presidio AnalyzerEngine per language, built on first use."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._engines: dict[str, AnalyzerEngine] = {}
        self._not_pii = {w.lower() for w in config.not_pii}
        watch_presidio()
        offline_tldextract()

    def engine(self, language: str) -> AnalyzerEngine:
        if language not in languages.LANGUAGES:
            raise ConfigError(
                f"no detection support for language {language!r} ({languages.listed()})"
            )
        if language not in self._engines:
            folder = languages.get(language).ner_model
            path = self.config.models_dir / folder if folder else None
            nlp_engine = OfflineSpacyNlpEngine({language: path})
            nlp_engine.load()
            registry = RecognizerRegistry(supported_languages=[language])
            disabled = set(self.config.disabled_recognizers)
            for recognizer in build_recognizers(language, has_ner=path is not None):
                names = {str(getattr(recognizer, "name", "")), type(recognizer).__name__}
                if not names & disabled:
                    registry.add_recognizer(recognizer)
            self._engines[language] = AnalyzerEngine(
                registry=registry,
                nlp_engine=nlp_engine,
                supported_languages=[language],
                default_score_threshold=self.config.score_threshold,
            )
        return self._engines[language]

    def analyze(self, text: str, language: str) -> list[Entity]:
        """Entities in ``text``, also looking at it with spoken numbers turned into digits."""
        found = self._analyze(text, language)
        normalised = spoken.normalise(text, language)
        if normalised is not None:
            for entity in self._analyze(normalised.text, language):
                start, end = normalised.original_span(entity.start, entity.end)
                # a converted stretch brings its punctuation along ("cinco."): trimmed below
                found.append(Entity(entity.type, start, end, entity.score, entity.recognizer))
        trimmed = (_trimmed(text, entity) for entity in found)
        return merge_overlaps([entity for entity in trimmed if entity is not None])

    def _analyze(self, text: str, language: str) -> list[Entity]:
        if not text.strip():
            return []
        engine = self.engine(language)
        TIMEOUTS.reset()
        results = engine.analyze(
            text=text,
            language=language,
            entities=self.config.entities or None,
        )
        if TIMEOUTS.count:
            raise DetectionIncomplete(
                f"detection incomplete: {TIMEOUTS.count} pattern(s) timed out on the transcript "
                f"({len(text)} characters); nothing of the call is written"
            )
        found = [
            Entity(
                r.entity_type,
                r.start,
                r.end,
                round(float(r.score), 4),
                (r.recognition_metadata or {}).get("recognizer_name", "unknown"),
            )
            for r in results
        ]
        return [e for e in found if not self._not_a_name(text[e.start : e.end], e, language)]

    def _not_a_name(self, value: str, entity: Entity, language: str) -> bool:
        if entity.type not in NER_ENTITIES:
            return False  # numbers and the like are never waved through
        if value.strip().lower() in self._not_pii:
            return True
        return only_not_names(name_words(value), languages.get(language))


def name_words(value: str) -> list[str]:
    """The words of a PERSON or LOCATION found: letters only."""
    return re.findall(r"[^\W\d_]+", value)


def only_not_names(words: list[str], lang: languages.Language) -> bool:
    """Words a name is never made of alone ("adiós", "Muchas"), or none at all (a stray
    "¿")."""
    return {w.lower() for w in words} <= lang.not_names


def ordinary_words(words: list[str], lang: languages.Language) -> bool:
    """The NER's PERSON or LOCATION over a run of ordinary words ("Los tres números se
    detrás de la tarjeta"): three words or more, none capitalised after the first, and two
    of them words a name never holds (function words but a name's particles, digit words,
    the language's not-names). Whisper capitalises names; a lower-case name among such
    words ("gracias señora maría") still has the prompt recognizers."""
    if len(words) < 3 or any(w[:1].isupper() for w in words[1:]):
        return False
    never = (lang.name_stop_words | lang.not_names | set(lang.digit_words)) - PARTICLES
    return sum(w.lower() in never for w in words) >= 2


def _trimmed(text: str, entity: Entity) -> Entity | None:
    """The entity without the punctuation and spaces that end its span: spaCy's tokens keep
    a sentence's full stop ("12345678Z."), and a PERSON guess on that token, merged with
    the ES_DNI inside it, would carry it into the span. None if nothing is left."""
    end = entity.end
    while end > entity.start and text[end - 1] in _TRAILING:
        end -= 1
    if end == entity.end:
        return entity
    return dataclasses.replace(entity, end=end) if end > entity.start else None


def merge_overlaps(entities: list[Entity]) -> list[Entity]:
    """Overlapping or touching spans become one, typed by the best-scoring part.

    Anonymising overlapping results separately gives fragments like ``<URL><PERSON>``.
    """
    merged: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if merged and entity.start <= merged[-1].end:  # touching too: no "<A><B>"
            last = merged[-1]
            best = max((last, entity), key=lambda e: (e.score, e.end - e.start))
            merged[-1] = Entity(
                best.type, last.start, max(last.end, entity.end), best.score, best.recognizer
            )
        else:
            merged.append(entity)
    return merged
