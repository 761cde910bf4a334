"""The command-line contract: outputs, their schema and modes, exit codes, no PII leaking.

Whisper is replaced by a fake that returns fixed words (the real model runs in test_e2e.py).
"""

from __future__ import annotations

import json
import logging
import stat
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from redactor import fs, outputs
from redactor.detection import Detector
from redactor.types import Entity
from tests.conftest import (
    CANARIES,
    CPF,
    SSN,
    FakeTranscriber,
    call,
    redactor,
    run_folder,
    words_from,
)

SCHEMAS = Path(outputs.__file__).parent / "schemas"  # redactor/schemas


def test_run_writes_the_four_outputs(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = call(tmp_path, "sub/call.wav")
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "--language", "pt")
    assert code == 0, err
    out = tmp_path / "out" / "sub"
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "call.bleeps.json",
        "call.redacted.json",
        "call.redacted.txt",
        "call.redacted.wav",
    ]
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    transcript = json.loads((out / "call.redacted.json").read_text())
    jsonschema.validate(transcript, json.loads((SCHEMAS / "transcript.schema.json").read_text()))
    assert transcript["text"] == "Meu CPF é <BR_CPF>. Custa 150 reais."
    assert (out / "call.redacted.txt").read_text() == transcript["text"] + "\n"
    [entity] = transcript["entities"]
    assert entity["type"] == "BR_CPF" and (entity["word_start"], entity["word_end"]) == (3, 4)
    assert transcript["words"][3] == {
        "start": 1.1,
        "end": 2.9,
        "text": "<BR_CPF>.",
        "probability": 0.9,
        "channel": None,
        "redacted": True,
    }

    bleeps = json.loads((out / "call.bleeps.json").read_text())
    jsonschema.validate(bleeps, json.loads((SCHEMAS / "bleeps.schema.json").read_text()))
    assert bleeps["audio"] == {"duration": 5.0, "sample_rate": 8000, "channels": 1}
    # the CPF word (1.1-2.9) reaching to its neighbours (1.0, 3.2), padded by 0.15 s
    assert bleeps["bleeps"] == [
        {"start": 0.85, "end": 3.35, "entity": "BR_CPF", "score": 1.0, "channel": None}
    ]
    assert source.exists()


def test_no_pii_in_outputs_logs_or_temp_files(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake["transcriber"] = FakeTranscriber(
        words_from(
            [
                ("my", 0.1, 0.2),
                ("ssn", 0.3, 0.5),
                ("is", 0.6, 0.7),
                (SSN, 0.8, 2.0),
                ("and", 2.1, 2.2),
                ("cpf", 2.3, 2.5),
                (CPF, 2.6, 4.0),
            ]
        ),
        "en",
    )
    call(tmp_path)
    code, out, err = redactor(
        monkeypatch,
        capsys,
        "--verbose",
        "run",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--language",
        "en",
    )
    assert code == 0
    written = list((tmp_path / "out").rglob("*"))
    assert not [p for p in written if p.name.startswith(".redactor-")]  # no temp files left
    for canary in CANARIES:
        assert canary not in out + err
        for path in written:
            if path.is_file():
                assert canary.encode() not in path.read_bytes(), (canary, path.name)


@pytest.mark.parametrize(("operator", "shown"), [("mask", "**************."), ("tag", "<BR_CPF>.")])
def test_operator_flag(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    operator: str,
    shown: str,
) -> None:
    call(tmp_path)
    code, _, _ = run_folder(monkeypatch, capsys, tmp_path, "--operator", operator)
    assert code == 0
    words = json.loads((tmp_path / "out" / "call.redacted.json").read_text())["words"]
    assert words[3]["text"] == shown


def test_bad_file_fails_alone(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path, "good.wav")
    (tmp_path / "in" / "bad.wav").write_bytes(b"")
    (tmp_path / "in" / "notes.txt").write_text("not an input: wrong extension")
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 1
    assert "bad.wav: the file is empty" in err
    assert "1 of 2 files" in err
    assert (tmp_path / "out" / "good.redacted.wav").exists()
    assert not list((tmp_path / "out").glob("bad*"))


@pytest.mark.parametrize("names", [True, False])
def test_symlink_loop_fails_alone(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    names: bool,
) -> None:
    call(tmp_path, "good.wav")
    (tmp_path / "in" / "a.wav").symlink_to("b.wav")
    (tmp_path / "in" / "b.wav").symlink_to("a.wav")
    args = ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
    code, _, err = redactor(monkeypatch, capsys, *args, *(["--names"] if names else []))
    err = " ".join(err.split())
    assert code == 1
    assert err.count("cannot read the") == 2 and "Too many levels of symbolic links" in err
    if names:
        assert "a.wav: cannot read" in err and "b.wav: cannot read" in err
    assert "1 of 3 files" in err
    assert (tmp_path / "out" / "good.redacted.wav").exists()


def test_file_names_are_not_read_as_markup(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With --names a file name is printed as it is: "[red]" or "[1]" in it is no markup."""
    call(tmp_path, "call [1] [bold]x[/bold].wav")
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 0, err
    assert "ok call [1] [bold]x[/bold].wav:" in " ".join(err.split())


def test_stderr_holds_only_our_lines(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    """Native decoders (libmpg123 in libsndfile, ffmpeg) write to fd 2 themselves: none of
    it may reach the run's stderr, which is ours (log collectors parse it)."""
    import numpy as np

    call(tmp_path, "good.wav")
    (tmp_path / "in" / "noise.mp3").write_bytes(np.random.default_rng(7).bytes(20_000))
    code, _, err = run_folder(monkeypatch, capfd, tmp_path)
    assert code == 1
    lines = err.splitlines()
    assert "failed noise.mp3: not a readable audio file (format not recognised" in err
    ours = ("ok good.wav:", "failed noise.mp3:", "progress:", "1 of 2", "1 file(s) failed")
    assert [line for line in lines if not line.startswith(ours)] == []


def test_internal_error_is_reported_without_its_message(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="redactor")
    call(tmp_path, "a.wav")
    call(tmp_path, "b.wav")
    real = Detector.analyze
    first = True

    def crash(self: Detector, text: str, language: str) -> list[Entity]:
        nonlocal first
        if language == "pt" and first:
            first = False
            raise ValueError(f"cannot parse {CPF}")  # a library quoting the text it choked on
        return real(self, text, language)

    monkeypatch.setattr(Detector, "analyze", crash)
    code, out, err = redactor(
        monkeypatch,
        capsys,
        "--verbose",
        "run",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "out"),
        "--names",
    )
    assert code == 1 and "a.wav: internal error (ValueError)" in err
    assert "failure on input 0 (ValueError)" in caplog.text  # the debug log has the frames
    assert CPF not in out + err + caplog.text
    assert (tmp_path / "out" / "b.redacted.json").exists()


def test_colliding_outputs_fail_closed(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path, "a.wav")
    call(tmp_path, "a.flac")
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 1 and "would overwrite" in err


def test_outputs_inside_the_input_folder_are_not_inputs(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path)
    for _ in range(2):
        code, _, err = redactor(
            monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(tmp_path / "in" / "out")
        )
        assert code == 0 and "1 of 1 files" in err


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--out", "x"],  # no input
        ["run", "missing.wav", "--out", "x"],  # input not found
        ["run", "IN"],  # no --out
        ["run", "IN", "--out", "x", "--language", "fr"],
        ["run", "IN", "--out", "x", "--bleep", "loud"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    source = call(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [str(source) if a == "IN" else a for a in args]
    code, _, _ = redactor(monkeypatch, capsys, *args)
    assert code == 2


def test_unwritable_output_is_a_usage_error(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the output folder should go")
    code, _, err = redactor(
        monkeypatch, capsys, "run", str(call(tmp_path)), "--out", str(blocker / "out")
    )
    assert code == 2 and "cannot create the output folder" in err


def test_write_failure_fails_that_file_only(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path, "a.wav")
    call(tmp_path, "b.wav")
    real = fs.write_atomic  # what outputs.write_atomic is

    def full_disk(path: Path, data: bytes) -> None:
        if path.name.startswith("a."):
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(outputs, "write_atomic", full_disk)
    code, _, err = run_folder(monkeypatch, capsys, tmp_path)
    assert code == 1 and "a.wav: cannot write outputs (No space left on device)" in err
    assert (tmp_path / "out" / "b.redacted.json").exists()


def test_empty_folder_is_a_usage_error(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = redactor(monkeypatch, capsys, "run", str(tmp_path / "empty"), "--out", "x")
    assert code == 2 and "no audio files" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("language = 'fr'", "language must be one of"),
        ("nonsense = 1", "unknown setting"),
        ("padding = 'wide'", "wrong type"),
        ("padding = [", "not valid TOML"),
        ("hash_salt = 'short'", "at least 16 bytes"),
        ("recover = 'yes'", "wrong type"),
        ("[reliability]\nnonsense = 1", "unknown setting(s) in [reliability]"),
        ("[reliability]\ndoubtful_run = -1", "wrong type or sign"),
        ("[reliability]\ndoubtful_run = 'four'", "wrong type or sign"),
        ("[reliability]\ndegraded_logprob = 'low'", "wrong type or sign"),
        ("[reliability]\ndegraded_share = 0.6", "degraded_share <= unusable_share"),
    ],
)
def test_bad_config_exits_78(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    config_file = tmp_path / "redactor.toml"
    config_file.write_text(content)
    code, _, err = redactor(
        monkeypatch, capsys, "run", str(call(tmp_path)), "--out", "x", "--config", str(config_file)
    )
    assert code == 78 and message in err


def test_missing_model_exits_78(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REDACTOR_MODELS_DIR", str(tmp_path / "nowhere"))
    code, _, err = redactor(
        monkeypatch, capsys, "run", str(call(tmp_path)), "--out", str(tmp_path / "out")
    )
    assert code == 78 and "make models" in err


def test_config_file_and_flags(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config_file = tmp_path / "redactor.toml"
    config_file.write_text("language = 'es'\npadding = 0.5\noperator = 'mask'\n")
    code, out, _ = redactor(monkeypatch, capsys, "config", "--config", str(config_file))
    shown = json.loads(out)
    assert code == 0 and (shown["language"], shown["padding"], shown["operator"]) == (
        "es",
        0.5,
        "mask",
    )
    call(tmp_path)
    code, _, _ = run_folder(
        monkeypatch, capsys, tmp_path, "--config", str(config_file), "--padding", "0"
    )
    bleeps = json.loads((tmp_path / "out" / "call.bleeps.json").read_text())["bleeps"]
    [cpf] = [b for b in bleeps if b["entity"] == "BR_CPF"]
    assert code == 0 and cpf["start"] == 1.0  # the flag's padding (0) beat the file's


def test_auto_language_warns(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "run",
        str(call(tmp_path)),
        "--out",
        str(tmp_path / "out"),
        "--language",
        "auto",
    )
    assert code == 0 and "unreliable" in err


def test_text_plain(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "t.txt"
    source.write_text(f"Meu CPF é {CPF}.\n")
    code, out, _ = redactor(monkeypatch, capsys, "text", str(source), "--language", "pt")
    assert code == 0 and out == "Meu CPF é <BR_CPF>.\n"


def test_text_jsonl(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = [{"text": f"my ssn is {SSN}"}, {"text": "nothing here"}, {"text": f"cpf {CPF} ok"}]
    source = tmp_path / "t.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, _ = redactor(monkeypatch, capsys, "text", str(source), "--language", "en", "--jsonl")
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 3
    assert records[0]["text"] == "my ssn is <US_SSN>" and records[1]["entities"] == []
    for line, record in zip(lines, records, strict=True):
        for entity in record["entities"]:
            assert line["text"][entity["start"] : entity["end"]] in (SSN, CPF)
            assert set(entity) == {"type", "start", "end", "score"}


def test_text_jsonl_bad_line(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "t.jsonl"
    source.write_text('{"text": "ok"}\n{"txt": "secret 536-90-4399"}\n')
    code, _, err = redactor(monkeypatch, capsys, "text", str(source), "--language", "en", "--jsonl")
    assert code == 2 and "line 2" in err and SSN not in err


@pytest.mark.parametrize("command", [[], ["run"], ["text"], ["config"]])
def test_help_is_complete(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, out, _ = redactor(monkeypatch, capsys, *command, "--help")
    assert code == 0 and "Usage" in out
    if command == ["run"]:
        for option in ("--out", "--language", "--config", "--operator", "--bleep", "--padding"):
            assert option in out


def test_messages_name_inputs_by_content_hash_by_default(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import hashlib

    source = call(tmp_path, "+55 11 98765-4321.wav")
    (tmp_path / "in" / "bad 98765-1111.wav").write_bytes(b"")
    code, out, err = redactor(
        monkeypatch, capsys, "run", str(tmp_path / "in"), "--out", str(tmp_path / "out")
    )
    assert code == 1
    assert "98765" not in out + err
    assert f"input {hashlib.sha256(source.read_bytes()).hexdigest()[:12]}" in err


def test_messages_are_not_wrapped_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    """Rich wraps at 80 columns; a log file or journald would get one error as two lines."""
    import os
    import subprocess

    missing = tmp_path / ("a-folder-whose-name-is-long-enough-to-pass-eighty-columns" * 2) / "x.wav"
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-m", "redactor", "run", str(missing), "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr == f"error: input not found: {missing}\n"


def json_lines(err: str) -> list[dict[str, Any]]:
    """Every line of stderr, each of which must be a JSON object."""
    return [json.loads(line) for line in err.splitlines()]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", "missing.wav", "--out", "x"], 2, "input not found: missing.wav"),
        (["run", "IN", "--out", "x", "--bleep", "loud"], 2, "bleep must be one of"),
        (["run", "--out", "x"], 2, "Missing argument"),  # click's own
        (["nonsense"], 2, "No such command 'nonsense'"),
        (["run", "IN", "--out", "x", "--config", "BAD"], 78, "not valid TOML"),
    ],
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_errors_are_json_lines_with_log_json(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
    where: str,
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("padding = [")
    monkeypatch.chdir(tmp_path)
    args = [{"IN": str(call(tmp_path)), "BAD": str(bad)}.get(a, a) for a in args]
    args = ["--log-json", *args] if where == "before" else [*args, "--log-json"]
    exit_code, _, err = redactor(monkeypatch, capsys, *args)
    [record] = json_lines(err)
    assert exit_code == code
    assert record["event"] == "error" and record["exit_code"] == code
    assert message in record["message"] and isinstance(record["time"], float)


def test_warnings_are_json_lines_with_log_json(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    call(tmp_path)
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "--language", "auto", "--log-json")
    [warning] = [r for r in json_lines(err) if r["event"] == "warning"]
    assert code == 0 and "unreliable" in warning["message"]


def test_log_json_and_verbose_after_the_command(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    redactor_log = logging.getLogger("redactor")
    monkeypatch.setattr(redactor_log, "level", redactor_log.level)  # restored after the test
    call(tmp_path, "good.wav")
    (tmp_path / "in" / "bad.wav").write_bytes(b"")
    code, _, err = run_folder(monkeypatch, capsys, tmp_path, "--log-json", "-v")
    assert code == 1
    records = json_lines(err)
    assert {r["event"] for r in records} == {"file", "progress", "summary"}
    assert {r["input"]: r["status"] for r in records if r["event"] == "file"} == {
        "bad.wav": "failed",
        "good.wav": "ok",
    }
    assert redactor_log.level == logging.DEBUG


def test_help_lists_every_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every code the library can exit with: the EXIT_* constants and every error class's
    (the modules that define error classes of their own imported, so the test does not
    depend on what other tests imported before it)."""
    from redactor import backends, errors, lock

    def subclasses(cls: type[errors.RedactorError]) -> list[type[errors.RedactorError]]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    assert {backends.BackendUnavailable, lock.LockedError} <= set(subclasses(errors.RedactorError))

    codes = {v for k, v in vars(errors).items() if k.startswith("EXIT_")}
    codes |= {cls.exit_code for cls in subclasses(errors.RedactorError)}
    assert {0, 1, 2, 75, 78} <= codes
    _, out, _ = redactor(monkeypatch, capsys, "--help")
    listed = " ".join(out.split())
    for code in sorted(codes):
        assert f" {code} " in listed, code
