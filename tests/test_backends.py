"""The two object-store backends behave the same: every shared test runs on a local folder and
on a real S3 server (SeaweedFS, see tests/s3server.py)."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from redactor.backends import (
    Backend,
    BackendError,
    LocalBackend,
    ObjectExists,
    ObjectMissing,
    S3Backend,
    open_backend,
)
from tests.conftest import make_s3
from tests.s3server import S3Server

SECRET = b"SECRET-CONTENT-\x00\xff"


# Shared behaviour -----------------------------------------------------------------------------


def test_put_new_get_round_trip(backend: Backend) -> None:
    data = bytes(range(256)) * 50
    backend.put_new("calls/ab12/chunk-0001", data)
    backend.put_new("empty", b"")
    assert backend.get("calls/ab12/chunk-0001") == data
    assert backend.get("empty") == b""


def test_put_new_never_overwrites(backend: Backend) -> None:
    backend.put_new("obj", b"first")
    with pytest.raises(ObjectExists) as info:
        backend.put_new("obj", SECRET)
    assert "obj" in str(info.value) and "SECRET" not in str(info.value)
    assert backend.get("obj") == b"first"
    assert backend.list() == ["obj"]


def test_put_new_race_has_one_winner(backend: Backend) -> None:
    def attempt(i: int) -> bytes | None:
        try:
            backend.put_new("race", b"writer %d" % i)
        except ObjectExists:
            return None
        return b"writer %d" % i

    with ThreadPoolExecutor(8) as pool:
        winners = [w for w in pool.map(attempt, range(16)) if w is not None]
    assert len(winners) == 1 and backend.get("race") == winners[0]


def test_put_overwrites(backend: Backend) -> None:
    backend.put("index", b"v1")
    backend.put("index", b"version two")
    assert backend.get("index") == b"version two"
    backend.put_new("log/0001", b"x")
    backend.put("log/0001", b"y")
    assert backend.get("log/0001") == b"y"


def test_get_missing(backend: Backend) -> None:
    with pytest.raises(ObjectMissing):
        backend.get("nothing/here")
    backend.put_new("dir/obj", b"x")
    with pytest.raises(ObjectMissing):
        backend.get("dir")  # a "folder" is not an object
    assert issubclass(ObjectMissing, BackendError)


def test_list_prefix_sorted(backend: Backend) -> None:
    for name in ["b", "a/2", "c/d/e", "a/1", "ab"]:
        backend.put_new(name, b"x")
    assert backend.list() == ["a/1", "a/2", "ab", "b", "c/d/e"]
    assert backend.list("a/") == ["a/1", "a/2"]
    assert backend.list("a") == ["a/1", "a/2", "ab"]
    assert backend.list("c/d") == ["c/d/e"]
    assert backend.list("zzz") == []


def test_delete_is_idempotent(backend: Backend) -> None:
    backend.put_new("gone", b"x")
    backend.delete("gone")
    backend.delete("gone")
    backend.delete("never/was")
    assert not backend.exists("gone")
    with pytest.raises(ObjectMissing):
        backend.get("gone")
    backend.put_new("gone", b"again")  # the name is free again
    assert backend.get("gone") == b"again"


def test_exists(backend: Backend) -> None:
    assert not backend.exists("a/b")
    backend.put_new("a/b", b"x")
    assert backend.exists("a/b")
    assert not backend.exists("a")


BAD_NAMES = ["", "/abs", "a/../b", "..", "a//b", "a/", "./a", "a\\b", ".tmp-x", "a/.tmp-1"]


def test_bad_names_rejected(backend: Backend) -> None:
    """Same rule on both backends: nothing that could escape the root or hide as a temp file."""
    for name in BAD_NAMES:
        with pytest.raises(BackendError, match="invalid object name"):
            backend.put(name, b"x")
        with pytest.raises(BackendError, match="invalid object name"):
            backend.get(name)
    assert backend.list() == []


def test_clean_temp_leaves_objects(backend: Backend) -> None:
    """Every backend cleans its own crash leftovers (S3 has none: a PUT is atomic), so the
    store never asks which backend it has."""
    backend.put_new("a/b", b"x")
    assert backend.clean_temp(older_than_seconds=0) == 0
    assert backend.list() == ["a/b"] and backend.get("a/b") == b"x"


# Local folder only ----------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_local_modes(tmp_path: Path) -> None:
    old = os.umask(0)  # the modes must not depend on the caller's umask
    try:
        store = LocalBackend(tmp_path / "new" / "store")
        store.put_new("x/y/z", b"data")
        store.put("x/index", b"data")
    finally:
        os.umask(old)
    root = tmp_path / "new" / "store"
    assert [mode(p) for p in (root, root / "x", root / "x" / "y")] == [0o700] * 3
    assert mode(root / "x/y/z") == 0o600 and mode(root / "x/index") == 0o600


def test_local_leaves_no_temp_files(tmp_path: Path) -> None:
    store = LocalBackend(tmp_path)
    store.put_new("a/b", b"1")
    with pytest.raises(ObjectExists):
        store.put_new("a/b", b"2")
    store.put("a/b", b"3")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b"]


def test_local_crash_leftovers(tmp_path: Path) -> None:
    store = LocalBackend(tmp_path)
    store.put_new("sub/real", b"kept")
    leftovers = [tmp_path / ".tmp-x", tmp_path / "sub" / ".tmp-0123"]
    for path in leftovers:
        path.write_bytes(b"half an object")
    assert store.list() == ["sub/real"]
    assert store.clean_temp() == 0  # fresh: may belong to a writer still at work
    for path in leftovers:
        old = path.stat().st_mtime - 7200  # the file system's clock, not ours
        os.utime(path, (old, old))
    assert store.clean_temp() == 2
    assert not any(p.exists() for p in leftovers)
    assert store.get("sub/real") == b"kept"


def test_local_crash_leftovers_ignore_our_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process whose clock runs ahead of the file system's (a network share, a clock that
    jumped) must not take a live writer's temp file for a crash's leftover."""
    store = LocalBackend(tmp_path)
    live = tmp_path / ".tmp-live"
    live.write_bytes(b"being written")
    ahead = time.time() + 2 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: ahead)
    assert store.clean_temp() == 0
    assert live.exists()


def test_open_backend_uris(tmp_path: Path, aws_env: pytest.MonkeyPatch) -> None:
    assert isinstance(open_backend(str(tmp_path / "p")), LocalBackend)
    local = open_backend(f"file://{tmp_path}/with%20space")
    assert local.describe() == f"folder {tmp_path}/with space"
    aws_env.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    aws_env.setenv("AWS_SECRET_ACCESS_KEY", "very-secret")
    remote = open_backend("s3://bucket/a/b/", endpoint_url="http://127.0.0.1:9", region="eu-west-1")
    assert remote.describe() == "s3://bucket/a/b/ (endpoint http://127.0.0.1:9)"
    with pytest.raises(BackendError):
        open_backend("ftp://host/x")


# S3 only --------------------------------------------------------------------------------------


def test_s3_server_verifies_sha256(s3_server: S3Server) -> None:  # noqa: F811
    """Proves the checksum we send is checked, not just stored."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=s3_server.access_key,
        aws_secret_access_key=s3_server.secret_key,
        config=Config(s3={"addressing_style": "path"}),
    )
    key = f"t-{uuid.uuid4().hex[:12]}/bad"
    wrong = base64.b64encode(hashlib.sha256(b"other bytes").digest()).decode()
    with pytest.raises(ClientError) as info:
        client.put_object(
            Bucket=s3_server.bucket,
            Key=key,
            Body=b"these bytes",
            ChecksumAlgorithm="SHA256",
            ChecksumSHA256=wrong,
        )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError):
        client.head_object(Bucket=s3_server.bucket, Key=key)


def test_s3_put_sends_sha256(s3_server: S3Server, aws_env: pytest.MonkeyPatch) -> None:  # noqa: F811
    store = make_s3(s3_server, aws_env)
    store.put_new("obj", b"payload")
    head = store._client.head_object(
        Bucket=store.bucket, Key=store.prefix + "obj", ChecksumMode="ENABLED"
    )
    assert head["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(b"payload").digest()).decode()


def test_s3_describe_and_errors_hide_credentials(
    s3_server: S3Server,  # noqa: F811
    aws_env: pytest.MonkeyPatch,
) -> None:
    store = make_s3(s3_server, aws_env)
    text = store.describe()
    assert text.startswith(f"s3://{s3_server.bucket}/t-") and s3_server.endpoint_url in text
    assert s3_server.access_key not in text and s3_server.secret_key not in text
    bad = make_s3(s3_server, aws_env, secret="wrong-" + s3_server.secret_key)
    with pytest.raises(BackendError) as info:
        bad.put("obj", SECRET)
    message = str(info.value)
    assert "SignatureDoesNotMatch" in message and "obj" in message
    assert s3_server.secret_key not in message and "SECRET" not in message
    with_userinfo = S3Backend("bkt", endpoint_url="http://user:pw@127.0.0.1:9", region="x")
    assert "pw" not in with_userinfo.describe()


def test_s3_retried_put_new_meeting_its_own_write() -> None:
    """A PUT whose response was lost is retried and then sees its own object (412): that is
    success; a 412 on other content stays ObjectExists."""
    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    store = S3Backend("bkt", "p", client=client)
    retried = {"RetryAttempts": 1}
    with Stubber(client) as stub:
        for body in (b"mine", b"someone else's"):
            stub.add_client_error(
                "put_object", "PreconditionFailed", "", 412, response_meta=retried
            )
            stub.add_response("get_object", {"Body": _stream(body)})
        store.put_new("obj", b"mine")
        with pytest.raises(ObjectExists):
            store.put_new("obj", b"mine")
        stub.assert_no_pending_responses()


def _stream(data: bytes) -> object:
    from io import BytesIO

    from botocore.response import StreamingBody

    return StreamingBody(BytesIO(data), len(data))


@pytest.mark.parametrize(
    ("status", "code", "unavailable"),
    [(503, "SlowDown", True), (500, "InternalError", True), (403, "AccessDenied", False)],
)
def test_s3_server_errors_are_unavailable_refusals_are_not(
    status: int, code: str, unavailable: bool
) -> None:
    """5xx (after boto's retries) is an outage, exit 69; access denied is configuration, 78."""
    from redactor.backends import BackendUnavailable

    client = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    store = S3Backend("bkt", "p", client=client)
    with Stubber(client) as stub:
        stub.add_client_error("get_object", code, "", status)
        with pytest.raises(BackendError) as info:
            store.get("obj")
    assert isinstance(info.value, BackendUnavailable) is unavailable
    assert info.value.exit_code == (69 if unavailable else 78)


def test_open_without_create_refuses_a_missing_folder(tmp_path: Path) -> None:
    from redactor.backends import StoreMissing

    with pytest.raises(StoreMissing, match="no store at"):
        open_backend(str(tmp_path / "typo"), create=False)
    assert not (tmp_path / "typo").exists()
    (tmp_path / "there").mkdir()
    assert isinstance(open_backend(str(tmp_path / "there"), create=False), LocalBackend)
