"""Light commands must not load the speech and NLP stack: `redactor --help`, `keys`,
`verify`, `config show` are what an operator types on the nightly host, and cron's
`verify` should not pay 2 s and 150 MB for models it never uses (start-up time and memory
are measured by `make bench`; here, which modules load)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "spacy",
    "presidio_analyzer",
    "presidio_anonymizer",
    "faster_whisper",
    "ctranslate2",
    "onnxruntime",
    "av",
    "soundfile",
    "numpy",
    "text_to_num",
    "boto3",
    "ray",
)
PROBE = """
import json, sys
from redactor.cli import main
sys.argv = ["redactor", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = set(json.loads(HEAVY))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def loaded(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace("HEAVY", repr(json.dumps(HEAVY))), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("light") / "keys"
    assert loaded("keys", "new", str(folder)) == []
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["config", "show"],
        ["verify", "{store}", "--writer-key", "{keys}/writer.key", "--key", "{keys}/reviewer.key"],
        ["purge", "{store}", "--older-than", "90d", "--writer-key", "{keys}/writer.key"],
    ],
)
def test_light_commands_load_no_heavy_module(args: list[str], keys: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    filled = [a.format(store=store, keys=keys) for a in args]
    assert loaded(*filled) == []


def test_the_probe_sees_heavy_modules(tmp_path: Path) -> None:
    """The probe itself works: `text` does load the NLP stack."""
    source = tmp_path / "note.txt"
    source.write_text("hello", encoding="utf-8")
    assert "presidio_analyzer" in loaded("text", str(source), "--language", "en")
