"""Documents made from the event-sourced state: the research lesson plan as Markdown."""
