"""Photos of student work: checked by their bytes, stored under random names, shown only
to the teaching's team and guests, and referred to by notes."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from realtime.room import Lesson, notes_recorded, record, refused
from server.site import Person, error, ok

from lessonstudy.server.photos import MAX_PHOTO_BYTES

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 100


def upload(person: Person, lesson: Lesson, data: bytes, name: str = "work.jpg") -> Any:
    return person.client.post(
        f"{lesson.url}/photos",
        data={"photo": (io.BytesIO(data), name, "image/jpeg")},
        headers={"X-CSRFToken": person.csrf},
        content_type="multipart/form-data",
    )


def test_a_photo_is_stored_under_a_random_name_and_served_back(
    lesson: Lesson, tmp_path: Path
) -> None:
    world = lesson.world
    for data, kind in [(JPEG, "jpg"), (PNG, "png"), (WEBP, "webp")]:
        # The name and declared type say nothing: the bytes decide.
        photo_id = ok(upload(world.obi, lesson, data, name="../../evil.html"), 201)["photo_id"]
        assert re.fullmatch(rf"[0-9a-f]{{32}}\.{kind}", photo_id)
        answer = world.ana.get(f"{lesson.url}/photos/{photo_id}")
        assert answer.status_code == 200 and answer.data == data
        assert answer.headers["Content-Type"] == {"jpg": "image/jpeg"}.get(kind, f"image/{kind}")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        root = world.site.app.extensions["lessonstudy_photos"].root
        assert (root / lesson.teaching_id / photo_id).read_bytes() == data
    if world.site.services.config.database_url.startswith("sqlite"):
        assert root == tmp_path / "photos"  # the data folder, beside the database
    assert not list(root.rglob("evil*")) and not list(tmp_path.rglob("evil*"))


def test_only_images_up_to_8_mb_are_accepted(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi = lesson.world.obi
    for data in [b"<html><script>alert(1)</script>", b"GIF89a" + b"\x00" * 50, b""]:
        assert "photo" in error(upload(obi, lesson, data), 422)["fields"]
    too_big = JPEG[:4] + b"\x00" * MAX_PHOTO_BYTES
    assert "photo" in error(upload(obi, lesson, too_big), 422)["fields"]
    no_file = obi.client.post(f"{lesson.url}/photos", data={}, headers={"X-CSRFToken": obi.csrf})
    assert "photo" in error(no_file, 422)["fields"]


def test_photos_are_for_the_teachings_team_and_guests_only(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    photo_id = ok(upload(world.obi, lesson, JPEG), 201)["photo_id"]
    path = f"{lesson.url}/photos/{photo_id}"
    error(world.nia.get(path), 403)
    error(world.visitor.get(path), 401)
    error(upload(world.nia, lesson, JPEG), 403)
    kit = lesson.guest("Kit")
    assert kit.get(path).data == JPEG
    assert ok(upload(kit, lesson, PNG), 201)["photo_id"].endswith(".png")
    for bad in ["../secret_key", "0" * 32 + ".jpg", photo_id.replace(".jpg", ".png")]:
        error(world.ana.get(f"{lesson.url}/photos/{bad}"), 404)


def test_a_note_refers_to_an_uploaded_photo_of_its_own_teaching(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    photo_id = ok(upload(world.obi, lesson, JPEG), 201)["photo_id"]
    obi, ana = lesson.observer(world.obi), lesson.observer(world.ana)
    ack = record(obi, lesson, kind="student_work", text="Drew both bags", photo_id=photo_id)
    assert ack["note"]["photo_id"] == photo_id
    assert [n["note"]["photo_id"] for n in notes_recorded(ana)] == [photo_id]
    # Another teaching's photo is not this one's to cite.
    body = {"instructor_id": world.ana.id, "class_label": "6B"}
    other = ok(world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)["id"]
    elsewhere = Lesson(world, other)
    ok(world.ana.post(f"{elsewhere.url}/start", {}))
    refused(record(obi, elsewhere, photo_id=photo_id), 422, "photo_id")
    error(world.ana.get(f"{elsewhere.url}/photos/{photo_id}"), 404)
