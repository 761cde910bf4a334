"""One run at a time per destination.

``RunLock`` is an ``flock`` on a file named after the destination (a hash of it, in the
user's runtime or cache folder, never inside the store), so a second run of the same
nightly job exits at once with EX_TEMPFAIL; the kernel drops the lock when the process
dies, so there is no stale pid file to clean.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from pathlib import Path

from redactor.errors import RedactorError

EX_TEMPFAIL = 75


class LockedError(RedactorError):
    """Another run is writing to the same destination."""

    exit_code = EX_TEMPFAIL


def lock_dir() -> Path:
    """$REDACTOR_LOCK_DIR; else systemd's RuntimeDirectory=; else the user's runtime or
    cache folder."""
    if os.environ.get("REDACTOR_LOCK_DIR"):
        return Path(os.environ["REDACTOR_LOCK_DIR"])
    if os.environ.get("RUNTIME_DIRECTORY"):  # set by systemd for RuntimeDirectory=
        return Path(os.environ["RUNTIME_DIRECTORY"].split(":")[0]) / "locks"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(runtime) if runtime else Path.home() / ".cache"
    return base / "redactor" / "locks"


#: Lock descriptors this process holds. A forked worker closes its copies at once, so the
#: lock belongs to the driver alone and dies with it, even if a worker outlives it.
_HELD: set[int] = set()


def _close_held_locks() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_held_locks)


class RunLock:
    """Held for the whole run by the driver alone. ``destination`` names the --out folder
    or the store in a normal form (a resolved path; ``s3://bucket/prefix/`` and its
    endpoint), so two spellings of one destination take the same lock."""

    def __init__(self, destination: str) -> None:
        digest = hashlib.sha256(destination.encode()).hexdigest()[:24]
        self.path = lock_dir() / f"{digest}.lock"
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise LockedError(
                "another redactor run is writing to this destination; try again when it ends"
            ) from None
        self._fd = fd
        _HELD.add(fd)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            _HELD.discard(self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
