"""Builds spaCy DocBins from LeNER-Br, MEDDOCAN and the synthetic generator.

The public corpora are read from the caller's data folder at build time and never copied into
the repository. Labels are reduced to PER/LOC/ORG, the only ones the redactor asks spaCy for.
Because faster-whisper often prints names in lowercase, a share of the sentences that contain
entities get a lowercase copy; LeNER-Br's ALL-CAPS headings always get one, since an ASR never
prints capitals like that.

Output (under OUT/corpus/): train.spacy, valid.spacy (model selection: a held-out slice of the
corpus train split plus synthetic train-split sentences), dev.spacy (the untouched corpus dev
split), synth_eval.jsonl (the synthetic eval split).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
import synth
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import biluo_tags_to_spans, iob_to_biluo

LENER_LABELS = {"PESSOA": "PER", "LOCAL": "LOC", "ORGANIZACAO": "ORG"}
MEDDOCAN_LABELS = {
    "NOMBRE_SUJETO_ASISTENCIA": "PER",
    "NOMBRE_PERSONAL_SANITARIO": "PER",
    "CALLE": "LOC",
    "TERRITORIO": "LOC",
    "PAIS": "LOC",
    "HOSPITAL": "ORG",
    "INSTITUCION": "ORG",
    "CENTRO_SALUD": "ORG",
}
LOWER_SHARE = 0.3
VALID_SHARE = 10  # one corpus train document in VALID_SHARE is held out for model selection
SYNTH_TRAIN = {"pt": 8000, "es": 8000, "en": 12000}
SYNTH_VALID = 600
SYNTH_EVAL = 1500


def read_lener(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """Sentences of (words, BIO tags) from a LeNER-Br CoNLL file (blank line between)."""
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if words:
                yield words, tags
            words, tags = [], []
            continue
        words.append(parts[0])
        tags.append(parts[-1])
    if words:
        yield words, tags


def _map_bio(tag: str) -> str:
    if tag == "O":
        return tag
    prefix, _, label = tag.partition("-")
    mapped = LENER_LABELS.get(label)
    return f"{prefix}-{mapped}" if mapped else "O"


def lener_docs(nlp: Language, path: Path) -> Iterator[Doc]:
    for words, tags in read_lener(path):
        doc = Doc(nlp.vocab, words=words)
        doc.ents = biluo_tags_to_spans(doc, iob_to_biluo([_map_bio(t) for t in tags]))
        yield doc


def _read_ann(path: Path) -> list[tuple[int, int, str]]:
    spans = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        kind, _, _ = line.split("\t")[1].partition(" ")
        label = MEDDOCAN_LABELS.get(kind)
        if label and ";" not in line.split("\t")[1]:
            start, end = line.split("\t")[1].split()[1:3]
            spans.append((int(start), int(end), label))
    return spans


def meddocan_docs(nlp: Language, folder: Path) -> Iterator[Doc]:
    """One Doc per non-empty line of each report (header lines are short, prose lines long)."""
    for txt in sorted(folder.rglob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        spans = _read_ann(txt.with_suffix(".ann"))
        offset = 0
        for line in text.split("\n"):
            start, end = offset, offset + len(line)
            offset = end + 1
            if not line.strip():
                continue
            doc = nlp.make_doc(line)
            ents: list[Span] = []
            for s, e, label in spans:
                if s >= start and e <= end:
                    span = doc.char_span(s - start, e - start, label, alignment_mode="expand")
                    if span is not None:
                        ents.append(span)
            doc.ents = spacy.util.filter_spans(ents)
            yield doc


def synth_docs(nlp: Language, samples: Iterable[synth.Sample]) -> Iterator[Doc]:
    for s in samples:
        doc = nlp.make_doc(s.text)
        ents = [doc.char_span(a, b, lab, alignment_mode="expand") for a, b, lab in s.spans]
        doc.ents = spacy.util.filter_spans([e for e in ents if e is not None])
        yield doc


def is_shouting(doc: Doc) -> bool:
    alpha = [t.text for t in doc if t.is_alpha and len(t) > 1]
    return len(alpha) >= 3 and sum(w.isupper() for w in alpha) / len(alpha) > 0.6


def lowercased(doc: Doc) -> Doc:
    """Same tokens and entities, lowercase text: what the ASR prints for most callers."""
    words = [t.text.lower() for t in doc]
    low = Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])
    low.ents = [Span(low, e.start, e.end, e.label_) for e in doc.ents]
    return low


def augment(docs: Iterable[Doc], rng: random.Random) -> Iterator[Doc]:
    for doc in docs:
        yield doc
        if is_shouting(doc) or (doc.ents and rng.random() < LOWER_SHARE):
            yield lowercased(doc)


def held_out(key: str) -> bool:
    return hashlib.sha256(key.encode()).digest()[0] % VALID_SHARE == 0


def corpus_splits(nlp: Language, lang: str, data: Path) -> tuple[list[Doc], list[Doc], list[Doc]]:
    """(train, valid, dev) docs from the public corpus of the language; en has none."""
    if lang == "pt":
        train = list(lener_docs(nlp, data / "lener-br" / "train.conll"))
        dev = list(lener_docs(nlp, data / "lener-br" / "dev.conll"))
    elif lang == "es":
        train = list(meddocan_docs(nlp, data / "meddocan" / "train"))
        dev = list(meddocan_docs(nlp, data / "meddocan" / "dev"))
    else:
        return [], [], []
    fit = [d for i, d in enumerate(train) if not held_out(f"{lang}-{i}")]
    valid = [d for i, d in enumerate(train) if held_out(f"{lang}-{i}")]
    return fit, valid, dev


def build(lang: str, data: Path, out: Path, seed: int = 0) -> dict[str, int]:
    """Writes the DocBins and the synthetic eval JSONL; returns document counts."""
    nlp = spacy.blank(lang)
    rng = random.Random(seed)
    fit, valid, dev = corpus_splits(nlp, lang, data)
    train = list(augment(fit, rng))
    train += synth_docs(nlp, synth.generate(lang, "train", SYNTH_TRAIN[lang], seed))
    valid += synth_docs(nlp, synth.generate(lang, "train", SYNTH_VALID, seed + 1000))
    rng.shuffle(train)
    folder = out / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for name, docs in (("train", train), ("valid", valid), ("dev", dev)):
        if not docs:
            continue
        DocBin(docs=docs, store_user_data=False).to_disk(folder / f"{name}.spacy")
    with (folder / "synth_eval.jsonl").open("w", encoding="utf-8") as fh:
        for s in synth.generate(lang, "eval", SYNTH_EVAL, seed):
            row = {"text": s.text, "spans": s.spans, "kind": s.kind, "casing": s.casing}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {"train": len(train), "valid": len(valid), "dev": len(dev), "synth_eval": SYNTH_EVAL}
    counts["train_words"] = sum(len(d) for d in train)
    return counts
