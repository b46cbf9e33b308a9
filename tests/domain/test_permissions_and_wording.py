"""Who may do what (one table of roles per action), and the nudge towards description."""

from __future__ import annotations

import pytest

from lessonstudy.domain.errors import InvalidValueError, PermissionDeniedError
from lessonstudy.domain.permissions import ALLOWED_ROLES, Action, may, require
from lessonstudy.domain.values import Role, check_text
from lessonstudy.domain.wording import judgement_words, nudge_for

EVERYONE = frozenset(Role)
# The rule as the product states it, written out so a change to the table is deliberate.
EXPECTED: dict[Action, frozenset[Role]] = {
    Action.MANAGE_TEAM: frozenset({Role.PLANNER, Role.FACILITATOR}),
    Action.DEFINE_TASK: frozenset({Role.PLANNER, Role.INSTRUCTOR, Role.FACILITATOR}),
    Action.EDIT_PLAN: frozenset({Role.PLANNER, Role.INSTRUCTOR}),
    Action.RUN_TEACHING: frozenset({Role.INSTRUCTOR, Role.FACILITATOR}),
    Action.OBSERVE: EVERYONE,
    Action.FACILITATE: frozenset({Role.FACILITATOR}),
    Action.REFLECT_AS_INSTRUCTOR: frozenset({Role.INSTRUCTOR}),
    Action.CONTRIBUTE_TO_DISCUSSION: EVERYONE,
    Action.COMMENT_AS_KNOWLEDGEABLE_OTHER: frozenset({Role.KNOWLEDGEABLE_OTHER}),
    Action.CURATE_CATALOGUE: frozenset({Role.CURATOR}),
    Action.SHARE_CATALOGUE: frozenset({Role.FACILITATOR, Role.CURATOR}),
}


def test_every_action_has_its_roles() -> None:
    assert ALLOWED_ROLES == EXPECTED
    assert set(ALLOWED_ROLES) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", list(Role))
def test_require(action: Action, role: Role) -> None:
    if role in EXPECTED[action]:
        require([role.value], action)
        assert may([role], action) is True
        return
    assert may([role.value], action) is False
    with pytest.raises(PermissionDeniedError) as info:
        require([role.value], action)
    assert info.value.field == "roles"
    allowed = ", ".join(sorted(r.value for r in EXPECTED[action]))
    assert (
        info.value.message == f"{action.value.replace('_', ' ')} needs one of the roles: {allowed}"
    )


def test_one_allowing_role_is_enough() -> None:
    require(iter(["observer", "curator"]), Action.CURATE_CATALOGUE)


def test_no_roles_allow_nothing() -> None:
    with pytest.raises(PermissionDeniedError):
        require([], Action.OBSERVE)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("G2-S1 was bored", ["bored"]),
        ("Good answer. GOOD work, really good", ["good"]),
        ("A weak, careless and lazy attempt", ["weak", "careless", "lazy"]),
        ("She is clearly high-ability", ["high-ability"]),
        ("Seemed distracted and disengaged", ["distracted", "disengaged"]),
    ],
)
def test_judgement_words_are_found_in_order(text: str, words: list[str]) -> None:
    assert judgement_words(text) == words


def test_the_nudge_quotes_the_words() -> None:
    assert nudge_for("Bored and confused") == (
        "'bored', 'confused' reads like a judgement. What did the student say or do that"
        " showed it? A quote or a description of the work helps the team most."
    )


@pytest.mark.parametrize(
    "text",
    [
        '"0.25 is bigger because 25 is more than 3"',
        "G1-S2 wrote 0.30 under 0.25 and circled 0.30",
        "Teacher asked: which is larger? Goodness knows, said S4",
        "",
    ],
)
def test_descriptive_text_gets_no_nudge(text: str) -> None:
    assert judgement_words(text) == []
    assert nudge_for(text) is None


@pytest.mark.parametrize("text", ["a\x00b", "lone \ud800 surrogate"])
def test_text_that_cannot_be_stored_is_refused(text: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        check_text(text, "name")
    assert info.value.field == "name"


def test_any_other_unicode_is_kept() -> None:
    assert check_text("  Zoë's 🎲 bag  ", "name") == "Zoë's 🎲 bag"
