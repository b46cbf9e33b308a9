"""PartKey: the texts of plan part keys, built and read back."""

from __future__ import annotations

import pytest

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.part_key import PartKey


@pytest.mark.parametrize(
    ("key", "text"),
    [
        (PartKey.plan("title"), "title"),
        (PartKey.step("s1"), "step:s1"),
        (PartKey.step("s1", "minutes"), "step:s1:minutes"),
        (PartKey.step("s1", "responses"), "step:s1:responses"),
        (PartKey.response("r1"), "response:r1"),
        (PartKey.response("r1", "text"), "response:r1:text"),
    ],
)
def test_a_key_gives_its_text_and_reads_back_from_it(key: PartKey, text: str) -> None:
    assert str(key) == text
    assert PartKey.parse(text) == key
    assert PartKey.text(key.kind, key.ident, key.field) == text


def test_the_texts_of_several_fields_of_one_part() -> None:
    assert PartKey.texts("response", "r1", ["text", "kind"]) == [
        "response:r1:text",
        "response:r1:kind",
    ]


def test_a_parsed_key_names_its_kind_ident_and_field() -> None:
    key = PartKey.parse("response:r7:misconception_id")
    assert (key.kind, key.ident, key.field) == ("response", "r7", "misconception_id")
    plan = PartKey.parse("class_layout")
    assert (plan.kind, plan.ident, plan.field) == ("plan", "", "class_layout")


@pytest.mark.parametrize(
    "text", ["", "step:", "step::minutes", "lesson:x", "response:r1:", "step:s1:minutes:x", ":x"]
)
def test_a_malformed_key_is_refused_naming_the_part(text: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        PartKey.parse(text)
    assert refused.value.field == "part"
