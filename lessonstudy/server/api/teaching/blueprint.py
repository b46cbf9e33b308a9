"""The teaching endpoints' blueprint, shared by the modules that add routes to it."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "teaching",
    __name__,
    url_prefix="/api/v1",
    description="Teaching a lesson: its clock, guests, notes and photos",
)
