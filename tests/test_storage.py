"""The encrypted store: write, read back only with the right key, verify, tamper, purge,
rewrap. The same tests run on a local folder and on a real S3 server (SeaweedFS)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from redactor import crypto
from redactor.backends import Backend, S3Backend
from redactor.errors import IntegrityError, StoreError, UsageError
from redactor.jobs import FileResult, Job
from redactor.storage import Store, StoreKeys, StoreSink, parse_age
from tests.conftest import PHONE_PIECES

CANARY = "CPF 529.982.247-25 of Maria Canarinho"
DOCUMENTS = {
    "transcript": json.dumps({"text": CANARY}).encode(),
    "text": (CANARY + "\n").encode(),
    "bleeps": b'{"bleeps": []}',
    "audio": b"RIFF....WAVE" + CANARY.encode(),
}
RELATIVE = "sub/+55 11 98765-4321.wav"  # a phone number in a file name
CONTENT = "ab" * 32


@pytest.fixture
def reviewer() -> crypto.PrivateKey:
    return crypto.new_keypair()


@pytest.fixture
def writer_key() -> crypto.SymmetricKey:
    return crypto.new_symmetric_key()


def writer_store(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> Store:
    """The nightly host: the reviewers' public key and the writer secret, nothing to read with."""
    return Store(backend, StoreKeys.from_keys([reviewer.public()], writer=writer_key), "nightly")


def reader_store(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> Store:
    return Store(backend, StoreKeys.from_keys([reviewer], writer=writer_key), "reviewer")


def write_one(store: Store, relative: str = RELATIVE, content: str = CONTENT) -> str:
    call = store.call_id(content)
    store.write_call(call, relative, DOCUMENTS, content, {"model": "base"})
    return call


def test_round_trip_only_with_the_reviewer_key(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    call = write_one(writer_store(backend, reviewer, writer_key))
    with pytest.raises(StoreError, match="no key to read with"):
        writer_store(backend, reviewer, writer_key).read(call, "text")
    reader = reader_store(backend, reviewer, writer_key)
    assert reader.read(call, "text") == DOCUMENTS["text"]
    assert reader.read(call, "name") == RELATIVE.encode()
    stranger = Store(backend, StoreKeys.from_keys([crypto.new_keypair()], writer=writer_key))
    with pytest.raises(StoreError, match="no key for this object"):
        stranger.read(call, "text")


def test_nothing_readable_in_the_store(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    store = writer_store(backend, reviewer, writer_key)
    write_one(store)
    everything = b"".join(backend.get(name) for name in backend.list())
    names = " ".join(backend.list())
    for canary in ("529.982.247-25", "52998224725", "Canarinho", *PHONE_PIECES):
        assert canary.encode() not in everything
        assert canary not in names
    entry = store.manifest(store.calls()[0])
    assert entry["input"] != CONTENT and len(entry["call"]) == 24


def test_manifest_describes_every_output(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    store = writer_store(backend, reviewer, writer_key)
    call = write_one(store)
    entry = store.manifest(call)
    assert set(entry["outputs"]) == {*DOCUMENTS, "name"}
    for out in entry["outputs"].values():
        assert out["key_ids"] == [reviewer.key_id]
    assert entry["model"] == "base" and entry["written_at"] and entry["redactor_version"]
    assert store.has(call) and not store.has(store.call_id("cd" * 32))


def test_export_restores_the_run_layout(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    write_one(writer_store(backend, reviewer, writer_key))
    dest = tmp_path / "export"
    assert len(list(reader_store(backend, reviewer, writer_key).export(dest))) == 1
    stem = dest / "sub" / "+55 11 98765-4321"
    assert (Path(f"{stem}.redacted.txt")).read_bytes() == DOCUMENTS["text"]
    assert (Path(f"{stem}.redacted.wav")).read_bytes() == DOCUMENTS["audio"]
    assert Path(f"{stem}.bleeps.json").is_file() and Path(f"{stem}.redacted.json").is_file()


def test_verify_clean_store(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    write_one(writer)
    write_one(writer, "b.wav", "cd" * 32)
    report = reader_store(backend, reviewer, writer_key).verify()
    assert report.ok, report.problems
    assert (report.calls, report.objects) == (2, 10)
    assert report.events == 2  # two writes


def object_of(backend: Backend, call: str, kind: str) -> str:
    """The object name the call's manifest entry records for ``kind``."""
    name: str = json.loads(backend.get(f"manifest/{call}.json"))["outputs"][kind]["object"]
    return name


def flip_byte(backend: Backend, name: str, position: int = -20) -> None:
    data = bytearray(backend.get(name))
    data[position] ^= 0x01
    backend.put(name, bytes(data))


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda b, call: flip_byte(b, object_of(b, call, "text")), "text object changed"),
        (lambda b, call: b.delete(object_of(b, call, "audio")), "audio object is missing"),
        (lambda b, call: b.put(f"objects/{call}/extra.enc", b"x"), "not in any manifest"),
        (
            lambda b, call: b.put(
                f"manifest/{call}.json",
                b.get(f"manifest/{call}.json").replace(b'"base"', b'"tiny"'),
            ),
            "HMAC does not match",
        ),
        (lambda b, call: b.delete(sorted(b.list("audit/"))[0]), "one removed"),
        (
            lambda b, call: b.put(
                sorted(b.list("audit/"))[0],
                b.get(sorted(b.list("audit/"))[0]).replace(b'"ok"', b'"failed"'),
            ),
            "HMAC does not match",
        ),
    ],
    ids=[
        "flipped-byte",
        "missing-object",
        "extra-object",
        "edited-manifest",
        "removed-event",
        "edited-event",
    ],
)
def test_verify_reports_tampering(
    backend: Backend,
    reviewer: crypto.PrivateKey,
    writer_key: crypto.SymmetricKey,
    tamper: Callable[[Backend, str], object],
    expected: str,
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    call = write_one(writer)
    write_one(writer, "b.wav", "cd" * 32)
    tamper(backend, call)
    report = reader_store(backend, reviewer, writer_key).verify()
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems


def test_flipped_byte_with_matching_hash_is_caught_by_the_tag(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    """An attacker who also fixes the manifest's sha256 still fails the GCM tag (with a key)."""
    writer = writer_store(backend, reviewer, writer_key)
    call = write_one(writer)
    name = object_of(backend, call, "text")
    flip_byte(backend, name)
    reader = reader_store(backend, reviewer, writer_key)
    with pytest.raises(StoreError, match=name):
        reader.read(call, "text")


def test_purge_deletes_old_calls_and_keeps_the_chain(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    old = write_one(writer)
    purged = writer.purge(timedelta(days=90), now=datetime.now(UTC) + timedelta(days=91))
    assert purged == [old]
    assert backend.list("objects/") == [] and writer.calls() == []
    report = reader_store(backend, reviewer, writer_key).verify()
    assert report.ok, report.problems
    assert report.events == 2  # the write and the purge
    assert writer.purge(timedelta(days=90)) == []


def test_rewrap_moves_to_a_new_key(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    call = write_one(writer_store(backend, reviewer, writer_key))
    new = crypto.new_keypair()
    secret = StoreKeys.from_keys([], writer=writer_key).secret
    rotating = Store(backend, StoreKeys([new.public()], [reviewer], secret))
    assert rotating.rewrap() == 5
    assert reader_store(backend, new, writer_key).read(call, "text") == DOCUMENTS["text"]
    with pytest.raises(StoreError):
        reader_store(backend, reviewer, writer_key).read(call, "text")
    assert reader_store(backend, new, writer_key).verify().ok


def test_symmetric_key_alone_is_enough(backend: Backend) -> None:
    key = crypto.new_symmetric_key()
    store = Store(backend, StoreKeys.from_keys([key]))
    call = write_one(store)
    assert store.read(call, "text") == DOCUMENTS["text"]
    assert store.verify().ok


def test_without_writer_secret_nothing_is_written(
    backend: Backend, reviewer: crypto.PrivateKey
) -> None:
    store = Store(backend, StoreKeys.from_keys([reviewer.public()]))
    with pytest.raises(StoreError, match="no writer key"):
        write_one(store)
    assert backend.list() == []


def test_a_worker_writes_objects_without_the_secret_and_the_driver_commits(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    driver = writer_store(backend, reviewer, writer_key)
    worker = Store(backend, StoreKeys.from_keys([reviewer.public()]), "worker")
    call = driver.call_id(CONTENT)
    outputs = worker.write_objects(call, RELATIVE, DOCUMENTS)
    assert driver.calls() == [] and backend.list("audit/") == []  # not a call until committed
    driver.commit_call(call, RELATIVE, CONTENT, outputs, {"model": "base"})
    assert driver.calls() == [call] and driver.verify().ok
    assert reader_store(backend, reviewer, writer_key).read(call, "text") == DOCUMENTS["text"]


@pytest.mark.parametrize(("text", "days"), [("90d", 90), ("12h", 0.5), ("30m", 30 / 1440)])
def test_parse_age(text: str, days: float) -> None:
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["90", "d", "ninety days", ""])
def test_parse_age_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_age(text)


def test_s3_backend_class_is_what_s3_uri_opens() -> None:
    from redactor.backends import open_backend

    assert isinstance(
        open_backend("s3://bucket/prefix", endpoint_url="http://127.0.0.1:1"), S3Backend
    )


def test_reads_need_the_writer_secret(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    write_one(writer_store(backend, reviewer, writer_key))
    no_secret = Store(backend, StoreKeys.from_keys([reviewer]))
    with pytest.raises(StoreError, match="no writer key"):
        list(no_secret.export(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("fail_at", range(5))
def test_a_crash_mid_call_leaves_no_call_and_a_rerun_completes(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, fail_at: int
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    writes: list[str]
    real_put_new, writes = backend.put_new, []

    def dying_put_new(name: str, data: bytes) -> None:
        if len(writes) == fail_at:
            raise KeyboardInterrupt  # the process dies here
        writes.append(name)
        real_put_new(name, data)

    backend.put_new = dying_put_new  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        write_one(writer)
    backend.put_new = real_put_new  # type: ignore[method-assign]
    assert writer.calls() == []  # no manifest entry: the call is not there
    report = reader_store(backend, reviewer, writer_key).verify()
    assert all("not in any manifest" in p for p in report.problems), report.problems
    write_one(writer_store(backend, reviewer, writer_key))  # the next run redoes it
    assert reader_store(backend, reviewer, writer_key).verify().ok


# Issue 12: crash-safe --force, verify against the audit chain, checked exports -------------


def test_a_forced_redo_that_dies_before_its_switch_is_redone(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    """--force writes the new objects, then dies before the new manifest entry: the next
    (normal) run must not call the call "unchanged", and afterwards verify is clean."""
    source = tmp_path / "call.wav"
    source.write_bytes(b"RIFF call audio")
    meta = {"model": "base", "config": "settings-1"}

    def sink(force: bool = False) -> StoreSink:
        return StoreSink(writer_store(backend, reviewer, writer_key), "settings-1", force)

    first = sink()
    job = first.plan(0, source, Path("call.wav"))
    assert isinstance(job, Job)
    first.commit(job, first.write(job, DOCUMENTS, meta))
    assert cast(FileResult, sink().plan(0, source, Path("call.wav"))).skipped  # stored: unchanged

    forced = sink(force=True)
    job = forced.plan(0, source, Path("call.wav"))
    forced.write(cast(Job, job), {**DOCUMENTS, "audio": b"RIFF....WAVE other audio"}, meta)
    # ...and the process dies here, before forced.commit

    rerun = sink()
    job = rerun.plan(0, source, Path("call.wav"))
    assert isinstance(job, Job), "a call whose forced redo died was taken as done"
    rerun.commit(job, rerun.write(job, DOCUMENTS, meta))
    report = reader_store(backend, reviewer, writer_key).verify()
    assert report.ok, report.problems
    assert cast(FileResult, sink().plan(0, source, Path("call.wav"))).skipped


def test_a_crash_after_the_switch_leaves_old_objects_that_a_rerun_clears(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    """Objects of the call that its entry does not name (a crash between the new entry and
    deleting the old generation) go when the call is next written."""
    writer = writer_store(backend, reviewer, writer_key)
    call = write_one(writer)
    leftover = f"objects/{call}/0123456789abcdef/audio.enc"
    backend.put(leftover, b"an older generation")
    assert any(leftover in p for p in reader_store(backend, reviewer, writer_key).verify().problems)
    write_one(writer)
    assert leftover not in backend.list("objects/")
    assert reader_store(backend, reviewer, writer_key).verify().ok


def delete_call(backend: Backend, call: str) -> None:
    for name in backend.list(f"objects/{call}/"):
        backend.delete(name)
    backend.delete(f"manifest/{call}.json")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda b, call: b.delete(sorted(b.list("audit/"))[-1]), "last events were removed"),
        (delete_call, "records its write, but it has no manifest entry"),
        (lambda b, call: b.delete("audit-head.json"), "audit-head.json is missing"),
    ],
    ids=["removed-last-event", "deleted-call", "removed-head"],
)
def test_verify_reports_what_the_chain_alone_cannot_show(
    backend: Backend,
    reviewer: crypto.PrivateKey,
    writer_key: crypto.SymmetricKey,
    tamper: Callable[[Backend, str], object],
    expected: str,
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    first = write_one(writer)
    write_one(writer, "b.wav", "cd" * 32)
    assert reader_store(backend, reviewer, writer_key).verify().ok
    tamper(backend, first)
    report = reader_store(backend, reviewer, writer_key).verify()
    assert any(expected in problem for problem in report.problems), report.problems


def snapshot_call(backend: Backend, call: str) -> dict[str, bytes]:
    names = [*backend.list(f"objects/{call}/"), f"manifest/{call}.json"]
    return {name: backend.get(name) for name in names}


def roll_back(backend: Backend, call: str, saved: dict[str, bytes]) -> None:
    """Put a call back as it was when ``saved``: its older objects and older entry."""
    delete_call(backend, call)
    for name, data in saved.items():
        backend.put(name, data)


def test_verify_reports_a_call_rolled_back_whole(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    call = write_one(writer)
    saved = snapshot_call(backend, call)  # e.g. a backup taken before a --force
    write_one(writer)  # the call written again (--force)
    assert reader_store(backend, reviewer, writer_key).verify().ok
    roll_back(backend, call, saved)
    report = reader_store(backend, reviewer, writer_key).verify()
    assert any("rolled back or replaced" in p for p in report.problems), report.problems


def test_export_refuses_a_call_that_does_not_verify(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    """A rolled-back call decrypts fine (its GCM tags hold): export must check it against
    the audit chain as verify does, refuse it, write nothing of it, and go on."""
    writer = writer_store(backend, reviewer, writer_key)
    rolled = write_one(writer)
    saved = snapshot_call(backend, rolled)
    write_one(writer)
    roll_back(backend, rolled, saved)
    kept = write_one(writer, "other.wav", "cd" * 32)
    dest = tmp_path / "export"
    results = dict(reader_store(backend, reviewer, writer_key).export(dest))
    assert results[kept] == ""
    assert rolled in results[rolled] and "rolled back" in results[rolled]
    assert (dest / "other.redacted.txt").read_bytes() == DOCUMENTS["text"]
    assert not (dest / "sub").exists()  # nothing of the refused call


def test_export_refuses_everything_when_the_chain_does_not_verify(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    write_one(writer)
    backend.delete(sorted(backend.list("audit/"))[-1])
    with pytest.raises(IntegrityError, match="last events were removed"):
        list(reader_store(backend, reviewer, writer_key).export(tmp_path / "export"))
    assert not (tmp_path / "export").exists()


def test_a_wrong_writer_key_is_refused_before_anything_is_written(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    write_one(writer_store(backend, reviewer, writer_key))
    before = backend.list()
    wrong = crypto.new_symmetric_key()
    with pytest.raises(StoreError, match="writer key does not match"):
        list(reader_store(backend, reviewer, wrong).export(tmp_path / "x"))
    with pytest.raises(StoreError, match="writer key does not match"):
        writer_store(backend, reviewer, wrong).purge(timedelta(0))
    rotating = Store(backend, StoreKeys.from_keys([reviewer, reviewer.public()], writer=wrong))
    with pytest.raises(StoreError, match="writer key does not match"):
        rotating.rewrap()
    source = tmp_path / "call.wav"
    source.write_bytes(b"RIFF")
    with pytest.raises(StoreError, match="writer key does not match"):
        StoreSink(writer_store(backend, reviewer, wrong)).plan(0, source, Path("call.wav"))
    assert backend.list() == before
    assert reader_store(backend, reviewer, writer_key).verify().ok


def write_legacy_call(store: Store, content: str = CONTENT) -> str:
    """A call as redactor wrote it before generations and audit heads: objects named
    objects/<call>/<kind>.enc, an audit/1 write event without the entry's hash, no head."""
    from redactor import __version__
    from redactor.audit import digest, seal

    backend, call = store.backend, store.call_id(content)
    outputs = {}
    for kind, data in [*DOCUMENTS.items(), ("name", RELATIVE.encode())]:
        name = f"objects/{call}/{kind}.enc"
        blob = crypto.encrypt(data, name, store.keys.recipients)
        backend.put_new(name, blob)
        outputs[kind] = {"object": name, "bytes": len(blob), "sha256": digest(blob)}
    entry = {
        "schema": "redactor.manifest/1",
        "call": call,
        "outputs": outputs,
        "redactor_version": __version__,
        "config": "settings-1",
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    backend.put(f"manifest/{call}.json", seal(entry, "manifest", store._keyed))
    events = sorted(backend.list("audit/"))
    event = {
        "schema": "redactor.audit/1",
        "seq": len(events) + 1,
        "action": "write",
        "call": call,
        "result": "ok",
        "prev": digest(backend.get(events[-1])) if events else "",
    }
    backend.put_new(f"audit/{len(events) + 1:012d}.json", seal(event, "audit", store._keyed))
    return call


def test_a_store_written_before_generations_and_heads_keeps_working(
    backend: Backend, reviewer: crypto.PrivateKey, writer_key: crypto.SymmetricKey, tmp_path: Path
) -> None:
    writer = writer_store(backend, reviewer, writer_key)
    old = write_legacy_call(writer)
    other = write_legacy_call(writer, "cd" * 32)
    reader = reader_store(backend, reviewer, writer_key)
    assert reader.verify().ok, reader.verify().problems
    with pytest.raises(StoreError, match="writer key does not match"):  # from its last event
        reader_store(backend, reviewer, crypto.new_symmetric_key()).require_secret()
    source = tmp_path / "call.wav"
    source.write_bytes(b"RIFF")
    sink = StoreSink(writer, "settings-1")
    assert sink._done(old) and sink._done(other)  # its objects are those its entry names
    assert dict(reader.export(tmp_path / "export"))[old] == ""
    assert reader.checked(old, ["text"], None)["text"] == DOCUMENTS["text"]
    write_one(writer)  # written again (--force): a generation, the old names gone
    assert not [n for n in backend.list(f"objects/{old}/") if n.count("/") == 2]
    assert reader.read(old, "text") == DOCUMENTS["text"]
    report = reader_store(backend, reviewer, writer_key).verify()
    assert report.ok and report.calls == 2, report.problems
