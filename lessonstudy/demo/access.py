"""A way into the demo from a browser: a demo account that can try every part of it.

The demo's members are people ids without accounts (the demo is a story, not a
login list), so ``lessonstudy serve --demo`` adds one account that anyone trying
the demo on their own machine can sign in with. It holds the roles of every part a
teacher tries: planning (planner), running the lesson under way (instructor, and
facilitator), observing it (anyone on the team) and opening and leading its
discussion (facilitator). The lesson under way is added beside it (under_way).
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonstudy.application import LessonStudy
from lessonstudy.demo import plan
from lessonstudy.demo.load import DemoSummary
from lessonstudy.demo.under_way import CLASS, ensure_lesson_under_way
from lessonstudy.domain.account import account_id_for
from lessonstudy.domain.errors import NotFoundError

DEMO_EMAIL = "demo@lessonstudy.example"
DEMO_PASSWORD = "try-lesson-study"  # printed by `serve --demo`; a local demo only
DEMO_NAME = "Demo Visitor"
DEMO_ROLES = ["planner", "instructor", "observer", "facilitator"]


@dataclass(frozen=True)
class DemoAccess:
    email: str
    password: str
    team_id: str
    lesson_id: str
    teaching_id: str  # the lesson under way
    discussion_id: str  # the first cycle's, closed

    def describe(self, site: str) -> list[str]:
        """Where to go for each part, as `serve --demo` prints it under the address."""
        teaching = f"{site}/teachings/{self.teaching_id}"
        return [
            f"demo sign-in: {self.email} / {self.password}",
            f"  plan:      {site}/lessons/{self.lesson_id}/plan",
            f"  teach:     {teaching}/teach  (class {CLASS}: the lesson is under way)",
            f"  observe:   {teaching}/observe  (in a second window or on a phone)",
            f"  projector: {teaching}/facilitate",
            f"  discuss:   end the lesson on the teach page, then {teaching}/discussion",
            f"  cycle 1's discussion: {site}/discussions/{self.discussion_id}",
        ]


def ensure_demo_access(app: LessonStudy, summary: DemoSummary) -> DemoAccess:
    """The demo account on the demo team with every role a visitor needs, and the
    lesson under way; created once, brought up to date (an account from an earlier
    release lacked roles), otherwise nothing new."""
    account_id = account_id_for(DEMO_EMAIL)
    try:
        app.get_account(account_id)
    except NotFoundError:
        app.register_account(email=DEMO_EMAIL, display_name=DEMO_NAME, password=DEMO_PASSWORD)
    member = app.get_team(summary.team_id).members.get(str(account_id))
    if member is None:
        app.add_member(
            actor_id=plan.FACILITATOR,
            team_id=summary.team_id,
            person_id=str(account_id),
            name=DEMO_NAME,
            roles=DEMO_ROLES,
        )
    elif not set(DEMO_ROLES) <= set(member["roles"]):
        app.change_member_roles(
            actor_id=plan.FACILITATOR,
            team_id=summary.team_id,
            person_id=str(account_id),
            roles=sorted(set(member["roles"]) | set(DEMO_ROLES)),
        )
    teaching_id = ensure_lesson_under_way(app, summary.lesson_id)
    return DemoAccess(
        DEMO_EMAIL,
        DEMO_PASSWORD,
        summary.team_id,
        summary.lesson_id,
        teaching_id,
        summary.discussion_id,
    )
