"""Replacing detected spans in text: a tag, a mask or a salted hash (Presidio's operators)."""

from __future__ import annotations

from dataclasses import dataclass

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from redactor.types import Entity


@dataclass(frozen=True)
class Placement:
    """Where an entity's replacement stands in the redacted text."""

    entity: Entity
    start: int
    end: int
    replacement: str


def operator_config(operator: str, entity_type: str, salt: str = "") -> OperatorConfig:
    """Presidio's operator for one entity: ``<TYPE>``, a mask, or a salted hash."""
    if operator == "mask":
        return OperatorConfig(
            "mask", {"masking_char": "*", "chars_to_mask": 10**6, "from_end": False}
        )
    if operator == "hash":
        params = {"hash_type": "sha256"}
        if salt:
            params["salt"] = salt  # without one, Presidio salts each value at random
        return OperatorConfig("hash", params)
    return OperatorConfig("replace", {"new_value": f"<{entity_type}>"})


_ENGINE = AnonymizerEngine()  # type: ignore[no-untyped-call]  # Presidio's __init__


def redact(
    text: str, entities: list[Entity], operator: str = "tag", salt: str = ""
) -> tuple[str, list[Placement]]:
    """The redacted text and where each entity's replacement went. Entities must not overlap.

    Presidio's anonymizer computes each replacement; the text is assembled here, one
    replacement per entity (the anonymizer itself would fuse neighbouring entities of one
    type, and we keep every entity's own place).
    """
    out: list[str] = []
    placements: list[Placement] = []
    position = length = 0
    for entity in sorted(entities, key=lambda e: e.start):
        out.append(text[position : entity.start])
        length += entity.start - position
        value = text[entity.start : entity.end]
        config = operator_config(operator, entity.type, salt)
        replacement = _ENGINE.anonymize(
            text=value,
            analyzer_results=[RecognizerResult(entity.type, 0, len(value), entity.score)],
            operators={"DEFAULT": config},
        ).text
        placements.append(Placement(entity, length, length + len(replacement), replacement))
        out.append(replacement)
        length += len(replacement)
        position = entity.end
    out.append(text[position:])
    return "".join(out), placements


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
