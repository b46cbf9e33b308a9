"""The research lesson plan over REST: its routes, its schemas, and its answer cache.

``routes`` reads the plan at any revision and edits it one part at a time (one
endpoint per field); ``schemas`` says what each part accepts and how the plan is
sent; ``cache`` keeps each revision's encoded answer. The lesson and discussion
record answers embed the plan as this package sends it.
"""

from lessonstudy.server.api.plan.routes import blp, plan_body
from lessonstudy.server.api.plan.schemas import PlanSchema

__all__ = ["PlanSchema", "blp", "plan_body"]
