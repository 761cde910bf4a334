"""Builds the corpora, trains one language's NER model, scores it and archives it.

One command per language so a model can be rebuilt from the public data alone:

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 HF_HUB_OFFLINE=1 \
        python ner/train.py --lang pt --data ../shared/data --out ner/build/pt

The archive ner/dist/redactor-ner-<lang>.tar.gz is byte-for-byte reproducible from the same
model files: sorted members, fixed owner and times, gzip header without a timestamp.
"""

from __future__ import annotations

import os

# One core: another process shares the machine. Must be set before numpy/thinc load.
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import corpora  # noqa: E402
import evaluate  # noqa: E402
import package  # noqa: E402
from spacy.cli.train import train as spacy_train  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=["pt", "es", "en"], required=True)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, help="build folder (default ner/build/<lang>)")
    ap.add_argument("--dist", type=Path, default=HERE / "dist")
    ap.add_argument("--baseline", help="another spaCy model folder to score the same way")
    ap.add_argument("--skip-train", action="store_true", help="reuse an existing model-best")
    ap.add_argument("--seed", type=int, default=0, help="seed of the data sampling")
    args = ap.parse_args()
    out: Path = args.out or HERE / "build" / args.lang
    folder = out / "corpus"

    report: dict[str, object] = {"lang": args.lang}
    report["docs"] = corpora.build(args.lang, args.data, out, args.seed)
    print("corpus:", report["docs"], flush=True)

    if not args.skip_train:
        start = time.monotonic()
        overrides = {
            "paths.train": str(folder / "train.spacy"),
            "paths.dev": str(folder / "valid.spacy"),
        }
        spacy_train(HERE / "configs" / f"{args.lang}.cfg", out / "training", overrides=overrides)
        report["train_seconds"] = round(time.monotonic() - start)

    model = package.strip(
        out / "training" / "model-best", out / f"redactor-ner-{args.lang}", args.lang
    )
    archive = package.archive(model, args.dist / f"redactor-ner-{args.lang}.tar.gz")
    report["archive"] = archive
    report["model_dir_bytes"] = sum(p.stat().st_size for p in model.rglob("*") if p.is_file())
    # English has no corpus split; presidio-research's synthetic set is its outside check.
    presidio = args.data / "presidio-research" / "synth_dataset_v2.json"
    extra = presidio if args.lang == "en" else None
    report["scores"] = evaluate.evaluate(model, folder, presidio=extra)
    if args.baseline:
        scores = evaluate.evaluate(args.baseline, folder, presidio=extra)
        report["baseline"] = {"model": args.baseline, "scores": scores}
    (out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
