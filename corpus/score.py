"""Run `redactor run` over the call corpus and print what `redactor eval --truth` measures,
per set, split and language: the share of PII speech bleeped and of other speech bleeped, the
PII speech bleeped per entity type, how many values can still be read in the redacted
transcript (redactor.evaluate.leaked: 4 digits of a number, a 3-letter word of a name), per
type how many items are 90% bleeped or more and how many are readable, the other speech
bleeped per bleep label (entity type, UNTRANSCRIBED_SPEECH, UNRELIABLE_SPEECH), and
whether the transcript verdicts know when whisper misheard: of the calls with 20% or more of
their speech misheard (corpus.heard, which transcribes each call once more), how many are
marked degraded or unusable.

    python -m corpus.score --corpus out/corpus --out out/eval-calls

Outputs of calls already done are kept (redactor run skips them): remove --out to redo.
Figures also go to <out>/summary.json. No PII value is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from corpus import heard
from corpus.make_calls import SETS, SPLITS
from redactor.config import load_config
from redactor.evaluate import score_audio
from redactor.pipeline import Pipeline


def folders(corpus: Path) -> list[tuple[str, str, str]]:
    """(set, split, language) of every corpus folder that holds truth files."""
    return [
        (set_name, split, lang)
        for set_name, langs in SETS.items()
        for split in SPLITS
        for lang in langs
        if any((corpus / set_name / split / lang).glob("*.truth.json"))
    ]


def call_verdicts(out_dir: Path) -> dict[str, str]:
    """{call name: transcript verdict} over a folder of outputs."""
    return {
        path.name.removesuffix(".redacted.json"): json.loads(path.read_text(encoding="utf-8"))
        .get("transcript_quality", {})
        .get("verdict", "none")
        for path in sorted(out_dir.glob("*.redacted.json"))
    }


def verdicts(by_call: dict[str, str]) -> dict[str, int]:
    """Calls per transcript verdict (good, degraded, unusable)."""
    return dict(sorted(Counter(by_call.values()).items()))


def misheard_calls(shares: dict[str, float], verdicts: dict[str, str]) -> dict[str, Any]:
    """The calls whisper misheard (20% or more of their speech), and those of them the
    verdict passed as good."""
    misheard = sorted(name for name, share in shares.items() if share >= heard.MISHEARD_CALL)
    return {
        "misheard_calls": len(misheard),
        "misheard_marked": sum(verdicts.get(name) in ("degraded", "unusable") for name in misheard),
        "misheard_passed": [name for name in misheard if verdicts.get(name) == "good"],
        "misheard_share_by_call": shares,
    }


def percent(share: float) -> str:
    return f"{share:.1%}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path("out/corpus"))
    ap.add_argument("--out", type=Path, default=Path("out/eval-calls"))
    ap.add_argument("--no-run", action="store_true", help="only score outputs already there")
    ap.add_argument("--config", type=Path, help="a redactor config file for every run")
    ap.add_argument(
        "--only", nargs="+", default=[], metavar="SET/SPLIT[/LANG]", help="e.g. clear/report"
    )
    ap.add_argument(
        "--no-heard",
        action="store_true",
        help="skip what whisper heard (it transcribes every call again: half the time)",
    )
    args = ap.parse_args(argv)

    todo = [
        folder
        for folder in folders(args.corpus)
        if not args.only or any("/".join(folder).startswith(only) for only in args.only)
    ]
    if not todo:
        print(f"error: no calls under {args.corpus}: run make corpus first", file=sys.stderr)
        return 2
    rows: list[dict[str, Any]] = []
    for set_name, split, lang in todo:
        truth_dir = args.corpus / set_name / split / lang
        out_dir = args.out / set_name / split / lang
        seconds = 0.0
        if not args.no_run:
            started = time.monotonic()
            command = [sys.executable, "-m", "redactor", "run", str(truth_dir)]
            command += ["--language", lang, "--out", str(out_dir)]
            command += ["--config", str(args.config)] if args.config else []
            done = subprocess.run(command, stdout=subprocess.DEVNULL)
            seconds = time.monotonic() - started
            if done.returncode:
                print(f"warning: redactor run exited {done.returncode} on {truth_dir}")
        figures = score_audio(out_dir, truth_dir)  # values_readable too
        config = load_config(args.config).replace(language=lang)
        shares = {} if args.no_heard else heard.measure(Pipeline(config), truth_dir, out_dir)
        by_call = call_verdicts(out_dir)
        rows.append(
            {
                "set": set_name,
                "split": split,
                "language": lang,
                **figures,
                "verdicts": verdicts(by_call),
                **misheard_calls(shares, by_call),
                "heard_measured": not args.no_heard,
                "run_seconds": round(seconds, 1),
            }
        )
        print_row(rows[-1])
    print()
    for total in totals(rows):
        print_total(total)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


def totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per set and split, over its languages: the shares by time, and the misheard calls."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        total = found.setdefault(
            (row["set"], row["split"]),
            {"set": row["set"], "split": row["split"], "languages": [], "pii": 0.0,
             "pii_bleeped": 0.0, "other": 0.0, "other_bleeped": 0.0, "beyond": 0.0,
             "beyond_bleeped": 0.0, "misheard_calls": 0, "misheard_marked": 0},
        )  # fmt: skip
        total["languages"].append(row["language"])
        total["pii"] += row["pii_speech_seconds"]
        total["pii_bleeped"] += row["pii_speech_seconds"] * row["pii_speech_bleeped"]
        total["other"] += row["other_speech_seconds"]
        total["other_bleeped"] += row["other_speech_seconds"] * row["other_speech_bleeped"]
        beyond = row["other_speech_beyond_values"]
        total["beyond"] += beyond["seconds"]
        total["beyond_bleeped"] += beyond["seconds"] * beyond["bleeped"]
        total["misheard_calls"] += row["misheard_calls"]
        total["misheard_marked"] += row["misheard_marked"]
    return list(found.values())


def print_total(total: dict[str, Any]) -> None:
    pii = total["pii_bleeped"] / total["pii"] if total["pii"] else 1.0
    other = total["other_bleeped"] / total["other"] if total["other"] else 0.0
    beyond = total["beyond_bleeped"] / total["beyond"] if total["beyond"] else 0.0
    print(
        f"{total['set']:5} {total['split']:6} {'+'.join(total['languages'])}: "
        f"PII speech bleeped {percent(pii)}, other speech bleeped {percent(other)} "
        f"({percent(beyond)} beyond 1 s of a value), "
        f"misheard calls marked {total['misheard_marked']}/{total['misheard_calls']}"
    )


def print_row(row: dict[str, Any]) -> None:
    print(
        f"{row['set']:5} {row['split']:6} {row['language']}  {row['calls']} calls  "
        f"PII speech bleeped {percent(row['pii_speech_bleeped']):>6} "
        f"of {row['pii_speech_seconds']:6.1f} s  "
        f"other speech bleeped {percent(row['other_speech_bleeped']):>6} "
        f"of {row['other_speech_seconds']:6.1f} s  "
        f"values readable {row['values_readable']}/{row['values']}"
        + (f"  ({row['run_seconds']:.0f} s)" if row["run_seconds"] else "")
    )
    kinds = ", ".join(f"{kind} {percent(t['bleeped'])}" for kind, t in row["pii_by_type"].items())
    print(f"{'':16}by type: {kinds}")
    items = ", ".join(
        f"{kind} {t['bleeped_90']}/{t['items']} ({t['readable']})"
        for kind, t in row["pii_items_by_type"].items()
    )
    print(f"{'':16}items >= 90% bleeped (readable in text): {items}")
    labels = sorted(row["other_speech_bleeped_by_label"].items(), key=lambda lt: (-lt[1], lt[0]))
    spent = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in labels if seconds >= 0.05)
    print(f"{'':16}other speech bleeped by label: {spent or 'none'}")
    beyond = row["other_speech_beyond_values"]
    print(
        f"{'':16}other speech beyond 1 s of a value: {percent(beyond['bleeped'])} "
        f"of {beyond['seconds']:.1f} s bleeped"
    )
    print(f"{'':16}verdicts: {', '.join(f'{v} {n}' for v, n in row['verdicts'].items())}")
    passed = ", ".join(row["misheard_passed"])
    if not row.get("heard_measured", True):
        print(f"{'':16}misheard: not measured (--no-heard)")
        return
    print(
        f"{'':16}misheard (>= 20% of speech): {row['misheard_calls']} calls, "
        f"{row['misheard_marked']} marked degraded or unusable"
        + (f"; passed as good: {passed}" if passed else "")
    )


if __name__ == "__main__":
    sys.exit(main())
