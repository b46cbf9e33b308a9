"""Teaching a lesson over REST: its clock, guests by join code, notes by position, photos.

One blueprint (``blueprint``) that three route modules fill when imported: ``routes``
(schedule, the lesson's clock, the join code, focus, notes), ``guests`` (joining with
the code) and ``photos`` (upload and read back); ``schemas`` holds their bodies.
Notes are written over Socket.IO (server/realtime/observation.py, docs/realtime.md).
"""

# The route modules add their routes to blp when imported; guests and photos first,
# in the order the OpenAPI document has always listed them.
from lessonstudy.server.api.teaching import guests, photos, routes
from lessonstudy.server.api.teaching.blueprint import blp

__all__ = ["blp", "guests", "photos", "routes"]
