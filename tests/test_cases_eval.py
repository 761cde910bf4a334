"""The committed labelled test set: reproducible from its generator, and within the targets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from redactor.config import Config
from redactor.evaluate import TextReport, load_cases, score_text
from redactor.pipeline import Pipeline
from tests.conftest import SAMPLES

CASES = SAMPLES / "cases" / "numbers.jsonl"
NAME_CASES = SAMPLES / "cases" / "names.jsonl"


def test_committed_cases_are_what_the_generator_makes() -> None:
    spec = importlib.util.spec_from_file_location("make_cases", SAMPLES / "make_cases.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    assert module.make(seed=7, per_form=3) == committed


def load_generator(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_name_cases_are_what_the_generator_makes() -> None:
    committed = [json.loads(line) for line in NAME_CASES.read_text(encoding="utf-8").splitlines()]
    assert load_generator("make_name_cases").make(seed=11, per_template=4) == committed


@pytest.fixture(scope="module")
def report(models_dir: Path) -> TextReport:
    pipeline = Pipeline(Config(models_dir=models_dir))
    return score_text(load_cases(CASES), pipeline.redact_text)


@pytest.mark.parametrize("language", ["pt", "es", "en"])
def test_numeric_leaks_at_most_one_percent(report: TextReport, language: str) -> None:
    tallies = [t for (lang, _), t in report.by_type.items() if lang == language]
    items = sum(t.items for t in tallies)
    assert items >= 90
    assert sum(t.leaked for t in tallies) / items <= 0.01


@pytest.mark.parametrize("language", ["pt", "es", "en"])
def test_over_redaction_at_most_three_percent(report: TextReport, language: str) -> None:
    assert report.over_redaction(language) <= 0.03


@pytest.fixture(scope="module")
def name_report(models_dir: Path) -> TextReport:
    pipeline = Pipeline(Config(models_dir=models_dir))
    return score_text(load_cases(NAME_CASES), pipeline.redact_text)


@pytest.mark.parametrize("language", ["pt", "es", "en"])
@pytest.mark.parametrize(("entity", "limit"), [("PERSON", 0.05), ("EMAIL_ADDRESS", 0.02)])
def test_name_and_email_leaks(
    name_report: TextReport, language: str, entity: str, limit: float
) -> None:
    tally = name_report.by_type[(language, entity)]
    assert tally.items >= 20
    assert tally.leaked / tally.items <= limit


@pytest.mark.parametrize("language", ["pt", "es", "en"])
def test_name_cases_over_redaction(name_report: TextReport, language: str) -> None:
    assert name_report.over_redaction(language) <= 0.03
