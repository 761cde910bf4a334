"""The store from the command line: keys new, run --store, verify, show, export, purge,
rewrap; exit codes for wrong or loose keys; no canary value anywhere a byte was written.
Whisper is the fake of test_cli.py; the store is a local folder and a real S3 server."""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

import pytest

from tests.conftest import (
    CANARIES,
    PHONE_PIECES,
    FakeTranscriber,
    call,
    redactor,
    s3_environment,
    stored,
)
from tests.s3server import S3Server

NAME = "+55 11 98765-4321.wav"  # a file name with a phone number in it
NAME_CANARIES = PHONE_PIECES


@pytest.fixture(params=["local", "s3"])
def store_uri(request: pytest.FixtureRequest, tmp_path: Path, aws_env: pytest.MonkeyPatch) -> str:
    if request.param == "local":
        return str(tmp_path / "store")
    server = request.getfixturevalue("s3_server")
    s3_environment(server, aws_env)
    return f"s3://{server.bucket}/cli-{os.urandom(4).hex()}"


def every_stored_byte(store_uri: str) -> bytes:
    from redactor.backends import open_backend

    backend = open_backend(store_uri)
    return b"".join(backend.get(n) + n.encode() for n in backend.list())


def test_keys_new_makes_a_pair_and_a_writer_secret(keys: Path) -> None:
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in keys.iterdir()}
    assert modes == {"reviewer.key": 0o600, "reviewer.pub": 0o644, "writer.key": 0o600}


def test_store_workflow_and_canaries(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    store_uri: str,
    keys: Path,
) -> None:
    call(tmp_path, NAME)
    seen = []
    before = set(os.listdir(tempfile.gettempdir()))
    code, out, err = stored(monkeypatch, capsys, tmp_path, store_uri, keys)
    seen.append(out + err)
    assert code == 0, err

    key, writer = str(keys / "reviewer.key"), str(keys / "writer.key")
    code, out, err = redactor(
        monkeypatch, capsys, "verify", store_uri, "--key", key, "--writer-key", writer
    )
    seen.append(out + err)
    assert code == 0 and "1 calls, 5 objects, 1 audit events: ok" in err, err

    export = tmp_path / "export"
    code, out, err = redactor(
        monkeypatch,
        capsys,
        "export",
        store_uri,
        "--to",
        str(export),
        "--key",
        key,
        "--writer-key",
        writer,
    )
    assert code == 0, err
    text = (export / NAME.replace(".wav", ".redacted.txt")).read_text()
    assert "<BR_CPF>" in text

    # every byte written into the store, and every message, is free of the canaries
    everything = every_stored_byte(store_uri)
    for canary in CANARIES + NAME_CANARIES:
        assert canary.encode() not in everything, canary
        for messages in seen:
            assert canary not in messages
    for name in set(os.listdir(tempfile.gettempdir())) - before:  # names and contents
        assert not any(c in name for c in NAME_CANARIES)
        path = Path(tempfile.gettempdir()) / name
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        for file in files:
            data = file.read_bytes()
            assert not any(c.encode() in data for c in CANARIES + NAME_CANARIES), file

    from redactor.backends import open_backend

    (manifest,) = open_backend(store_uri).list("manifest/")
    call_id = Path(manifest).stem
    assert f"call {call_id}" in seen[0]  # the console names the call by its id
    code, out, err = redactor(
        monkeypatch,
        capsys,
        "show",
        store_uri,
        call_id,
        "--key",
        key,
        "--writer-key",
        writer,
    )
    assert code == 0 and "<BR_CPF>" in out, err

    code, out, err = redactor(
        monkeypatch, capsys, "purge", store_uri, "--older-than", "0m", "--writer-key", writer
    )
    assert code == 0 and "purged 1 calls" in err
    code, _, err = redactor(
        monkeypatch, capsys, "verify", store_uri, "--key", key, "--writer-key", writer
    )
    assert code == 0 and "0 calls, 0 objects, 4 audit events: ok" in err, err


def test_wrong_key_is_a_clear_error(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    store_uri = str(tmp_path / "store")
    assert stored(monkeypatch, capsys, tmp_path, store_uri, keys)[0] == 0
    other = tmp_path / "other"
    redactor(monkeypatch, capsys, "keys", "new", str(other))
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "export",
        store_uri,
        "--to",
        str(tmp_path / "x"),
        "--key",
        str(other / "reviewer.key"),
        "--writer-key",
        str(keys / "writer.key"),
    )
    assert code == 78 and "no key for this object" in " ".join(err.split())
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "export",
        store_uri,
        "--to",
        str(tmp_path / "x"),
        "--writer-key",
        str(keys / "writer.key"),
    )
    assert code == 78 and "no key to read with" in err


def test_loose_key_file_is_refused(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    os.chmod(keys / "writer.key", 0o644)
    code, _, err = stored(monkeypatch, capsys, tmp_path, str(tmp_path / "store"), keys)
    assert code == 78 and "too open" in err
    assert not (tmp_path / "store").exists()  # keys load before the store is opened


def test_tampering_makes_verify_fail(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    store = tmp_path / "store"
    assert stored(monkeypatch, capsys, tmp_path, str(store), keys)[0] == 0
    victim = next(store.rglob("text.enc"))
    data = bytearray(victim.read_bytes())
    data[-5] ^= 1
    victim.write_bytes(bytes(data))
    code, _, err = redactor(
        monkeypatch, capsys, "verify", str(store), "--writer-key", str(keys / "writer.key")
    )
    assert code == 1 and "text object changed" in err


def test_rewrap_rotates_to_a_new_key(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    store = str(tmp_path / "store")
    assert stored(monkeypatch, capsys, tmp_path, store, keys)[0] == 0
    new = tmp_path / "new"
    redactor(monkeypatch, capsys, "keys", "new", str(new))
    writer = str(keys / "writer.key")
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "keys",
        "rewrap",
        store,
        "--key",
        str(keys / "reviewer.key"),
        "--recipient",
        str(new / "reviewer.pub"),
        "--writer-key",
        writer,
    )
    assert code == 0 and "re-wrapped 5 objects" in err, err
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "verify",
        store,
        "--key",
        str(new / "reviewer.key"),
        "--writer-key",
        writer,
    )
    assert code == 0, err
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "export",
        store,
        "--to",
        str(tmp_path / "x"),
        "--key",
        str(keys / "reviewer.key"),
        "--writer-key",
        writer,
    )
    assert code == 78


def test_out_or_store_not_both(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    code, _, err = redactor(monkeypatch, capsys, "run", str(tmp_path / "in"))
    assert code == 2 and "--out" in err


def test_keep_original_is_for_its_own_recipient_and_never_keeps_a_pin(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    from redactor import crypto
    from redactor.backends import LocalBackend
    from redactor.evaluate import leaked
    from redactor.storage import Store, StoreKeys
    from tests.conftest import FakeTranscriber, words_from

    fake["transcriber"] = FakeTranscriber(
        words_from(
            [
                ("Meu", 0.2, 0.4),
                ("CPF", 0.5, 0.8),
                ("é", 0.9, 1.0),
                ("529.982.247-25.", 1.1, 2.9),
                ("Minha", 3.0, 3.2),
                ("senha", 3.3, 3.6),
                ("é", 3.7, 3.8),
                ("4", 3.9, 4.1),
                ("3", 4.2, 4.4),
                ("2", 4.5, 4.7),
                ("1.", 4.8, 4.95),
            ]
        )
    )
    call(tmp_path)
    archive = tmp_path / "archive"
    redactor(monkeypatch, capsys, "keys", "new", str(archive))
    store = tmp_path / "store"
    code, _, err = stored(
        monkeypatch,
        capsys,
        tmp_path,
        str(store),
        keys,
        "--keep-original",
        "--original-recipient",
        str(archive / "reviewer.pub"),
    )
    assert code == 0, err
    backend = LocalBackend(store)
    writer = cast(crypto.SymmetricKey, crypto.read_key_file(keys / "writer.key"))
    reviewer = Store(
        backend, StoreKeys.from_keys([crypto.read_key_file(keys / "reviewer.key")], writer)
    )
    (call_id,) = reviewer.calls()
    with pytest.raises(Exception, match="no key for this object"):
        reviewer.read(call_id, "original_transcript")
    keeper = Store(
        backend, StoreKeys.from_keys([crypto.read_key_file(archive / "reviewer.key")], writer)
    )
    original = keeper.read(call_id, "original_transcript").decode()
    assert "529.982.247-25" in original  # the original keeps the CPF...
    document = json.loads(original)  # ...but never the PIN, in the text or the words
    assert "senha é <PASSWORD>" in document["text"]
    assert not leaked("4321", document["text"], "pt")
    assert not leaked("4321", " ".join(w["text"] for w in document["words"]), "pt")
    assert reviewer.verify().ok


def test_keep_original_needs_its_recipient_and_a_store(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    call(tmp_path)
    code, _, err = stored(
        monkeypatch, capsys, tmp_path, str(tmp_path / "s"), keys, "--keep-original"
    )
    assert code == 2 and "--original-recipient" in err
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "run",
        str(tmp_path / "in"),
        "--out",
        str(tmp_path / "o"),
        "--keep-original",
    )
    assert code == 2 and "only with --store" in err


# Issue 12 ------------------------------------------------------------------------------------


def cli_args(keys: Path, *names: str) -> list[str]:
    """--key/--writer-key options from the key folder: "key" -> reviewer.key."""
    files = {"key": "reviewer.key", "writer-key": "writer.key"}
    return [arg for name in names for arg in (f"--{name}", str(keys / files[name]))]


def test_a_forced_run_killed_before_its_switch_is_redone(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    store_uri: str,
    keys: Path,
) -> None:
    """`run --force` killed after writing a call's new objects, before its manifest entry:
    the next normal run redoes the call (not "unchanged") and verify is then clean."""
    from redactor.jobs import Job
    from redactor.storage import StoreSink

    call(tmp_path)
    assert stored(monkeypatch, capsys, tmp_path, store_uri, keys)[0] == 0
    with monkeypatch.context() as patch:

        def killed(self: StoreSink, job: Job, written: dict[str, Any]) -> None:
            raise KeyboardInterrupt  # the process dies between the write and the commit

        patch.setattr(StoreSink, "commit", killed)
        code, _, _ = stored(monkeypatch, capsys, tmp_path, store_uri, keys, "--force")
        assert code == 130  # click: "Aborted!" after a KeyboardInterrupt
    code, _, err = stored(monkeypatch, capsys, tmp_path, store_uri, keys)
    assert code == 0 and "unchanged" not in err and "ok call" in err, err
    code, _, err = redactor(
        monkeypatch, capsys, "verify", store_uri, *cli_args(keys, "key", "writer-key")
    )
    assert code == 0 and "1 calls, 5 objects" in err, err


def test_export_refuses_an_edited_call_and_writes_the_others(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    from redactor import crypto
    from redactor.backends import LocalBackend
    from redactor.fs import file_sha256
    from redactor.storage import Store, StoreKeys

    store = tmp_path / "store"
    first, second = call(tmp_path, "a.wav", 5.0), call(tmp_path, "b.wav", 4.0)
    assert stored(monkeypatch, capsys, tmp_path, str(store), keys)[0] == 0
    writer = cast(crypto.SymmetricKey, crypto.read_key_file(keys / "writer.key"))
    ids = Store(LocalBackend(store), StoreKeys.from_keys([], writer))
    edited, intact = (ids.call_id(file_sha256(p)) for p in (first, second))
    manifest = store / "manifest" / f"{edited}.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"pt"', b'"es"'))
    export = tmp_path / "export"
    code, _, err = redactor(
        monkeypatch,
        capsys,
        "export",
        str(store),
        "--to",
        str(export),
        *cli_args(keys, "key", "writer-key"),
    )
    assert code == 1, err
    assert f"call {edited}" in err and "HMAC does not match" in err and intact not in err
    assert sorted(p.name for p in export.iterdir()) == [
        "b.bleeps.json",
        "b.redacted.json",
        "b.redacted.txt",
        "b.redacted.wav",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--to", "{tmp}/export"],
        ["show", "{call}"],
        ["purge", "--older-than", "0m"],
        ["keys", "rewrap", "--recipient", "{keys}/reviewer.pub"],
        ["run", "{tmp}/in", "--recipient", "{keys}/reviewer.pub", "--language", "pt"],
    ],
    ids=["export", "show", "purge", "rewrap", "run"],
)
def test_a_wrong_writer_key_is_refused_before_anything_is_written(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    store_uri: str,
    keys: Path,
    command: list[str],
) -> None:
    from redactor.backends import open_backend

    call(tmp_path)
    assert stored(monkeypatch, capsys, tmp_path, store_uri, keys)[0] == 0
    backend = open_backend(store_uri)
    (manifest,) = backend.list("manifest/")
    before = {name: backend.get(name) for name in backend.list()}
    other = tmp_path / "other"
    redactor(monkeypatch, capsys, "keys", "new", str(other))
    fields = {"tmp": tmp_path, "keys": keys, "call": Path(manifest).stem}
    args = [part.format(**fields) for part in command]
    if command[0] == "run":
        call(tmp_path, "new.wav", 4.0)  # something to write
        args[1:1] = ["--store", store_uri]
    else:
        args.insert(2 if command[0] == "keys" else 1, store_uri)
        args += ["--key", str(keys / "reviewer.key")]
    code, out, err = redactor(monkeypatch, capsys, *args, "--writer-key", str(other / "writer.key"))
    assert code == 78 and "writer key does not match" in " ".join(err.split()), err
    assert "<BR_CPF>" not in out
    assert {name: backend.get(name) for name in backend.list()} == before
    assert not (tmp_path / "export").exists()
    code, _, err = redactor(
        monkeypatch, capsys, "verify", store_uri, *cli_args(keys, "key", "writer-key")
    )
    assert code == 0, err


@pytest.mark.parametrize(
    "command",
    [["verify"], ["export", "--to", "{tmp}/export"], ["show", "0123456789abcdef01234567"]],
    ids=["verify", "export", "show"],
)
def test_read_only_commands_never_create_a_store(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
    command: list[str],
) -> None:
    missing = tmp_path / "typo" / "store"
    args = [part.format(tmp=tmp_path) for part in command]
    args.insert(1, str(missing))
    code, _, err = redactor(monkeypatch, capsys, *args, *cli_args(keys, "key", "writer-key"))
    assert code == 78 and "no store at" in err, err
    assert not (tmp_path / "typo").exists() and not (tmp_path / "export").exists()


def test_a_missing_bucket_or_an_empty_prefix_is_no_store(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
    s3_server: S3Server,
    aws_env: pytest.MonkeyPatch,
) -> None:
    s3_environment(s3_server, aws_env)
    for uri in (
        "s3://no-such-bucket-here/calls",
        f"s3://{s3_server.bucket}/typo-{os.urandom(4).hex()}",
    ):
        code, _, err = redactor(monkeypatch, capsys, "verify", uri, *cli_args(keys, "writer-key"))
        assert code == 78 and "no store at" in " ".join(err.split()), err


def nothing_listening() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"  # closed again: nothing listens


def test_an_unreachable_s3_store_exits_69(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
    aws_env: pytest.MonkeyPatch,
) -> None:
    call(tmp_path)
    aws_env.setenv("AWS_ACCESS_KEY_ID", "test")
    aws_env.setenv("AWS_SECRET_ACCESS_KEY", "test")
    aws_env.setenv("AWS_DEFAULT_REGION", "us-east-1")
    aws_env.setenv("AWS_ENDPOINT_URL", nothing_listening())
    code, _, err = stored(monkeypatch, capsys, tmp_path, "s3://bucket/calls", keys)
    assert code == 69 and "cannot be reached" in " ".join(err.split()), err
    code, _, err = redactor(
        monkeypatch, capsys, "verify", "s3://bucket/calls", *cli_args(keys, "writer-key")
    )
    assert code == 69 and "cannot be reached" in " ".join(err.split()), err


def test_an_s3_outage_mid_run_exits_69(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
    aws_env: pytest.MonkeyPatch,
) -> None:
    """The S3 server stops while the run is transcribing: the write fails with 69."""
    from contextlib import ExitStack

    from redactor.asr import AsrResult
    from tests.conftest import WORDS, FakeTranscriber
    from tests.s3server import find_weed, run_s3_server

    if find_weed() is None:
        pytest.skip("SeaweedFS `weed` binary not found")
    call(tmp_path)
    with ExitStack() as running:
        server = running.enter_context(run_s3_server())
        s3_environment(server, aws_env)

        class StopsTheServer(FakeTranscriber):
            def transcribe(self, *args: Any, **kwargs: Any) -> AsrResult:
                running.close()  # the outage
                return super().transcribe(*args, **kwargs)

        fake["transcriber"] = StopsTheServer(WORDS)
        code, _, err = stored(monkeypatch, capsys, tmp_path, f"s3://{server.bucket}/c", keys)
    assert code == 69 and "cannot be reached" in " ".join(err.split()), err


def test_a_folder_store_needs_no_boto3(
    tmp_path: Path,
    fake: dict[str, FakeTranscriber],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: Path,
) -> None:
    """boto3 is the [s3] extra: without it a folder store works and an S3 store is a
    configuration error that names the extra."""
    for module in ("boto3", "botocore", "botocore.config", "botocore.exceptions"):
        monkeypatch.setitem(sys.modules, module, None)  # import raises ImportError
    call(tmp_path)
    store = str(tmp_path / "store")
    code, _, err = stored(monkeypatch, capsys, tmp_path, store, keys)
    assert code == 0, err
    code, _, err = redactor(monkeypatch, capsys, "verify", store, *cli_args(keys, "writer-key"))
    assert code == 0, err
    code, _, err = stored(monkeypatch, capsys, tmp_path, "s3://bucket/calls", keys)
    assert code == 78 and "callredactor[s3]" in err, err
