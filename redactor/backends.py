"""Object storage for the encrypted store: a local folder or any S3-compatible service.

Both backends offer the same few operations, each atomic: a reader sees either no object or
a whole one. ``put_new`` never overwrites, so two writers racing for a name cannot silently
lose data. Error messages name objects (our names are pseudonymous) but never their contents
and never credentials.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import secrets
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import unquote, urlsplit, urlunsplit

from redactor.errors import EXIT_UNAVAILABLE, StoreError, UnavailableError
from redactor.fs import fsync_dir

TEMP_PREFIX = ".tmp-"


class BackendError(StoreError):
    """The store cannot be read or written; the message names the object, never its contents.

    A StoreError: an unreachable or refusing store fails every call alike, so a run stops."""


class BackendUnavailable(BackendError, UnavailableError):
    """The store cannot be reached (refused, timed out, server errors after retries): exit
    69, so an operator's alert tells an outage from bad configuration or credentials (78)."""

    exit_code = EXIT_UNAVAILABLE


class StoreMissing(BackendError):
    """No store where one was named (a read-only command never creates one)."""


class ObjectExists(BackendError):
    """A create-only put found an object already there."""


class ObjectMissing(BackendError):
    """The object asked for does not exist."""


@runtime_checkable
class Backend(Protocol):
    def put_new(self, name: str, data: bytes) -> None: ...
    def put(self, name: str, data: bytes) -> None: ...
    def get(self, name: str) -> bytes: ...
    def exists(self, name: str) -> bool: ...
    def list(self, prefix: str = "") -> list[str]: ...
    def delete(self, name: str) -> None: ...
    def describe(self) -> str: ...
    def clean_temp(self, older_than_seconds: float = 3600) -> int:
        """Remove what writes a crash interrupted left behind (older than the age given,
        since newer may belong to a live writer); how many were removed."""
        ...


def check_name(name: str) -> list[str]:
    """Split a "/"-separated name, refusing anything that could escape the store root or
    collide with our temp files, so both backends accept exactly the same names."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        raise BackendError(f"invalid object name {name!r}")
    parts = name.split("/")
    for part in parts:
        if part in ("", ".", "..") or part.startswith(TEMP_PREFIX):
            raise BackendError(f"invalid object name {name!r}")
    return parts


class LocalBackend:
    """Objects are files under ``root``; folders 0700, files 0600. ``create=False``: the
    folder must exist already (StoreMissing otherwise), and nothing is created here."""

    def __init__(self, root: Path, *, create: bool = True) -> None:
        self.root = Path(root).resolve()  # one name per folder: describe() keys the run lock
        if not self.root.is_dir():
            if not create:
                raise StoreMissing(f"no store at {self.describe()}: the folder does not exist")
            self.root.parent.mkdir(parents=True, exist_ok=True)
            self._mkdir(self.root)

    def describe(self) -> str:
        return f"folder {self.root}"

    def _mkdir(self, path: Path) -> None:
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            return
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
        fsync_dir(path.parent)

    def _path(self, name: str) -> Path:
        return self.root.joinpath(*check_name(name))

    def _write(self, name: str, data: bytes, *, overwrite: bool) -> None:
        final = self._path(name)
        try:
            parent = self.root
            for part in final.relative_to(self.root).parts[:-1]:
                parent = parent / part
                self._mkdir(parent)
            tmp = parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                if overwrite:
                    os.replace(tmp, final)
                else:
                    os.link(tmp, final)  # unlike rename, fails if the name is taken
            except FileExistsError:
                raise ObjectExists(f"object {name} already exists in {self.describe()}") from None
            finally:
                tmp.unlink(missing_ok=True)
            fsync_dir(parent)
        except OSError as e:
            raise BackendError(f"cannot write {name} in {self.describe()}: {e.strerror}") from None

    def put_new(self, name: str, data: bytes) -> None:
        self._write(name, data, overwrite=False)

    def put(self, name: str, data: bytes) -> None:
        self._write(name, data, overwrite=True)

    def get(self, name: str) -> bytes:
        try:
            return self._path(name).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectMissing(f"object {name} not found in {self.describe()}") from None
        except OSError as e:
            raise BackendError(f"cannot read {name} in {self.describe()}: {e.strerror}") from None

    def exists(self, name: str) -> bool:
        return self._path(name).is_file()

    def _walk(self) -> list[tuple[Path, str]]:
        """Every regular file under root with its "/" name, temp files included."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(TEMP_PREFIX)]
            rel = Path(dirpath).relative_to(self.root).as_posix()
            for fn in filenames:
                found.append((Path(dirpath, fn), fn if rel == "." else f"{rel}/{fn}"))
        return found

    def list(self, prefix: str = "") -> list[str]:
        return sorted(
            name
            for _, name in self._walk()
            if name.startswith(prefix) and not name.rsplit("/", 1)[-1].startswith(TEMP_PREFIX)
        )

    def delete(self, name: str) -> None:
        path = self._path(name)
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):
            return
        except OSError as e:
            raise BackendError(f"cannot delete {name} in {self.describe()}: {e.strerror}") from None
        fsync_dir(path.parent)

    def clean_temp(self, older_than_seconds: float = 3600) -> int:
        """Remove temp files a crash left behind; recent ones may belong to a live writer.

        Ages are measured on the file system's clock, not ours: on a network share, or on a
        host whose clock jumped, the two differ, and a live writer's file must not look old."""
        leftovers = [path for path, _ in self._walk() if path.name.startswith(TEMP_PREFIX)]
        now = self._fs_now() if leftovers else None
        if now is None:  # none, or a read-only store (verify by an auditor): nothing to do
            return 0
        removed = 0
        for path in leftovers:
            with contextlib.suppress(FileNotFoundError):  # another cleaner got there first
                if path.stat().st_mtime <= now - older_than_seconds:
                    path.unlink()
                    removed += 1
        return removed

    def _fs_now(self) -> float | None:
        """The time the file system stamps on a file made now; None if we cannot write."""
        probe = self.root / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except OSError:
            return None
        try:
            return os.fstat(fd).st_mtime
        finally:
            os.close(fd)
            probe.unlink(missing_ok=True)


_MISSING = ("NoSuchKey", "404", "NotFound")
_NO_BUCKET = ("NoSuchBucket",)


class S3Backend:
    """Objects are keys ``prefix + name`` in one bucket; S3 PUTs are atomic by themselves."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        client: Any = None,
    ) -> None:
        if not bucket:
            raise BackendError("S3 store needs a bucket name")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        if client is None:
            try:  # deferred: a folder store needs neither boto3 nor its import time
                import boto3
                from botocore.config import Config
            except ImportError:
                raise StoreError(
                    "an S3 store needs boto3: pip install 'callredactor[s3]'"
                ) from None

            env = os.environ
            endpoint_url = (
                endpoint_url or env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
            )
            # Most S3-compatible servers have no wildcard DNS for virtual-hosted buckets.
            s3_opts = {"addressing_style": "path"} if endpoint_url else {}
            client = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url or None,
                region_name=region,
                config=Config(s3=s3_opts, retries={"mode": "standard"}),
            )
        self._client = client

    def describe(self) -> str:
        url = urlsplit(str(self._client.meta.endpoint_url))
        host = (url.hostname or "") + (f":{url.port}" if url.port else "")
        endpoint = urlunsplit((url.scheme, host, url.path, "", ""))  # drops any user:pass@
        return f"s3://{self.bucket}/{self.prefix} (endpoint {endpoint})"

    def _call(self, op: str, name: str, method: str, **kwargs: Any) -> Any:
        """One client call; botocore errors become ours, with the error code and the object
        name only (never the response body)."""
        from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
        from botocore.exceptions import ConnectionError as BotoConnectionError

        try:
            return getattr(self._client, method)(Bucket=self.bucket, **kwargs)
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code") or "?"
            meta = e.response.get("ResponseMetadata", {})
            status = meta.get("HTTPStatusCode")
            if code in _NO_BUCKET or (op == "bucket" and code in _MISSING):
                raise StoreMissing(f"no store at {self.describe()}: no such bucket") from None
            if code in _MISSING and op != "list":
                raise ObjectMissing(f"object {name} not found in {self.describe()}") from None
            if op == "put_new" and (
                status == 412 or code in ("PreconditionFailed", "ConditionalRequestConflict")
            ):
                # A retried PUT can meet the object its own lost first attempt wrote.
                if meta.get("RetryAttempts") and status == 412 and self._holds(name, kwargs):
                    return None
                raise ObjectExists(f"object {name} already exists in {self.describe()}") from None
            what = f"{code} (HTTP {status})"
            if isinstance(status, int) and status >= 500:  # still failing after the retries
                raise BackendUnavailable(
                    f"S3 {op} of {name} failed in {self.describe()}: {what}"
                ) from None
        except (BotoConnectionError, HTTPClientError) as e:  # refused, timed out, cut off
            raise BackendUnavailable(
                f"S3 {op} of {name} failed: {self.describe()} cannot be reached "
                f"({type(e).__name__})"
            ) from None
        except BotoCoreError as e:  # no credentials, bad parameters...
            what = type(e).__name__
        raise BackendError(f"S3 {op} of {name} failed in {self.describe()}: {what}")

    def _holds(self, name: str, put_args: dict[str, Any]) -> bool:
        try:
            return bool(self.get(name) == put_args["Body"])
        except BackendError:
            return False

    def _put(self, op: str, name: str, data: bytes, **extra: str) -> None:
        digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
        sha = {"ChecksumAlgorithm": "SHA256", "ChecksumSHA256": digest}  # the server verifies it
        self._call(op, name, "put_object", Key=self._key(name), Body=data, **sha, **extra)

    def _key(self, name: str) -> str:
        check_name(name)
        return self.prefix + name

    def put_new(self, name: str, data: bytes) -> None:
        self._put("put_new", name, data, IfNoneMatch="*")

    def put(self, name: str, data: bytes) -> None:
        self._put("put", name, data)

    def get(self, name: str) -> bytes:
        return bytes(self._call("get", name, "get_object", Key=self._key(name))["Body"].read())

    def exists(self, name: str) -> bool:
        try:
            self._call("head", name, "head_object", Key=self._key(name))
        except ObjectMissing:
            return False
        return True

    def check_exists(self) -> None:
        """StoreMissing unless the bucket exists and holds something under our prefix (a
        store that was ever written to holds at least its audit chain)."""
        self._call("bucket", self.prefix or "/", "head_bucket")
        page = self._call(
            "list", self.prefix or "/", "list_objects_v2", Prefix=self.prefix, MaxKeys=1
        )
        if not page.get("Contents"):
            raise StoreMissing(f"no store at {self.describe()}: nothing under the prefix")

    def list(self, prefix: str = "") -> list[str]:
        names = []
        args: dict[str, Any] = {"Prefix": self.prefix + prefix}
        while True:
            page = self._call("list", prefix or "/", "list_objects_v2", **args)
            for obj in page.get("Contents", []):
                name = obj["Key"][len(self.prefix) :]
                if name and not name.endswith("/"):  # skip folder markers some servers make
                    names.append(name)
            if not page.get("IsTruncated"):
                return sorted(names)
            args["ContinuationToken"] = page["NextContinuationToken"]

    def delete(self, name: str) -> None:
        with contextlib.suppress(ObjectMissing):  # AWS answers 204 anyway; others may 404
            self._call("delete", name, "delete_object", Key=self._key(name))

    def clean_temp(self, older_than_seconds: float = 3600) -> int:
        """Nothing to clean: a PUT is atomic by itself and leaves no temp object."""
        return 0


def open_backend(
    uri: str,
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    create: bool = True,
) -> Backend:
    """``s3://bucket/prefix`` gives an S3Backend; ``file:///path`` or a plain path a folder.

    ``create=False`` (every command but ``run``): the store must exist, else StoreMissing;
    a typo in a path never creates an empty store that then verifies as "ok"."""
    if uri.startswith("s3://"):
        parts = urlsplit(uri)
        s3 = S3Backend(parts.netloc, unquote(parts.path), endpoint_url=endpoint_url, region=region)
        if not create:
            s3.check_exists()
        return s3
    if uri.startswith("file://"):
        parts = urlsplit(uri)
        if parts.netloc not in ("", "localhost"):
            raise BackendError(f"file URI must name a local path: {uri}")
        return LocalBackend(Path(unquote(parts.path)), create=create)
    if "://" in uri:
        raise BackendError(f"unsupported store URI scheme: {uri.split('://', 1)[0]}")
    return LocalBackend(Path(uri).expanduser(), create=create)
