"""A way into the demo from a browser: a demo account on the demo team.

The demo's members are people ids without accounts (the demo is a story, not a
login list), so ``lessonstudy serve --demo`` adds one account that anyone trying
the demo on their own machine can sign in with, as a planner of the demo team.
"""

from __future__ import annotations

from dataclasses import dataclass

from lessonstudy.application import LessonStudy
from lessonstudy.demo import plan
from lessonstudy.demo.load import DemoSummary
from lessonstudy.domain.account import account_id_for
from lessonstudy.domain.errors import NotFoundError

DEMO_EMAIL = "demo@lessonstudy.example"
DEMO_PASSWORD = "try-lesson-study"  # printed by `serve --demo`; a local demo only
DEMO_NAME = "Demo Visitor"


@dataclass(frozen=True)
class DemoAccess:
    email: str
    password: str
    team_id: str
    lesson_id: str


def ensure_demo_access(app: LessonStudy, summary: DemoSummary) -> DemoAccess:
    """The demo account, created and added to the demo team once; again, nothing new."""
    account_id = account_id_for(DEMO_EMAIL)
    try:
        app.get_account(account_id)
    except NotFoundError:
        app.register_account(email=DEMO_EMAIL, display_name=DEMO_NAME, password=DEMO_PASSWORD)
    team = app.get_team(summary.team_id)
    if str(account_id) not in team.members:
        app.add_member(
            actor_id=plan.FACILITATOR,
            team_id=summary.team_id,
            person_id=str(account_id),
            name=DEMO_NAME,
            roles=["planner", "observer"],
        )
    return DemoAccess(DEMO_EMAIL, DEMO_PASSWORD, summary.team_id, summary.lesson_id)
