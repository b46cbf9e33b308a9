"""Photos of student work: checked by their bytes, stored under random names.

An upload's declared type and file name come from the client and prove nothing, so
the type is read from the first bytes (JPEG, PNG or WebP only) and the name is a
random id chosen here: nothing the client sends reaches the file system. Photos live
in the data folder, one folder per teaching, and are served back only to the people
who may see that teaching's notes.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.server.config import photos_root
from lessonstudy.server.context import services

# photos_root lives with the settings, which choose the folder once; named here too
# because this is where a reader of the photo store looks for it.
__all__ = ["PhotoStore", "media_type", "photo_store", "photos_root", "sniff"]

MAX_PHOTO_BYTES = 8 * 1024 * 1024

# (extension, media type) by the file's magic bytes.
_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
PHOTO_ID = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


def sniff(head: bytes) -> str | None:
    """The extension of a JPEG, PNG or WebP image from its first bytes, else None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


@dataclass(frozen=True)
class PhotoStore:
    root: Path

    def save(self, teaching_id: str, stream: IO[bytes]) -> str:
        """Store an uploaded image; its new id, or InvalidValueError naming "photo"."""
        data = stream.read(MAX_PHOTO_BYTES + 1)
        if len(data) > MAX_PHOTO_BYTES:
            raise InvalidValueError("a photo may be at most 8 MB", field="photo")
        if not data:
            raise InvalidValueError("the photo is empty", field="photo")
        extension = sniff(data[:16])
        if extension is None:
            raise InvalidValueError("a photo must be a JPEG, PNG or WebP image", field="photo")
        photo_id = f"{secrets.token_hex(16)}.{extension}"
        folder = self._folder(teaching_id)
        folder.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then renamed: a photo id never names
        # half a file, even if the server dies mid-write.
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False) as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(out.name, folder / photo_id)
        return photo_id

    def path(self, teaching_id: str, photo_id: str) -> Path:
        """The stored photo's file, or NotFoundError for any id not made by save()."""
        if not PHOTO_ID.match(photo_id):
            raise NotFoundError(f"no photo {photo_id}", field="photo_id")
        path = self._folder(teaching_id) / photo_id
        if not path.is_file():
            raise NotFoundError(f"no photo {photo_id}", field="photo_id")
        return path

    def exists(self, teaching_id: str, photo_id: str) -> bool:
        try:
            self.path(teaching_id, photo_id)
        except NotFoundError:
            return False
        return True

    def _folder(self, teaching_id: str) -> Path:
        # teaching_id is a canonical uuid by now (teaching_access.canonical_id).
        return self.root / teaching_id


def media_type(photo_id: str) -> str:
    return _TYPES[photo_id.rsplit(".", 1)[1]]


def photo_store() -> PhotoStore:
    """This app's photo store, made on first use (no module state: one per app)."""
    found = current_app.extensions.get("lessonstudy_photos")
    if found is None:
        config = services().config
        found = PhotoStore(config.photos_dir or photos_root(config.database_url))
        found = current_app.extensions.setdefault("lessonstudy_photos", found)
    store: PhotoStore = found
    return store
