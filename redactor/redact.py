"""Replacing detected spans in text: a tag, a mask or a salted hash (Presidio's operators)."""

from __future__ import annotations

from dataclasses import dataclass

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from redactor.detection import Entity


@dataclass(frozen=True)
class Placement:
    """Where an entity's replacement stands in the redacted text."""

    entity: Entity
    start: int
    end: int
    replacement: str


def operator_config(operator: str, salt: str = "") -> dict[str, OperatorConfig]:
    if operator == "mask":
        return {
            "DEFAULT": OperatorConfig(
                "mask", {"masking_char": "*", "chars_to_mask": 10**6, "from_end": False}
            )
        }
    if operator == "hash":
        params = {"hash_type": "sha256"}
        if salt:
            params["salt"] = salt  # without one, Presidio salts each value at random
        return {"DEFAULT": OperatorConfig("hash", params)}
    return {}  # "tag": one per entity type, filled in by redact()


_ENGINE = AnonymizerEngine()


def redact(
    text: str, entities: list[Entity], operator: str = "tag", salt: str = ""
) -> tuple[str, list[Placement]]:
    """The redacted text and where each entity's replacement went. Entities must not overlap."""
    if not entities:
        return text, []
    operators = operator_config(operator, salt)
    if operator == "tag":
        operators = {
            e.type: OperatorConfig("replace", {"new_value": f"<{e.type}>"}) for e in entities
        }
    result = _ENGINE.anonymize(
        text=text,
        analyzer_results=[RecognizerResult(e.type, e.start, e.end, e.score) for e in entities],
        operators=operators,
    )
    items = sorted(result.items, key=lambda item: item.start)
    ordered = sorted(entities, key=lambda e: e.start)
    placements = [Placement(e, i.start, i.end, i.text) for e, i in zip(ordered, items, strict=True)]
    return result.text, placements


def redact_range(text: str, placements: list[Placement], start: int, end: int) -> str:
    """The redacted form of ``text[start:end]`` (one word, say).

    An entity's replacement goes with the range where the entity starts; its other
    characters are dropped from every range.
    """
    out, position = [], start
    for placement in placements:
        entity = placement.entity
        if entity.end <= start or entity.start >= end:
            continue
        if entity.start > position:
            out.append(text[position : entity.start])
        if start <= entity.start:
            out.append(placement.replacement)
        position = max(position, min(entity.end, end))
    if position < end:
        out.append(text[position:end])
    return "".join(out)
