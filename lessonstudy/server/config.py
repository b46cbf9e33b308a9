"""Server settings, from the environment with embedded defaults.

| variable | default | meaning |
|---|---|---|
| LESSONSTUDY_DATABASE_URL | sqlite:///data/lessonstudy.db | where events and views live |
| LESSONSTUDY_SECRET_KEY | generated once into data/secret_key | signs session cookies |
| LESSONSTUDY_REDIS_URL | (none) | Socket.IO message queue and rate limits across processes |
| LESSONSTUDY_ALLOWED_ORIGINS | the server's own address | origins allowed for Socket.IO |
| LESSONSTUDY_FOLLOW | thread | "thread": follow the log in-process; "none": a worker does |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lessonstudy.storage import DEFAULT_DATA_DIR, configured_database_url


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
        return replace(config, **overrides)

    def with_secret(self) -> ServerConfig:
        """A config whose secret key is set: generated once and kept in the data folder."""
        if self.secret_key:
            return self
        path = DEFAULT_DATA_DIR / "secret_key"
        return replace(self, secret_key=_read_or_create_secret(path))


def _read_or_create_secret(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o600)
    return secret
