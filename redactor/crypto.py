"""Client-side envelope encryption for everything the store writes.

Each object gets a fresh random 256-bit data key; the content is sealed with AES-256-GCM and the
data key is wrapped separately for every recipient, so the nightly host can write with only a
public key and rotation (``rewrap``) never touches the content ciphertext.

Blob layout::

    MAGIC (8 bytes "RDCTENC1") | header length (4 bytes, big-endian) | header | content

``header`` is canonical JSON (sorted keys, no spaces, ASCII) of::

    {"v": 1, "object": NAME, "nonce": b64(12 bytes),
     "recipients": [{"kind": "x25519" | "symmetric", "key_id": HEX16,
                     "epk": b64(32 bytes, x25519 only), "nonce": b64(12), "wrapped": b64(48)}]}

``content`` = AESGCM(data_key).encrypt(nonce, plaintext, b"redactor/v1\\0" + NAME + b"\\0" + nonce).
The associated data binds the content to the format version and object name but not to the
recipient list, which is what lets ``rewrap`` replace recipients without re-encrypting.

Wrapping: for x25519 an ephemeral key pair is made per recipient, ``shared = ECDH(eph, pub)`` and
``kek = HKDF-SHA256(shared, salt=epk || pub, info=b"redactor/v1/wrap")``; for symmetric keys
``kek = HKDF-SHA256(key, salt=None, info=b"redactor/v1/wrap")``. Then ``wrapped =
AESGCM(kek).encrypt(wnonce, data_key, b"redactor/v1/key\\0" + NAME + b"\\0" + key_id)``.

Key files are two whitespace-separated lines, ``redactor-key-v1 KIND KEY_ID`` and the base64 raw
key; KIND is x25519-public, x25519-private or symmetric. Exception messages never contain key
material or plaintext.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import stat
import struct
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from redactor.fs import fsync_dir

FORMAT_VERSION = 1
MAGIC = b"RDCTENC1"
_KEY_FILE_TAG = "redactor-key-v1"
_MAX_PLAINTEXT = 2**31 - 1  # one-shot AESGCM limit in `cryptography`
_TAG_LEN = 16


class CryptoError(Exception):
    """Base error; messages never contain key bytes or plaintext."""


class KeyFileError(CryptoError):
    """Key file or key text unreadable, malformed or too widely readable."""


class DecryptError(CryptoError):
    """None of the given identities is a recipient of the object."""


class TamperedError(CryptoError):
    """Authentication failed: ciphertext, header or object name changed."""


def _key_id(raw: bytes) -> str:
    return hashlib.sha256(b"redactor-key-id" + raw).digest()[:8].hex()


@dataclass(frozen=True)
class PublicKey:
    """X25519 recipient: all the nightly host needs to write."""

    key_id: str
    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != 32 or self.key_id != _key_id(self.raw):
            raise CryptoError("invalid public key (wrong length or key id)")


@dataclass(frozen=True)
class PrivateKey:
    """X25519 identity held by reviewers; its key id is that of its public key."""

    key_id: str
    raw: bytes = field(repr=False)  # keep secrets out of logs and tracebacks

    def __post_init__(self) -> None:
        if len(self.raw) != 32 or self.key_id != self.public().key_id:
            raise CryptoError("invalid private key (wrong length or key id)")

    def public(self) -> PublicKey:
        pub = X25519PrivateKey.from_private_bytes(self.raw).public_key().public_bytes_raw()
        return PublicKey(_key_id(pub), pub)


@dataclass(frozen=True)
class SymmetricKey:
    """32 random bytes that both wrap and unwrap, for single-host set-ups."""

    key_id: str
    raw: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.raw) != 32 or self.key_id != _key_id(self.raw):
            raise CryptoError("invalid symmetric key (wrong length or key id)")


Recipient = PublicKey | SymmetricKey
Identity = PrivateKey | SymmetricKey
AnyKey = PublicKey | PrivateKey | SymmetricKey


def new_keypair() -> PrivateKey:
    raw = X25519PrivateKey.generate().private_bytes_raw()
    pub = X25519PrivateKey.from_private_bytes(raw).public_key().public_bytes_raw()
    return PrivateKey(_key_id(pub), raw)


def new_symmetric_key() -> SymmetricKey:
    raw = os.urandom(32)
    return SymmetricKey(_key_id(raw), raw)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int | None = None) -> bytes:
    """Strict base64: non-canonical encodings would let a flipped byte go unnoticed."""
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError, ValueError):
        raise TamperedError("header is corrupt (bad base64)") from None
    if _b64(data) != text or (length is not None and len(data) != length):
        raise TamperedError("header is corrupt (bad base64 field)")
    return data


def _hkdf(ikm: bytes, salt: bytes | None) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt, b"redactor/v1/wrap").derive(ikm)


def _content_aad(object_name: str, nonce: bytes) -> bytes:
    return b"redactor/v1\0" + object_name.encode() + b"\0" + nonce


def _wrap(data_key: bytes, object_name: str, r: Recipient) -> dict[str, str]:
    aad = b"redactor/v1/key\0" + object_name.encode() + b"\0" + r.key_id.encode()
    entry = {"key_id": r.key_id}
    if isinstance(r, PublicKey):
        eph = X25519PrivateKey.generate()
        epk = eph.public_key().public_bytes_raw()
        kek = _hkdf(eph.exchange(X25519PublicKey.from_public_bytes(r.raw)), epk + r.raw)
        entry |= {"kind": "x25519", "epk": _b64(epk)}
    elif isinstance(r, SymmetricKey):
        kek = _hkdf(r.raw, None)
        entry["kind"] = "symmetric"
    else:
        raise CryptoError(f"not a recipient key: {type(r).__name__}")
    nonce = os.urandom(12)
    entry |= {"nonce": _b64(nonce), "wrapped": _b64(AESGCM(kek).encrypt(nonce, data_key, aad))}
    return entry


def _unwrap(entry: dict[str, Any], object_name: str, ident: Identity) -> bytes:
    aad = b"redactor/v1/key\0" + object_name.encode() + b"\0" + ident.key_id.encode()
    try:
        if entry.get("kind") == "x25519" and isinstance(ident, PrivateKey):
            epk, pub = _unb64(entry.get("epk"), 32), ident.public().raw
            shared = X25519PrivateKey.from_private_bytes(ident.raw).exchange(
                X25519PublicKey.from_public_bytes(epk)
            )
            kek = _hkdf(shared, epk + pub)
        elif entry.get("kind") == "symmetric" and isinstance(ident, SymmetricKey):
            kek = _hkdf(ident.raw, None)
        else:
            raise TamperedError("header is corrupt (recipient kind does not match key)")
        nonce, wrapped = _unb64(entry.get("nonce"), 12), _unb64(entry.get("wrapped"), 48)
        return AESGCM(kek).decrypt(nonce, wrapped, aad)
    except (InvalidTag, ValueError):  # ValueError: low-order ephemeral point
        raise TamperedError("wrapped data key failed authentication") from None


def _header_bytes(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("ascii")


def _seal(header: dict[str, Any], content: bytes) -> bytes:
    hb = _header_bytes(header)
    return MAGIC + struct.pack(">I", len(hb)) + hb + content


def _split(blob: bytes) -> tuple[dict[str, Any], bytes]:
    """Parse and validate the header; return it with the content ciphertext."""
    if len(blob) < len(MAGIC) + 4 or not blob.startswith(MAGIC):
        raise CryptoError("not a redactor encrypted object")
    (n,) = struct.unpack(">I", blob[8:12])
    hb, content = blob[12 : 12 + n], blob[12 + n :]
    if len(hb) != n or len(content) < _TAG_LEN:
        raise TamperedError("object is truncated or its header length is corrupt")
    try:
        header = json.loads(hb.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise TamperedError("header is corrupt (not JSON)") from None
    if not isinstance(header, dict) or type(header.get("v")) is not int:
        raise TamperedError("header is corrupt (no version)")
    if header["v"] != FORMAT_VERSION:
        raise CryptoError(f"format version {header['v']} not supported")
    recips = header.get("recipients")
    ok = (
        set(header) == {"v", "object", "nonce", "recipients"}
        and isinstance(header["object"], str)
        and isinstance(recips, list)
        and recips
        and all(isinstance(r, dict) and isinstance(r.get("key_id"), str) for r in recips)
    )
    # Re-serialising must give the same bytes, so no byte can change without changing meaning.
    if not ok or _header_bytes(header) != hb:
        raise TamperedError("header is corrupt")
    _unb64(header["nonce"], 12)
    return header, content


def _data_key(header: dict[str, Any], object_name: str, identities: list[Identity]) -> bytes:
    if header["object"] != object_name:
        raise TamperedError("object name does not match the one it was encrypted under")
    for ident in identities:
        if not isinstance(ident, PrivateKey | SymmetricKey):  # e.g. the writer's public key
            raise DecryptError(
                f"key {ident.key_id} can only encrypt; decrypting needs its private key"
            )
        for entry in header["recipients"]:
            if entry["key_id"] == ident.key_id:
                return _unwrap(entry, object_name, ident)
    theirs = ", ".join(r["key_id"] for r in header["recipients"])
    ours = ", ".join(i.key_id for i in identities) or "none"
    raise DecryptError(
        f"no key for this object: it was written for key ids {theirs}, you have {ours}"
    )


def encrypt(plaintext: bytes, object_name: str, recipients: list[Recipient]) -> bytes:
    """Seal `plaintext` under a fresh data key wrapped for every recipient."""
    if len(plaintext) > _MAX_PLAINTEXT:
        raise CryptoError(f"object too large to encrypt in one piece ({len(plaintext)} bytes)")
    if not recipients:
        raise CryptoError("no recipients: nobody could ever decrypt this object")
    data_key, nonce = AESGCM.generate_key(bit_length=256), os.urandom(12)
    unique = list({r.key_id: r for r in recipients}.values())
    header = {
        "v": FORMAT_VERSION,
        "object": object_name,
        "nonce": _b64(nonce),
        "recipients": [_wrap(data_key, object_name, r) for r in unique],
    }
    content = AESGCM(data_key).encrypt(nonce, plaintext, _content_aad(object_name, nonce))
    return _seal(header, content)


def decrypt(blob: bytes, object_name: str, identities: list[Identity]) -> bytes:
    """Return the plaintext, or raise; never returns unauthenticated data."""
    header, content = _split(blob)
    data_key = _data_key(header, object_name, identities)
    nonce = _unb64(header["nonce"], 12)
    try:
        return AESGCM(data_key).decrypt(nonce, content, _content_aad(object_name, nonce))
    except InvalidTag:
        raise TamperedError("content failed authentication") from None


def key_ids(blob: bytes) -> list[str]:
    """Recipients' key ids, readable without any key (to pick a key or plan a rotation)."""
    header, _ = _split(blob)
    return [r["key_id"] for r in header["recipients"]]


def rewrap(
    blob: bytes, object_name: str, identities: list[Identity], recipients: list[Recipient]
) -> bytes:
    """Replace the recipients; the content ciphertext is kept byte for byte."""
    header, content = _split(blob)
    data_key = _data_key(header, object_name, identities)
    if not recipients:
        raise CryptoError("no recipients: nobody could ever decrypt this object")
    unique = list({r.key_id: r for r in recipients}.values())
    header = header | {"recipients": [_wrap(data_key, object_name, r) for r in unique]}
    return _seal(header, content)


_KINDS: dict[str, type[AnyKey]] = {
    "x25519-public": PublicKey,
    "x25519-private": PrivateKey,
    "symmetric": SymmetricKey,
}


def dump_key(key: AnyKey) -> bytes:
    kind = next(k for k, cls in _KINDS.items() if isinstance(key, cls))
    return f"{_KEY_FILE_TAG} {kind} {key.key_id}\n{_b64(key.raw)}\n".encode("ascii")


def parse_key(data: bytes, source: str) -> AnyKey:
    """Parse key text; `source` names where it came from, the text itself is never echoed."""
    try:
        tag, kind, key_id, b64 = data.decode("ascii").split()
        raw = base64.b64decode(b64, validate=True)
    except (UnicodeDecodeError, ValueError, binascii.Error):
        raise KeyFileError(
            f"{source}: not a redactor key (expected '{_KEY_FILE_TAG} KIND KEY_ID' then base64)"
        ) from None
    if tag != _KEY_FILE_TAG or kind not in _KINDS:
        raise KeyFileError(f"{source}: not a redactor key or unknown key kind")
    try:
        return _KINDS[kind](key_id, raw)
    except (CryptoError, ValueError):
        raise KeyFileError(f"{source}: key is corrupt (length or key id does not match)") from None


def write_key_file(path: Path, key: AnyKey) -> None:
    """Atomically create `path` (0600, public keys 0644); never overwrite an existing key."""
    path = Path(path)
    mode = 0o644 if isinstance(key, PublicKey) else 0o600
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise KeyFileError(f"cannot write key file {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)  # exact mode, whatever the umask
            f.write(dump_key(key))
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)  # unlike rename, fails if the target exists: no clobbering race
        fsync_dir(path.parent)
    except FileExistsError:
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key") from None
    except OSError as e:
        raise KeyFileError(f"cannot write key file {path}: {e.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _read(path: Path, check_mode: bool) -> AnyKey:
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read(64 * 1024)
    except OSError as e:
        raise KeyFileError(f"cannot read key file {path}: {e.strerror}") from None
    key = parse_key(data, str(path))
    perm = stat.S_IMODE(st.st_mode)
    if check_mode and not isinstance(key, PublicKey) and perm & 0o077:
        raise KeyFileError(f"{path}: permissions {perm:04o} are too open; chmod 600 {path}")
    return key


def read_key_file(path: Path) -> AnyKey:
    """Read a key file; like ssh, refuse secret keys readable by group or others (even as root)."""
    return _read(Path(path), check_mode=True)


def load_key(spec: str) -> AnyKey:
    """Load a key from "file:PATH" or PATH, "env:NAME" (weakest: environments leak to child
    processes and /proc) or "cred:NAME" (systemd LoadCredential=, the strongest)."""
    if spec.startswith("env:"):
        name = spec[4:]
        value = os.environ.get(name)
        if value is None:
            raise KeyFileError(f"environment variable {name} is not set")
        return parse_key(value.encode("utf-8", "replace"), f"environment variable {name}")
    if spec.startswith("cred:"):
        name = spec[5:]
        if not name or "/" in name or name in (".", ".."):
            raise KeyFileError(f"invalid credential name {name!r}")
        cred_dir = os.environ.get("CREDENTIALS_DIRECTORY")
        if not cred_dir:
            raise KeyFileError(
                f"credential {name}: CREDENTIALS_DIRECTORY is not set (not run by systemd "
                "with LoadCredential=?)"
            )
        # systemd owns these files and their access (possibly via ACLs that show as group
        # bits), so the ssh-style mode check would only give false alarms here.
        return _read(Path(cred_dir) / name, check_mode=False)
    return read_key_file(Path(spec.removeprefix("file:")))
