"""Talk-off: keypad tones the detector finds in speech, where nobody pressed a key.

    python -m corpus.talkoff out/corpus samples ../shared/data

Every WAV or FLAC under the folders given (outputs of `redactor run` and keyed calls
aside), channel by channel at 16 kHz as the pipeline reads them: the hours of speech, the
tones found (``dtmf.tones``) and the keyed sequences that would be bleeped or flagged
(``dtmf.keyed``), per hour. Folders that do not exist are skipped with a note. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from redactor import audio as audio_io
from redactor import dtmf


def speech_files(folders: list[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            print(f"skipped: {folder} not found", file=sys.stderr)
            continue
        for pattern in ("**/*.wav", "**/*.flac"):
            found += [
                p
                for p in sorted(folder.glob(pattern))
                if ".redacted." not in p.name and "dtmf" not in p.name
            ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    seconds = 0.0
    tones = sequences = 0
    longest = 0.0
    for path in speech_files(args.folders):
        audio = audio_io.load(path)
        for channel in range(audio.channels):
            samples = audio_io.to_whisper(audio, channel if audio.channels > 1 else None)
            seconds += len(samples) / audio_io.WHISPER_RATE
            found = dtmf.tones(samples, audio_io.WHISPER_RATE)
            keyed = dtmf.sequences(found)
            tones += len(found)
            sequences += len(keyed)
            longest = max([longest, *(s.end - s.start for s in keyed)])
    hours = seconds / 3600
    print(
        json.dumps(
            {
                "hours": round(hours, 2),
                "tones": tones,
                "tones_per_hour": round(tones / hours, 3) if hours else 0.0,
                "sequences": sequences,
                "sequences_per_hour": round(sequences / hours, 3) if hours else 0.0,
                "longest_sequence_seconds": round(longest, 3),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
