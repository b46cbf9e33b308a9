"""Text and id fields for request bodies, as strict as what the stores can keep.

PostgreSQL cannot keep a NUL character in a text column (a read model would stop on
it) and an unpaired surrogate cannot be encoded as UTF-8 (the save would fail with a
500), so both are refused at the boundary with a 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from lessonstudy.domain.values import CODE_PATTERN

# Matches when the text holds at least one non-space character (JSON Schema's
# "pattern" searches, marshmallow's Regexp matches from the start: both agree here).
NOT_BLANK = validate.Regexp(r"[\s\S]*\S", error="must not be empty")

# Ids chosen by clients (steps, responses) appear in URLs and in part keys such as
# "step:<id>:minutes", so they keep to characters that are safe in both.
CLIENT_ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$",
    error="must be 1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit",
)

CODE = validate.Regexp(
    CODE_PATTERN.pattern,
    error="must be a code such as 'G3-S2' (capitals, digits, '-', at most 16 characters)",
)


class Text(fields.String):
    """A string without NUL characters or unpaired surrogates."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("must not contain NUL characters")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("must be valid Unicode text") from None
        return text


def text(max_length: int, *, required: bool = False, blank: bool = True, **kwargs: Any) -> Text:
    """A text field of at most max_length characters; blank=False refuses only spaces."""
    validators: list[Any] = [validate.Length(max=max_length)]
    if not blank:
        validators = [validate.Length(min=1, max=max_length), NOT_BLANK]
    return Text(required=required, validate=validators, **kwargs)


def client_id(**kwargs: Any) -> Text:
    return Text(validate=CLIENT_ID, **kwargs)
