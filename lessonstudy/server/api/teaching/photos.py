"""Photos of student work for a teaching's notes: upload, then refer to by photo_id."""

from __future__ import annotations

from typing import Any

from flask import Response, request, send_file

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.server.api.access import no_query
from lessonstudy.server.api.teaching.blueprint import blp, checked
from lessonstudy.server.api.teaching.schemas import PhotoSchema
from lessonstudy.server.photos import media_type, photo_store
from lessonstudy.server.teaching_access import canonical_id, observer_of


@blp.route("/teachings/<uuid:teaching_id>/photos", methods=["POST"])
@blp.response(201, PhotoSchema)
def upload_photo(teaching_id: Any) -> dict[str, str]:
    """Upload one photo (multipart form field ``photo``): JPEG, PNG or WebP, at most 8 MB.

    The type is read from the file's bytes, not from its name or declared type.
    """
    observer_of(teaching_id)
    upload = request.files.get("photo")
    if upload is None:
        raise InvalidValueError("send the image as the multipart field 'photo'", field="photo")
    return {"photo_id": photo_store().save(canonical_id(teaching_id), upload.stream)}


@blp.route("/teachings/<uuid:teaching_id>/photos/<photo_id>", methods=["GET"])
@checked(observer_of)
@no_query(blp)
def read_photo(teaching_id: Any, photo_id: str) -> Response:
    """A photo, to the teaching's team and guests only."""
    path = photo_store().path(canonical_id(teaching_id), photo_id)
    response = send_file(path, mimetype=media_type(photo_id), max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
