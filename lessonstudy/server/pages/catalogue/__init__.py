"""The misconception catalogue's pages: for a signed-in teacher (``browse``) and through
a school's read-only link (``school``), from the same templates and the same queries
as the catalogue's REST API; ``charts`` and ``facets`` are what the browse and task
pages draw beside the entries.

Importing the package adds its routes to the pages blueprint.
"""

from lessonstudy.server.pages.catalogue import browse, school

__all__ = ["browse", "school"]
