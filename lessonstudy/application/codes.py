"""The short codes people read aloud or type: guests' join codes, team invitations."""

from __future__ import annotations

import secrets

# No 0/O, 1/I: a code is read aloud in a room or copied from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def spoken_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
