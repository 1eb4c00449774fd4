"""Supervision during the internship (C7; W8, W9, W10, W13, W14, W18, W19), one module a part:
attendance with "you were missed", contact moments between the three parties, the shared
logbook with its check-ins, progress with the early warnings, the evaluations, and a safe
place to report to the school."""

from stagebrug.supervision.models.attendance import (
    Attendance,
    Leave,
    Mark,
    SchoolSettings,
    WeekSignoff,
    WorkDay,
)
from stagebrug.supervision.models.contacts import ContactMoment
from stagebrug.supervision.models.evaluations import Evaluation
from stagebrug.supervision.models.logbook import GoalStatus, Going, LogEntry
from stagebrug.supervision.models.progress import EarlyWarning, Progress
from stagebrug.supervision.models.reports import Report

__all__ = [
    "Attendance",
    "ContactMoment",
    "EarlyWarning",
    "Evaluation",
    "GoalStatus",
    "Going",
    "Leave",
    "LogEntry",
    "Mark",
    "Progress",
    "Report",
    "SchoolSettings",
    "WeekSignoff",
    "WorkDay",
]
