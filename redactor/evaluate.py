"""Measuring detection: recall, leak rate and over-redaction on labelled text; bleep coverage
on labelled audio. A product feature (``redactor eval``), not only a test helper.

Text cases are JSON lines ``{"text", "lang", "pii": [{"type", "start", "end", "value"}]}``.

- recall: share of PII items with at least 90% of their characters inside detected spans;
- leak: share of items whose value can still be read in the redacted text. For a value with
  4+ digits: any 4 consecutive digits of it in a run of digits of the redacted text (number
  words converted to digits first; digits separated only by spaces, commas, dots or hyphens
  form one run, as a value read out digit by digit is printed). A shorter number (a CVV):
  all its digits in such a run. Otherwise: any token of the value of 3+ letters standing as
  a word in the redacted text, or spelled out letter by letter (for an e-mail, of its user
  name);
- over-redaction: share of non-PII characters (whitespace aside) inside detected spans.

Audio: for each ``*.truth.json`` (the samples', the corpus's, or a reviewer's marks
downloaded from ``redactor review``, matched to outputs by the input's sha256), the share
of PII speech time inside the bleeps of ``redactor run``'s ``*.bleeps.json``, and the share
of other speech time bleeped.
Per entity type: the PII speech bleeped, the items with 90% of their time or more inside
bleeps, and the items still readable in the ``*.redacted.txt`` beside the bleep map (the
leak above). The other speech bleeped is also split by the label of the bleep it falls in.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from redactor.errors import UsageError
from redactor.spoken import normalise
from redactor.types import Entity, union

RECALL_SHARE = 0.9
_EPSILON = 1e-9  # seconds: 90% of an item's time is 90% whatever the float noise
#: Other speech within this many seconds of a value is its edge: whisper's word times and
#: the padding put most over-bleeping there, and the rest (beyond) is detection's mistakes.
NEAR_VALUE = 1.0
_DIGIT_RUN = re.compile(r"\d(?:[\s,.-]*\d)*")
_NON_DIGITS = re.compile(r"\D")
_LETTERS = re.compile(r"[^\W\d_]{3,}")
_SPELLED = re.compile(r"(?<!\w)[^\W\d_](?:[\s.,-]+[^\W\d_](?!\w)){2,}")


@dataclass(frozen=True)
class Item:
    type: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Case:
    text: str
    lang: str
    pii: list[Item]


@dataclass
class Tally:
    items: int = 0
    found: int = 0
    leaked: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.items if self.items else 1.0

    @property
    def leak(self) -> float:
        return self.leaked / self.items if self.items else 0.0


@dataclass
class TextReport:
    by_type: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    other_chars: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    other_covered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def over_redaction(self, lang: str) -> float:
        total = self.other_chars[lang]
        return self.other_covered[lang] / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        languages = sorted(self.cases)
        return {
            lang: {
                "cases": self.cases[lang],
                "over_redaction": round(self.over_redaction(lang), 4),
                "entities": {
                    kind: {"items": t.items, "recall": round(t.recall, 4), "leak": round(t.leak, 4)}
                    for (language, kind), t in sorted(self.by_type.items())
                    if language == lang
                },
            }
            for lang in languages
        }


def load_cases(path: Path, language: str | None = None) -> list[Case]:
    """Read labelled cases; a malformed line is a usage error naming its number (not its text)."""
    cases = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path} ({exc.__class__.__name__})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            case = Case(
                raw["text"],
                raw["lang"],
                [Item(p["type"], int(p["start"]), int(p["end"]), p["value"]) for p in raw["pii"]],
            )
        except (ValueError, KeyError, TypeError):
            raise UsageError(f'{path} line {number}: expected {{"text", "lang", "pii"}}') from None
        if language is None or case.lang == language:
            cases.append(case)
    return cases


def load_presidio_research(path: Path) -> list[Case]:
    """presidio-research's synthetic set (English): ``full_text`` with ``spans``."""
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        return [
            Case(
                r["full_text"],
                "en",
                [
                    Item(
                        s["entity_type"], s["start_position"], s["end_position"], s["entity_value"]
                    )
                    for s in r["spans"]
                ],
            )
            for r in records
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"{path} is not a presidio-research dataset ({exc.__class__.__name__})"
        ) from None


def leaked(value: str, redacted: str, language: str) -> bool:
    digits = _NON_DIGITS.sub("", value)
    readable = value.split("@")[0]  # an e-mail's domain ("gmail", "com") names nobody
    tokens = _LETTERS.findall(readable.lower())
    if len(digits) >= 4 or (digits and not tokens):
        view = normalise(redacted, language)
        text = view.text if view else redacted
        runs = [_NON_DIGITS.sub("", run) for run in _DIGIT_RUN.findall(text)]
        if len(digits) < 4:  # a CVV: all of it
            return any(digits in run for run in runs)
        return any(digits[i : i + 4] in run for i in range(len(digits) - 3) for run in runs)
    # a name still spelled out ("V-I-O-L-E-T") is as readable as the name
    joined = _SPELLED.sub(lambda m: re.sub(r"[\s.,-]", "", m.group()), redacted)
    words = set(_LETTERS.findall(joined.lower()))
    return any(token in words for token in tokens)


class Redacted(Protocol):
    """What ``Pipeline.redact_text`` returns: the redacted text and the entities found."""

    text: str
    entities: list[Entity]


def score_text(cases: Iterable[Case], redact: Callable[[str, str], Redacted]) -> TextReport:
    """``redact(text, lang)``: ``Pipeline.redact_text``, or anything that answers the same."""
    report = TextReport()
    for case in cases:
        result = redact(case.text, case.lang)
        redacted, entities = result.text, result.entities
        covered = bytearray(len(case.text))
        for entity in entities:
            covered[entity.start : entity.end] = b"\1" * (entity.end - entity.start)
        is_pii = bytearray(len(case.text))
        report.cases[case.lang] += 1
        for item in case.pii:
            is_pii[item.start : item.end] = b"\1" * (item.end - item.start)
            tally = report.by_type[(case.lang, item.type)]
            tally.items += 1
            length = max(1, item.end - item.start)
            tally.found += sum(covered[item.start : item.end]) / length >= RECALL_SHARE
            tally.leaked += leaked(item.value, redacted, case.lang)
        for position, char in enumerate(case.text):
            if not is_pii[position] and not char.isspace():
                report.other_chars[case.lang] += 1
                report.other_covered[case.lang] += covered[position]
    return report


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read {path} ({exc.__class__.__name__})") from None


def _overlap(start: float, end: float, ranges: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(end, e) - max(start, s)) for s, e in ranges)


def _outside(
    start: float, end: float, inside: list[tuple[float, float]], ranges: list[tuple[float, float]]
) -> float:
    """Seconds of [start, end] inside ``ranges``, but for its parts ``inside`` (PII speech)."""
    return _overlap(start, end, ranges) - sum(_overlap(s, e, ranges) for s, e in inside)


def score_audio(outputs: Path, truth_dir: Path) -> dict[str, Any]:
    """Bleep coverage of PII speech and of other speech, over every truth file found; and of
    the PII speech of each entity type. Per type also: how many items are 90% bleeped or
    more, and how many can still be read in the call's redacted transcript (``leaked``).
    And the other speech bleeped, in seconds, per bleep label (entity type,
    UNTRANSCRIBED_SPEECH, UNRELIABLE_SPEECH): those sum to the other speech bleeped; and
    the share bleeped of the other speech more than NEAR_VALUE from any value."""
    pii_time = pii_bleeped = other_time = other_bleeped = 0.0
    beyond_time = beyond_bleeped = 0.0
    by_type: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # seconds, bleeped
    items: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # items, 90% bleeped, readable
    by_label: dict[str, float] = defaultdict(float)  # other speech bleeped, seconds
    calls = 0
    truths = sorted(truth_dir.rglob("*.truth.json"))
    if not truths:
        raise UsageError(f"no *.truth.json under {truth_dir}")
    by_input: dict[str, Path] | None = None
    for truth_path in truths:
        truth = _read_json(truth_path)
        if truth.get("input_sha256"):  # a reviewer's marks (redactor review): by content
            by_input = _bleep_maps_by_input(outputs) if by_input is None else by_input
            found = [by_input[truth["input_sha256"]]] if truth["input_sha256"] in by_input else []
            if not found:
                raise UsageError(f"{truth_path.name}: no outputs of its input under {outputs}")
        else:
            stem = Path(truth["audio"]).stem
            found = list(outputs.rglob(f"{stem}.bleeps.json"))
            if not found:
                raise UsageError(f"no {stem}.bleeps.json under {outputs}: run redactor run first")
        bleeps = _read_json(found[0])["bleeps"]
        text_path = found[0].with_name(found[0].name.removesuffix(".bleeps.json") + ".redacted.txt")
        try:
            text = text_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {text_path} ({exc.__class__.__name__})") from None
        # A stereo call's bleeps, or a reviewer's items, can overlap (one range per channel,
        # a mark over a bleep too short): time is counted once.
        ranges = union([(b["start"], b["end"]) for b in bleeps])
        labelled: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for b in bleeps:
            labelled[b["entity"]].append((b["start"], b["end"]))
        labelled = {label: union(own) for label, own in labelled.items()}
        pii = union([(p["start"], p["end"]) for p in truth["pii"]])
        near = union([(s - NEAR_VALUE, e + NEAR_VALUE) for s, e in pii])
        calls += 1
        pii_time += sum(e - s for s, e in pii)
        pii_bleeped += sum(_overlap(s, e, ranges) for s, e in pii)
        for item in truth["pii"]:
            start, end = item["start"], item["end"]
            covered = _overlap(start, end, ranges)
            by_type[item["type"]][0] += end - start
            by_type[item["type"]][1] += covered
            tally = items[item["type"]]
            tally[0] += 1
            tally[1] += covered >= RECALL_SHARE * (end - start) - _EPSILON
            tally[2] += leaked(item["value"], text, truth["language"])
        for piece in truth["pieces"]:
            start, end = piece["start"], piece["end"]
            # the parts of this piece that are PII speech, counted above
            inside = [(max(start, s), min(end, e)) for s, e in pii if min(end, e) > max(start, s)]
            other_time += end - start - sum(e - s for s, e in inside)
            other_bleeped += _outside(start, end, inside, ranges)
            close = [(max(start, s), min(end, e)) for s, e in near if min(end, e) > max(start, s)]
            beyond_time += end - start - sum(e - s for s, e in close)
            beyond_bleeped += _outside(start, end, close, ranges)
            # the same, bleep label by bleep label: the labels' ranges share out `ranges`
            for label, own in labelled.items():
                by_label[label] += _outside(start, end, inside, own)
    return {
        "calls": calls,
        "pii_speech_seconds": round(pii_time, 3),
        "pii_speech_bleeped": round(pii_bleeped / pii_time, 4) if pii_time else 1.0,
        "other_speech_seconds": round(other_time, 3),
        "other_speech_bleeped": round(other_bleeped / other_time, 4) if other_time else 0.0,
        "pii_by_type": {
            kind: {"seconds": round(t, 3), "bleeped": round(b / t, 4) if t else 1.0}
            for kind, (t, b) in sorted(by_type.items())
        },
        "values": sum(n for n, _, _ in items.values()),
        "values_readable": sum(r for _, _, r in items.values()),
        "pii_items_by_type": {
            kind: {"items": n, "bleeped_90": b, "readable": r}
            for kind, (n, b, r) in sorted(items.items())
        },
        "other_speech_beyond_values": {
            "seconds": round(beyond_time, 3),
            "bleeped": round(beyond_bleeped / beyond_time, 4) if beyond_time else 0.0,
        },
        "other_speech_bleeped_seconds": _seconds(other_bleeped),
        "other_speech_bleeped_by_label": {
            label: _seconds(t) for label, t in sorted(by_label.items())
        },
    }


def _bleep_maps_by_input(outputs: Path) -> dict[str, Path]:
    """Each call's bleep map under ``outputs``, by the sha256 of the input it came from."""
    found: dict[str, Path] = {}
    for path in sorted(outputs.rglob("*.redacted.json")):
        sha = _read_json(path).get("input_sha256")
        if not sha:
            continue
        if sha in found:
            raise UsageError(
                f"two outputs of one input under {outputs}: score each folder on its own"
            )
        found[sha] = path.with_name(path.name.removesuffix(".redacted.json") + ".bleeps.json")
    return found


def _seconds(time: float) -> float:
    """Rounded to the millisecond; float noise around zero is zero."""
    return max(0.0, round(time, 3))
