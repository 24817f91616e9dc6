"""The key of the redaction markers (see :mod:`collector.engine.redact`), kept out of the database.

A marker is ``HMAC-SHA256(key, value)``: without the key, a stored marker reveals nothing, not
even to a dictionary of likely passwords; with the same key, a changed secret still changes its
marker (the resource shows as ``modified``). The key is 32 random bytes in a file readable by
its owner only:

* ``[redact] key_file`` when the config names one (collectors on several hosts writing one
  PostgreSQL inventory must share it, or every secret looks changed when the host changes);
* else beside a SQLite database: ``inventory.db`` -> ``inventory.db.key``;
* else (PostgreSQL, in-memory SQLite) ``$XDG_CONFIG_HOME/inventory/redact.key``
  (``~/.config/inventory/redact.key``).

The file is created on first use; a key file that group or others can read is refused.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

__all__ = ["KEY_BYTES", "KeyFileError", "default_key_path", "load_or_create_key"]

KEY_BYTES = 32


class KeyFileError(Exception):
    """The key file cannot be read or created, or others can read it."""


def default_key_path(db_url: str | None, configured: str | None = None) -> Path:
    if configured:
        return Path(configured).expanduser()
    if db_url:
        from collector.store.engine import _sqlite_path, normalize_url

        try:
            url = make_url(normalize_url(db_url))
        except Exception:  # a bad URL fails later, with the database's own message
            url = None
        path = _sqlite_path(url) if url is not None and url.get_backend_name() == "sqlite" else None
        if path is not None:
            return path.with_name(path.name + ".key")
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "inventory" / "redact.key"


def _create(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_hex(KEY_BYTES).encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # atomic, and never replaces a key another process just made
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``, created (mode 0600) if the file does not exist."""
    try:
        if not path.exists():
            _create(path)
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyFileError(
                f"redaction key file {path} is readable by others (mode {stat.filemode(mode)}); "
                f"chmod 600 {path}"
            )
        text = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise KeyFileError(f"cannot use redaction key file {path}: {exc.strerror}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise KeyFileError(f"redaction key file {path} does not hold a hex key of 16+ bytes")
    return key
