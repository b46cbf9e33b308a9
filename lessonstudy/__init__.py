"""lessonstudy: the lesson-study cycle as an event-sourced application."""
