"""The application layer: the LessonStudy service and the plain data it returns."""

from lessonstudy.application.service import LessonStudy

__all__ = ["LessonStudy"]
