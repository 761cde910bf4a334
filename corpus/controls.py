"""Real recorded speech with no PII to speak of, through the pipeline: how much of it is bleeped.

    python -m corpus.controls --data ../shared/data --out out/eval-controls

Clips: shared/data/speech (short read sentences, pt and es), calls/azure-read-speech (read
paragraphs, pt-BR and es-ES) and calls/aws-live-call-analytics (acted English calls, 8 kHz;
agent1.wav follows a script with first names and a card's last four digits, so some of its
bleeps are right). Each clip is converted to 8 kHz mono 16-bit (a phone's rate), run with
`redactor run --language` its language, and reported as the share of its duration inside
bleeps, with the entity types bleeped, and its transcript verdict. Where the clip comes with
the text that was read (every clip but the acted calls), also the share of its words the
redacted transcript has (corpus.heard.heard_share; a tag counts as not heard): a control
judged degraded should be one whisper misheard. Without the data folder: a message, exit 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import soundfile as sf

from corpus import tts
from corpus.heard import heard_share

RATE = 8000
#: (glob under the data folder, language)
CLIPS = [
    ("speech/ufpalign/*.wav", "pt"),
    ("speech/picovoice-*/test_pt*.wav", "pt"),
    ("speech/picovoice-*/test_es*.wav", "es"),
    ("calls/azure-read-speech/pt-BR/*.wav", "pt"),
    ("calls/azure-read-speech/es-ES/*.wav", "es"),
    ("calls/aws-live-call-analytics/*.wav", "en"),
]


def prepare(data: Path, inputs: Path) -> list[tuple[str, str, Path]]:
    """Each clip at 8 kHz mono in ``inputs/<lang>/``, named after its path: (source, lang, copy)."""
    clips = []
    for pattern, lang in CLIPS:
        for source in sorted(data.glob(pattern)):
            name = source.relative_to(data).with_suffix("").as_posix().replace("/", "_")
            target = inputs / lang / f"{name}.wav"
            audio, rate = sf.read(source, dtype="float64", always_2d=True)
            mono = tts.resample(audio.mean(axis=1), int(rate), RATE)
            target.parent.mkdir(parents=True, exist_ok=True)
            sf.write(target, np.clip(mono, -1.0, 1.0), RATE, subtype="PCM_16")
            clips.append((source.relative_to(data).as_posix(), lang, target))
    return clips


def reference(source: Path) -> str | None:
    """The text read in a clip, from the file its data set keeps it in; None if none."""
    table = source.parent / "transcripts.json"  # picovoice: {file name: text}
    if table.is_file():
        found = json.loads(table.read_text(encoding="utf-8")).get(source.name)
        return str(found) if found else None
    if source.with_suffix(".txt").is_file():  # ufpalign: a text beside each clip
        return source.with_suffix(".txt").read_text(encoding="utf-8")
    lines = source.parent / "trans.txt"  # azure: "audio.wav<TAB>text" lines
    if lines.is_file():
        for line in lines.read_text(encoding="utf-8").splitlines():
            name, _, text = line.partition("\t")
            if name == source.name:
                return text
    return None


def bleeped(bleeps: list[dict[str, float]]) -> float:
    """Seconds inside the union of the bleep ranges."""
    total, reach = 0.0, 0.0
    for start, end in sorted((b["start"], b["end"]) for b in bleeps):
        start = max(start, reach)
        if end > start:
            total += end - start
            reach = end
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("out/eval-controls"))
    args = ap.parse_args(argv)
    if not (args.data / "speech").is_dir() and not (args.data / "calls").is_dir():
        print(f"skipped: the no-PII controls need {args.data}/speech and /calls (not found)")
        return 0

    clips = prepare(args.data, args.out / "input")
    for lang in sorted({lang for _, lang, _ in clips}):
        command = [sys.executable, "-m", "redactor", "run", str(args.out / "input" / lang)]
        command += ["--language", lang, "--out", str(args.out / "redacted" / lang)]
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    rows = []
    for source, lang, copy in clips:
        bleeps_path = args.out / "redacted" / lang / f"{copy.stem}.bleeps.json"
        if not bleeps_path.is_file():
            print(f"{source:62} {lang}  failed: no bleep map")
            continue
        record = json.loads(bleeps_path.read_text(encoding="utf-8"))
        duration = record["audio"]["duration"]
        seconds = bleeped(record["bleeps"])
        kinds = Counter(b["entity"] for b in record["bleeps"])
        transcript = json.loads(
            bleeps_path.with_name(f"{copy.stem}.redacted.json").read_text(encoding="utf-8")
        )
        verdict = transcript.get("transcript_quality", {}).get("verdict", "none")
        said = reference(args.data / source)
        heard = None if said is None else round(heard_share(said, transcript["text"], lang), 3)
        rows.append(
            {
                "clip": source,
                "language": lang,
                "duration": duration,
                "bleeped": seconds,
                "verdict": verdict,
                "heard": heard,
            }
        )
        listed = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "-"
        print(
            f"{source:62} {lang}  {duration:6.1f} s  bleeped {seconds:5.1f} s "
            f"({seconds / duration:6.1%})  {verdict:8} "
            f"heard {'-' if heard is None else f'{heard:.0%}':>4}  {listed}"
        )
    (args.out / "summary.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
