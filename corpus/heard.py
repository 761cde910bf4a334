"""How much of each corpus call whisper really heard: the yardstick for the transcript
verdicts (issue 14: every call with 20% or more of its speech misheard must be marked
degraded or unusable).

Each piece of the truth (what one speaker said in one breath) is compared with the words
whisper printed over its time, as ``redactor run`` transcribes the call (same settings,
recovery included). Both sides are reduced to tokens: lower case, no accents or
punctuation, number words turned into digits and every number into single digits, so
"um dois três", "1 2 3" and "123" agree. A piece is *misheard* when fewer than half of its
tokens come back in order. A call's misheard share is its misheard pieces' time over all
its pieces' time.

The share per call is kept in ``<out>/<name>.heard.json`` (numbers only, no text), so a
second scoring does not transcribe again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from redactor import audio as audio_io
from redactor.pipeline import Pipeline
from redactor.spoken import normalise
from redactor.types import Word

#: A piece with fewer of its tokens heard than this is misheard.
HEARD = 0.5
#: A call with this share of its speech misheard must not be judged good.
MISHEARD_CALL = 0.2
#: Words count for a piece if their middle is this close to it (seconds).
REACH = 0.3

_TOKEN = re.compile(r"\d|[^\W\d_]+")


def tokens(text: str, language: str) -> list[str]:
    """``text`` as comparable tokens: words without accents, and single digits."""
    converted = normalise(text, language)
    plain = unicodedata.normalize("NFKD", (converted.text if converted else text).lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _TOKEN.findall(plain)


def heard_share(said: str, printed: str, language: str) -> float:
    """Share of the tokens of ``said`` that ``printed`` has, in order."""
    truth = tokens(said, language)
    if not truth:
        return 1.0
    matcher = SequenceMatcher(a=truth, b=tokens(printed, language), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(truth)


def misheard_share(truth: dict[str, Any], words: list[Word]) -> float:
    """Share of a call's speech time in pieces whisper misheard."""
    total = misheard = 0.0
    for piece in truth["pieces"]:
        start, end = piece["start"], piece["end"]
        printed = " ".join(
            w.text.strip() for w in words if start - REACH <= (w.start + w.end) / 2 <= end + REACH
        )
        total += end - start
        if heard_share(piece["text"], printed, truth["language"]) < HEARD:
            misheard += end - start
    return misheard / total if total else 0.0


def measure(pipeline: Pipeline, truth_dir: Path, out_dir: Path) -> dict[str, float]:
    """{call name: misheard share} for every truth file of a folder, transcribing only the
    calls not measured before."""
    shares: dict[str, float] = {}
    for truth_path in sorted(truth_dir.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        stem = Path(truth["audio"]).stem
        kept = out_dir / f"{stem}.heard.json"
        if kept.is_file():
            shares[stem] = json.loads(kept.read_text(encoding="utf-8"))["misheard_share"]
            continue
        transcript, _ = pipeline.transcribe(audio_io.load(truth_dir / truth["audio"]))
        shares[stem] = round(misheard_share(truth, transcript.words), 4)
        out_dir.mkdir(parents=True, exist_ok=True)
        kept.write_text(json.dumps({"misheard_share": shares[stem]}) + "\n", encoding="utf-8")
    return shares
