"""Every setting is documented: in docs/configuration.md's example file and in
`redactor config --help`, so a new setting cannot be added silently."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from redactor.config import Config, Reliability

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = [f.name for f in dataclasses.fields(Config)]
THRESHOLDS = [f.name for f in dataclasses.fields(Reliability)]


def documented(table: str = "") -> set[str]:
    """The keys of the example file's top level, or of its ``[table]``; a table is a key."""
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    block = text.split("```toml", 1)[1].split("```", 1)[0]
    tables = re.split(r"^\[([a-z_]+)\]$", block, flags=re.MULTILINE)
    parts = {"": tables[0], **dict(zip(tables[1::2], tables[2::2], strict=True))}
    # a setting with no value by default is shown commented out ("# degraded_logprob = ")
    keys = set(re.findall(r"^(?:# )?([a-z0-9_]+) *=", parts[table], flags=re.MULTILINE))
    return keys | (set(tables[1::2]) if not table else set())


@pytest.fixture(scope="module")
def config_help() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "redactor", "config", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
        check=True,
    )
    return " ".join(done.stdout.split())


@pytest.mark.parametrize("name", SETTINGS)
def test_every_setting_is_documented(name: str, config_help: str) -> None:
    assert name in documented()
    assert re.search(rf"\b{name}\b", config_help)


def test_the_docs_name_no_setting_that_does_not_exist() -> None:
    assert documented() <= set(SETTINGS)
    assert documented("reliability") == set(THRESHOLDS)


def test_the_example_file_is_a_valid_config(tmp_path: Path) -> None:
    """Every value the docs show loads (booleans and the [reliability] table included)."""
    from redactor.config import load_config

    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = tmp_path / "redactor.toml"
    example.write_text(text.split("```toml", 1)[1].split("```", 1)[0], encoding="utf-8")
    config = load_config(example)
    assert config.keep_original is False and config.recover is True
    assert config.reliability == Reliability()
