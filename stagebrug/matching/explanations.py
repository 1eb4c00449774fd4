"""A student's result in words: which choice they got, and why not each higher choice.

W2 asks for matching people can trust, and trust needs reasons. The run stores each student's
explanation as codes and placement ids (see `adapter.summarise`); this module words it in the
reader's language when it is shown. It only ever speaks of counts and of how the placement
ranked ("the business ranked higher", "the lottery"), never of who got the seat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from stagebrug.matching.adapter import BY_BUSINESS, BY_FIT, WHY_NO_ELIGIBLE, WHY_RANKED_NOTHING
from stagebrug.placements.models import Placement


def ordinal(n: int) -> str:
    """1st/2nd/3rd in English, 1e/2e/3e in Dutch."""
    if (get_language() or "nl").startswith("nl"):
        return f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class Line:
    choice: int
    placement: Placement | None
    text: str


@dataclass
class Worded:
    summary: str
    lines: list[Line] = field(default_factory=list)
    next_step: str = ""


def _full(seats: int, ranked_by: str) -> str:
    if ranked_by == BY_BUSINESS:
        return ngettext(
            "Its only seat went to a student the business ranked higher than you.",
            "All %(seats)d seats went to students the business ranked higher than you.",
            seats,
        ) % {"seats": seats}
    if ranked_by == BY_FIT:
        return ngettext(
            "Its only seat went to a student who fits this placement better by the fit score.",
            "All %(seats)d seats went to students who fit this placement better by the fit score.",
            seats,
        ) % {"seats": seats}
    return ngettext(
        "Its only seat went to a student ahead of you in the lottery. This business welcomes "
        "every candidate, so a fair draw decided.",
        "All %(seats)d seats went to students ahead of you in the lottery. This business "
        "welcomes every candidate, so a fair draw decided.",
        seats,
    ) % {"seats": seats}


def reason_text(reason: Mapping[str, Any]) -> str:
    code = reason.get("code")
    ranked_by = reason.get("ranked_by", "")
    if code == "full":
        return _full(int(reason.get("seats") or 0), ranked_by)
    if code == "not_ranked":
        if ranked_by == BY_FIT:
            return _(
                "The fit score found that this placement does not suit you, so it could not "
                "take you."
            )
        return _("The business did not rank you, so it could not take you.")
    if code == "no_seats":
        return _("It had no free seat in this round.")
    if code == "supervisor_full":
        return _("Its workplace supervisor could not take more students.")
    if code == "welfare":
        return _(
            "You could have had a seat here under the usual rules, but this round was run to "
            "place as many students as possible."
        )
    return _("Your coordinator can tell you more about this choice.")


def word(explanation: Mapping[str, Any], placements: Mapping[int, Placement]) -> Worded:
    """The explanation of one student, worded for that student."""
    placement_id = explanation.get("placement")
    lines = [
        Line(
            choice=int(r["choice"]),
            placement=placements.get(int(r["placement"])),
            text=reason_text(r),
        )
        for r in explanation.get("reasons") or []
    ]
    if explanation.get("already_placed"):
        return Worded(
            summary=_(
                "You already have a confirmed placement, so this round did not place you again."
            )
        )
    if placement_id:
        placement = placements.get(int(placement_id))
        title = placement.title if placement else ""
        company = placement.company.name if placement else ""
        choice = int(explanation.get("choice") or 1)
        if choice == 1:
            summary = _("You got your first choice: %(title)s at %(company)s.") % {
                "title": title,
                "company": company,
            }
        else:
            summary = _(
                "You got your %(choice)s choice: %(title)s at %(company)s. Below you see why "
                "your higher choices did not work out."
            ) % {"choice": ordinal(choice), "title": title, "company": company}
        return Worded(
            summary=summary,
            lines=lines,
            next_step=_(
                "Your internship is confirmed. The business and your school will contact you "
                "about the agreement and your start."
            ),
        )
    ranked = int(explanation.get("ranked") or len(lines))
    if not ranked or explanation.get("why") == WHY_RANKED_NOTHING:
        summary = _("You were not placed: you did not choose any placement in this round.")
    elif explanation.get("why") == WHY_NO_ELIGIBLE:
        summary = _("You were not placed: none of the placements you chose could take you.")
    else:
        summary = _(
            "You were not placed in this round: the placements you chose were full with "
            "students ranked higher."
        )
    return Worded(
        summary=summary,
        lines=lines,
        next_step=_(
            "Your school will start a follow-up round with the placements that still have room. "
            "You will get a message when you can choose again."
        ),
    )


def placements_for(explanations: list[Mapping[str, Any]]) -> dict[int, Placement]:
    """Every placement the explanations mention, in one query."""
    ids: set[int] = set()
    for exp in explanations:
        if exp.get("placement"):
            ids.add(int(exp["placement"]))
        ids.update(int(r["placement"]) for r in exp.get("reasons") or [])
    return {
        p.pk: p for p in Placement.objects.filter(pk__in=ids).select_related("company", "location")
    }
