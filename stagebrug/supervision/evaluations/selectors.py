"""What a student's data export holds of their evaluations."""

from __future__ import annotations

from stagebrug.accounts.models import User
from stagebrug.supervision.models import Evaluation


def personal_data(*, user: User) -> dict:
    """`accounts.hooks.personal_data`: the student's evaluations, every part and the decision."""
    return {
        "evaluations": [
            {
                "internship": e.internship_id,
                "kind": e.kind,
                "due_on": e.due_on.isoformat(),
                "criteria": e.criteria,
                "workplace_scores": e.workplace_scores,
                "workplace_comment": e.workplace_comment,
                "own_scores": e.student_scores,
                "own_comment": e.student_comment,
                "decision": e.decision,
                "school_comment": e.school_comment,
            }
            for e in Evaluation.objects.filter(internship__student=user).order_by("due_on", "pk")
        ]
    }
