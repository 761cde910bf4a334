"""Scores a spaCy pipeline on the corpus dev split and the synthetic eval split.

Matching is by character offsets, so models with other tokenizers (the stock es/en pipelines)
are scored on the same footing. Besides strict entity P/R/F it reports how many gold PER tokens
are covered by any predicted PER: for redaction a partly found name still hides most of it.

    python ner/evaluate.py MODEL_DIR --lang es --corpus ner/build/es/corpus
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import DocBin

# Labels of the stock spaCy pipelines mapped onto ours; anything else is ignored.
LABEL_MAP = {"PERSON": "PER", "PER": "PER", "LOC": "LOC", "GPE": "LOC", "FAC": "LOC", "ORG": "ORG"}
Span3 = tuple[int, int, str]


def predict(nlp: Language, texts: Iterable[str]) -> list[set[Span3]]:
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        ents = {(e.start_char, e.end_char, LABEL_MAP.get(e.label_, "")) for e in doc.ents}
        out.append({e for e in ents if e[2]})
    return out


def prf(gold: list[set[Span3]], pred: list[set[Span3]], label: str) -> dict[str, float]:
    """Strict P/R/F plus token-level PER coverage (share of gold tokens inside a prediction)."""
    tp = fp = fn = 0
    tok_total = tok_hit = 0
    for g, p in zip(gold, pred, strict=True):
        gl = {s for s in g if s[2] == label}
        pl = {s for s in p if s[2] == label}
        tp += len(gl & pl)
        fp += len(pl - gl)
        fn += len(gl - pl)
        for s, e, _ in gl:
            tok_total += 1
            tok_hit += any(ps <= s and e <= pe for ps, pe, _ in pl) or any(
                ps < e and s < pe for ps, pe, _ in pl
            )
    p_ = tp / (tp + fp) if tp + fp else 0.0
    r_ = tp / (tp + fn) if tp + fn else 0.0
    f_ = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
    return {
        "p": round(p_, 4),
        "r": round(r_, 4),
        "f": round(f_, 4),
        "n_gold": tp + fn,
        "overlap_r": round(tok_hit / tok_total, 4) if tok_total else 0.0,
    }


def score_corpus(nlp: Language, dev: Path) -> dict[str, dict[str, float]]:
    docs = list(DocBin().from_disk(dev).get_docs(nlp.vocab))
    gold = [{(e.start_char, e.end_char, e.label_) for e in d.ents} for d in docs]
    pred = predict(nlp, (d.text for d in docs))
    return {lab: prf(gold, pred, lab) for lab in ("PER", "LOC")}


def score_synth(nlp: Language, jsonl: Path) -> dict[str, float]:
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    gold = [{tuple(s) for s in r["spans"]} for r in rows]
    pred = predict(nlp, (r["text"] for r in rows))
    per = prf(gold, pred, "PER")
    low = [i for i, r in enumerate(rows) if "lower" in r["casing"]]
    per_low = prf([gold[i] for i in low], [pred[i] for i in low], "PER")
    neg = [i for i, r in enumerate(rows) if r["kind"] == "neg"]
    fp_neg = sum(any(s[2] == "PER" for s in pred[i]) for i in neg)
    return {
        "per_p": per["p"],
        "per_r": per["r"],
        "per_f": per["f"],
        "per_overlap_r": per["overlap_r"],
        "per_r_lowercase": per_low["r"],
        "neg_sentences": len(neg),
        "neg_per_fp_rate": round(fp_neg / len(neg), 4),
    }


def score_presidio(nlp: Language, path: Path) -> dict[str, dict[str, float]]:
    """PERSON spans of presidio-research's English set, as written and lowercased."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    gold = [
        {
            (s["start_position"], s["end_position"], "PER")
            for s in r["spans"]
            if s["entity_type"] == "PERSON"
        }
        for r in rows
    ]
    out = {}
    for name, texts in (
        ("asis", [r["full_text"] for r in rows]),
        ("lowercase", [r["full_text"].lower() for r in rows]),
    ):
        out[name] = prf(gold, predict(nlp, texts), "PER")
    return out


def evaluate(
    model: Path | str, corpus: Path, with_dev: bool = True, presidio: Path | None = None
) -> dict[str, object]:
    nlp = spacy.load(model)
    out: dict[str, object] = {"synth_eval": score_synth(nlp, corpus / "synth_eval.jsonl")}
    if with_dev and (corpus / "dev.spacy").exists():
        out["corpus_dev"] = score_corpus(nlp, corpus / "dev.spacy")
    if presidio is not None and presidio.exists():
        out["presidio_synth_v2_per"] = score_presidio(nlp, presidio)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--no-dev", action="store_true", help="skip the corpus dev split")
    ap.add_argument("--presidio", type=Path, help="presidio-research synth_dataset_v2.json")
    args = ap.parse_args()
    print(json.dumps(evaluate(args.model, args.corpus, not args.no_dev, args.presidio), indent=2))


if __name__ == "__main__":
    main()
