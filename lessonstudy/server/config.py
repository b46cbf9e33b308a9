"""Server settings, from the environment with embedded defaults.

| variable | default | meaning |
|---|---|---|
| LESSONSTUDY_DATABASE_URL | sqlite:///data/lessonstudy.db | where events and views live |
| LESSONSTUDY_SECRET_KEY | generated once into data/secret_key | signs session cookies |
| LESSONSTUDY_REDIS_URL | (none) | Socket.IO message queue and rate limits across processes |
| LESSONSTUDY_ALLOWED_ORIGINS | the server's own address | origins allowed for Socket.IO |
| LESSONSTUDY_FOLLOW | thread | "thread": follow the log in-process; "none": a worker does |
| LESSONSTUDY_PHOTOS_DIR | beside the SQLite file, else data/photos | where photos are kept |

Relative paths mean the folder the server was started in, and are made absolute when
the settings are read: Flask's send_file reads a relative path against the package's
folder, so photos saved under ./data/photos could never be read back.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lessonstudy.storage import DEFAULT_DATA_DIR, configured_database_url, parse_database_url

PHOTOS_DIR_SETTING = "LESSONSTUDY_PHOTOS_DIR"


@dataclass(frozen=True)
class ServerConfig:
    database_url: str = field(default_factory=configured_database_url)
    secret_key: str = ""
    redis_url: str | None = None
    allowed_origins: tuple[str, ...] = ()
    follow: str = "thread"
    testing: bool = False
    secure_cookies: bool = False
    login_attempts_per_minute: int = 5
    # Absolute; None (a config made in code): photos_root(database_url) on first use.
    photos_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.photos_dir is not None and not self.photos_dir.is_absolute():
            object.__setattr__(self, "photos_dir", self.photos_dir.absolute())

    @classmethod
    def from_environment(cls, **overrides: Any) -> ServerConfig:
        env = os.environ
        origins = tuple(o for o in env.get("LESSONSTUDY_ALLOWED_ORIGINS", "").split(",") if o)
        config = cls(
            secret_key=env.get("LESSONSTUDY_SECRET_KEY", ""),
            redis_url=env.get("LESSONSTUDY_REDIS_URL") or None,
            allowed_origins=origins,
            follow=env.get("LESSONSTUDY_FOLLOW", "thread"),
            secure_cookies=env.get("LESSONSTUDY_SECURE_COOKIES", "") == "1",
        )
        config = replace(config, **overrides)
        if config.photos_dir is None:  # chosen once the database URL is final
            config = replace(config, photos_dir=photos_root(config.database_url))
        return config

    def with_secret(self) -> ServerConfig:
        """A config whose secret key is set: generated once and kept in the data folder."""
        if self.secret_key:
            return self
        path = DEFAULT_DATA_DIR / "secret_key"
        return replace(self, secret_key=_read_or_create_secret(path))


def photos_root(database_url: str, environ: dict[str, str] | None = None) -> Path:
    """$LESSONSTUDY_PHOTOS_DIR, else beside the SQLite file, else the data folder; an
    absolute path, a relative one being taken from the current folder now.

    The in-memory store gets a folder of its own that goes when the machine cleans
    its temporary files, as the store's events go with the process.
    """
    env = os.environ if environ is None else environ
    if env.get(PHOTOS_DIR_SETTING):
        return Path(env[PHOTOS_DIR_SETTING]).absolute()
    store = parse_database_url(database_url)
    if store.sqlite_path is not None:
        return (store.sqlite_path.parent / "photos").absolute()
    if store.kind == "memory":
        return Path(tempfile.mkdtemp(prefix="lessonstudy-photos-"))
    return (DEFAULT_DATA_DIR / "photos").absolute()


def _read_or_create_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
