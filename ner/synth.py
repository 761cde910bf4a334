"""Synthetic call-centre sentences with PER/LOC spans, shaped like faster-whisper output.

The public corpora are legal (LeNER-Br) and clinical (MEDDOCAN) prose; callers say "meu nome é
maria da silva" in lowercase with no punctuation. This module fills hand-written templates with
Faker names and addresses, varies the casing the way an ASR prints it, and mixes in many
entity-free agent phrases so the model learns that "Oi", "Hola" or "Claro" are not people.

Train and eval splits use disjoint templates *and* disjoint first-name/surname pools (each name
is hashed to a split), so eval scores measure generalisation, not memorisation.

    python ner/synth.py --lang pt --split eval -n 5
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import random
import re
from dataclasses import dataclass, field
from functools import cache

from faker import Faker
from templates import FRAGMENTS, TEMPLATES

LOCALES = {"pt": ["pt_BR"], "es": ["es_ES", "es_MX"], "en": ["en_US"]}
# Name pools are wider than the address locales: Brazilian callers' names are not limited to
# pt_BR's short lists, and a wider pool pushes the model to use context, not memorised names.
NAME_LOCALES = {"pt": ["pt_BR", "pt_PT"], "es": ["es_ES", "es_MX"], "en": ["en_US", "en_GB"]}
SPLITS = ("train", "eval")
EVAL_SHARE = 5  # one name in EVAL_SHARE goes to the eval pool
PUNCT = re.compile(r"[.,!?¿¡;:]")
SLOT = re.compile(r"\{([A-Z]+)\}")

Segment = tuple[str, str | None]  # text, entity label or None

TITLES = {
    "pt": {"f": ["Sra.", "Dona", "Dra.", "senhora"], "m": ["Sr.", "Seu", "Dr.", "senhor"]},
    "es": {"f": ["Sra.", "Doña", "Dra.", "señora"], "m": ["Sr.", "Don", "Dr.", "señor"]},
    "en": {"f": ["Mrs.", "Ms.", "Miss", "Dr."], "m": ["Mr.", "Dr."]},
}
TITLE_WORDS = {t.casefold() for sexes in TITLES.values() for ts in sexes.values() for t in ts} | {
    "doutor",
    "doutora",
    "doña",
    "don",
    "seu",
    "dona",
    "ms.",
    "mrs.",
}
PARTICLES = {"pt": ["da", "de", "dos", "do", "das"], "es": ["de", "del", "de la", "de los"]}
MONTHS = {
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro"
    " dezembro",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre"
    " diciembre",
    "en": "January February March April May June July August September October November December",
}


@dataclass
class Sample:
    """One sentence with character spans; kind is "per", "loc" or "neg" (no entity)."""

    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    kind: str = "neg"
    casing: str = "asis"


def name_split(name: str) -> str:
    """Stable split of a name, so the same name never lands in both train and eval."""
    digest = hashlib.sha256(name.casefold().encode()).digest()
    return "eval" if digest[0] % EVAL_SHARE == 0 else "train"


@cache
def name_pools(lang: str, split: str) -> dict[str, list[str]]:
    """Faker's first-name (by sex) and surname lists for the language, keeping one split."""
    pools: dict[str, set[str]] = {"f": set(), "m": set(), "last": set()}
    for loc in NAME_LOCALES[lang]:
        prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        pools["f"].update(prov.first_names_female)
        pools["m"].update(prov.first_names_male)
        pools["last"].update(prov.last_names)
    return {k: sorted(n for n in v if name_split(n) == split) for k, v in pools.items()}


@cache
def lorem_words(lang: str) -> list[str]:
    """Faker's lorem word list for the language minus anything in its name pools."""
    names = {n.casefold() for sp in SPLITS for pool in name_pools(lang, sp).values() for n in pool}
    words: set[str] = set()
    for loc in LOCALES[lang]:
        words.update(importlib.import_module(f"faker.providers.lorem.{loc}").Provider.word_list)
    return sorted(w for w in words if w.casefold() not in names)


class Generator:
    """Renders templates for one language and split, deterministically from a seed."""

    def __init__(self, lang: str, split: str, seed: int) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}")
        self.lang, self.split = lang, split
        self.rng = random.Random(f"{lang}-{split}-{seed}")
        self.fakers = [Faker(loc) for loc in LOCALES[lang]]
        for i, fk in enumerate(self.fakers):
            fk.seed_instance(seed * 31 + i)
        self.pools = name_pools(lang, split)
        self.templates = TEMPLATES[lang][split]
        self.fragments = FRAGMENTS[lang] if split == "train" else {}
        self.lorem = lorem_words(lang) if "lorem" in self.fragments else []
        negs = self.templates["neg"] + self.fragments.get("neg", [])
        self.openers = [t for t in negs if "{" not in t]

    # -- names -------------------------------------------------------------------------------
    def _surname(self) -> str:
        last = self.rng.choice(self.pools["last"])
        parts = PARTICLES.get(self.lang)
        if parts and " " not in last and self.rng.random() < 0.2:
            last = f"{self.rng.choice(parts)} {last}"
        return last

    def _name(self, sex: str, form: str) -> str:
        first = self.rng.choice(self.pools[sex])
        if form == "first":
            return first
        if self.rng.random() < 0.15:
            first = f"{first} {self.rng.choice(self.pools[sex])}"
        surnames = [self._surname()]
        two = {"es": 0.65, "pt": 0.4}.get(self.lang, 0.05)
        if self.rng.random() < two:
            surnames.append(self._surname())
        if form == "last":
            return " ".join(surnames)
        return " ".join([first, *surnames])

    def _person(self, slot: str) -> list[Segment]:
        sex = self.rng.choice("fm")
        if slot == "FIRST":
            return [(self._name(sex, "first"), "PER")]
        if slot == "PER":
            form = "first" if self.rng.random() < 0.25 else "full"
            return [(self._name(sex, form), "PER")]
        title = self.rng.choice(TITLES[self.lang][sex])
        form = self.rng.choice(["first", "full", "last"])
        return [(title + " ", None), (self._name(sex, form), "PER")]

    # -- other slots -------------------------------------------------------------------------
    def _place(self, slot: str) -> str:
        fk = self.rng.choice(self.fakers)
        if slot == "STREET":
            if self.lang == "en":
                return fk.street_address()
            sep = ", " if self.lang == "pt" else " "
            return f"{fk.street_name()}{sep}{fk.building_number()}"
        if slot == "CITY":
            return fk.city()
        if slot == "DISTRICT":
            return fk.bairro() if hasattr(fk, "bairro") else fk.city()
        return fk.state()

    def _filler(self, slot: str) -> str:
        r, lang = self.rng, self.lang
        n = r.choice([r.randint(10, 99), r.randint(100, 999), r.randint(1000, 4999)])
        if slot == "AMOUNT":
            cents = f"{r.randint(0, 99):02d}"
            short = {"pt": f"R$ {n},{cents}", "es": f"{n},{cents} euros", "en": f"${n}.{cents}"}
            spoken = {"pt": f"{n} reais", "es": f"{n} pesos", "en": f"{n} dollars"}
            return (short if r.random() < 0.5 else spoken)[lang]
        if slot == "DATE":
            day, month = r.randint(1, 28), r.choice(MONTHS[lang].split())
            return f"{month} {day}" if lang == "en" else f"{day} de {month}"
        if slot == "TIME":
            return f"{r.randint(8, 18)}:{r.choice(['00', '15', '30', '45'])}"
        if slot == "PCT":
            return f"{r.randint(5, 50)}%"
        return str(r.randint(10**5, 10**9))

    def _render(self, template: str) -> list[Segment]:
        segs: list[Segment] = []
        pos = 0
        for m in SLOT.finditer(template):
            segs.append((template[pos : m.start()], None))
            slot = m.group(1)
            if slot in ("PER", "TPER", "FIRST"):
                segs.extend(self._person(slot))
            elif slot in ("STREET", "CITY", "STATE", "DISTRICT"):
                segs.append((self._place(slot), "LOC"))
            else:
                segs.append((self._filler(slot), None))
            pos = m.end()
        segs.append((template[pos:], None))
        return segs

    # -- whole samples -----------------------------------------------------------------------
    def _template(self, kind: str) -> str:
        if kind == "combo":
            pre = self.rng.choice(self.fragments["pre"])
            post = self.rng.choice(self.fragments["post"])
            slot = self.rng.choice(["{PER}", "{PER}", "{FIRST}", "{TPER}"])
            if pre.split()[-1].casefold() in TITLE_WORDS:
                slot = "{PER}"
            return f"{pre} {slot}{post}"
        if kind == "lorem":
            size = self.rng.randint(3, 12)
            return self.fakers[0].sentence(nb_words=size, ext_word_list=self.lorem)
        if kind == "contrast":
            pre = self.rng.choice(self.fragments["pre"])
            post = self.rng.choice(self.fragments["post"])
            return f"{pre} {self.rng.choice(self.fragments['contrast'])}{post}"
        if kind == "neg" and self.fragments and self.rng.random() < 0.3:
            return self.rng.choice(self.fragments["neg"])
        return self.rng.choice(self.templates[kind])

    def sample(self, kind: str) -> Sample:
        segs = self._render(self._template(kind))
        if self.rng.random() < 0.25:
            segs = [(self.rng.choice(self.openers) + " ", None), *segs]
        if self.rng.random() < 0.1:
            segs = [*segs, (" " + self.rng.choice(self.openers), None)]
        casing = self.rng.choices(
            ["asis", "lower", "nopunct", "lower_nopunct"], weights=[45, 35, 10, 10]
        )[0]
        text, spans = assemble(recase(segs, casing))
        public = {"combo": "per", "contrast": "neg", "lorem": "neg"}.get(kind, kind)
        return Sample(text, spans, public, casing)

    def generate(self, n: int) -> list[Sample]:
        names = ["per", "combo", "loc", "neg"]
        weights = [30, 25, 12, 33] if self.fragments else [50, 0, 15, 35]
        if "contrast" in self.fragments:
            names, weights = [*names, "contrast"], [*weights, 12]
        if self.lorem:
            names, weights = [*names, "lorem"], [*weights, 15]
        kinds = self.rng.choices(names, weights=weights, k=n)
        return [self.sample(k) for k in kinds]


def recase(segs: list[Segment], casing: str) -> list[Segment]:
    """Applies ASR-like casing/punctuation loss to every segment, entities included."""
    out = []
    if "lower" not in casing and segs and segs[0][1] is None:
        segs = [(segs[0][0][:1].upper() + segs[0][0][1:], None), *segs[1:]]
    for text, label in segs:
        if "lower" in casing:
            text = text.lower()
        if "nopunct" in casing:
            text = PUNCT.sub("", text)
        out.append((text, label))
    return out


def assemble(segs: list[Segment]) -> tuple[str, list[tuple[int, int, str]]]:
    """Joins segments, collapsing runs of spaces, and returns stripped entity offsets."""
    chars: list[str] = []
    spans = []
    for text, label in segs:
        start = len(chars)
        for ch in text:
            if ch == " " and (not chars or chars[-1] == " "):
                continue
            chars.append(ch)
        if label:
            s, e = start, len(chars)
            while s < e and chars[s] == " ":
                s += 1
            while e > s and chars[e - 1] == " ":
                e -= 1
            if e > s:
                spans.append((s, e, label))
    text = "".join(chars).rstrip()
    return text, [(s, min(e, len(text)), lab) for s, e, lab in spans]


def generate(lang: str, split: str, n: int, seed: int = 0) -> list[Sample]:
    """n samples for a language and split; same arguments, same samples."""
    return Generator(lang, split, seed).generate(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=sorted(LOCALES), default="pt")
    ap.add_argument("--split", choices=SPLITS, default="train")
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    for s in generate(args.lang, args.split, args.n, args.seed):
        marks = " | ".join(f"{s.text[a:b]}={lab}" for a, b, lab in s.spans)
        print(f"[{s.kind}/{s.casing}] {s.text}  ->  {marks}")


if __name__ == "__main__":
    main()
