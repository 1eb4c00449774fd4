"""Forms of an evaluation: a score per criterion with a comment (the workplace's and the
student's parts), and the school's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stagebrug.core.forms import StyledForm
from stagebrug.supervision.evaluations.services import COMMENT_MAX
from stagebrug.supervision.models import Evaluation
from stagebrug.supervision.models.evaluations import FINAL_DECISIONS, MIDTERM_DECISIONS


class ScoresForm(StyledForm, forms.Form):
    def __init__(self, *args, evaluation: Evaluation, comment_label, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        for criterion in evaluation.criteria:
            self.fields[criterion["key"]] = forms.ChoiceField(
                label=criterion["text"],
                choices=Evaluation.Score.choices,
                widget=forms.RadioSelect,
            )
        self.fields["comment"] = forms.CharField(
            label=comment_label,
            max_length=COMMENT_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def scores(self) -> dict[str, str]:
        return {c["key"]: self.cleaned_data.get(c["key"], "") for c in self.evaluation.criteria}


def workplace_form(evaluation: Evaluation, data=None) -> ScoresForm:
    return ScoresForm(
        data,
        evaluation=evaluation,
        prefix="workplace",
        comment_label=_("Your explanation: what went well, and what must improve"),
        initial={**evaluation.workplace_scores, "comment": evaluation.workplace_comment},
    )


def student_form(evaluation: Evaluation, data=None) -> ScoresForm:
    return ScoresForm(
        data,
        evaluation=evaluation,
        prefix="student",
        comment_label=_("In your own words: what went well, and what do you want to improve?"),
        initial={**evaluation.student_scores, "comment": evaluation.student_comment},
    )


class DecisionForm(StyledForm, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Explanation for the student and the workplace"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, evaluation: Evaluation, **kwargs) -> None:
        kwargs.setdefault("prefix", "school")
        super().__init__(*args, **kwargs)
        allowed = MIDTERM_DECISIONS if evaluation.kind == "midterm" else FINAL_DECISIONS
        self.fields["decision"].choices = [(d.value, d.label) for d in allowed]
