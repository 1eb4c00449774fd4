"""The sentences of a fit, written for the student or for the business: activities first
(W16), and a business never sees the student's postcode, only the distance. Built only for
what is shown."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from stagebrug.applications.recommendations.facts import (
    ACTIVITIES,
    ALLOWANCE,
    DISTANCE,
    DUO,
    HOURS,
    LEVEL_OUTSIDE,
    NOT_OFFERED,
    PROGRAMME_LEVEL,
    START,
    Audience,
    PlacementFitFacts,
    StudentFacts,
)
from stagebrug.core.text.terms import text_terms
from stagebrug.registry.levels import level_label


def _km(km: float) -> str:
    return number_format(round(km, 1) if km < 10 else round(km), 1 if km < 10 else 0)


def _euro(amount: float) -> str:
    return number_format(round(amount), 0, force_grouping=True)


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gate_text(code: str, s: StudentFacts, p: PlacementFitFacts, audience: Audience) -> str:
    levels = ", ".join(level_label(lv) for lv in sorted(p.levels)) or "—"
    kind = s.kind.upper()
    if code == NOT_OFFERED:
        if audience == "business":
            return _("Studies %(programme)s, a programme your placement is not offered to.") % {
                "programme": s.programme_name
            }
        return _("This placement is not offered to your programme %(programme)s.") % {
            "programme": s.programme_name
        }
    if code == LEVEL_OUTSIDE:
        if audience == "business":
            return _("Studies at %(level)s; your placement is for %(levels)s.") % {
                "level": level_label(s.level),
                "levels": levels,
            }
        return _("This placement is for %(levels)s; you study at %(level)s.") % {
            "level": level_label(s.level),
            "levels": levels,
        }
    if audience == "business":
        return _("Your duo placement has no %(kind)s seat.") % {"kind": kind}
    return _("This duo placement has no %(kind)s seat.") % {"kind": kind}


def _best_activities(matched: frozenset[str], p: PlacementFitFacts) -> list[str]:
    """At most two activities, as the business wrote them, that cover the most matched terms
    (greedy: the best one, then the one that adds the most)."""
    remaining = set(matched)
    chosen: list[str] = []
    while remaining and len(chosen) < 2:
        best, best_count = None, 0
        for activity in p.activities:
            if activity in chosen:
                continue
            count = sum(1 for key, _l in text_terms(activity) if key in remaining)
            if count > best_count:
                best, best_count = activity, count
        if best is None:
            break
        chosen.append(best)
        remaining -= {key for key, _l in text_terms(best)}
    return chosen


def _activities_text(s, p, fraction, matched, audience: Audience) -> str:
    if fraction is None:
        if audience == "business":
            return _("Has not said yet what they want to do.")
        return _("Tell us in your profile what you want to do, so we can match the activities.")
    labels = [label for key, label in s.activity_terms if key in matched][:3]
    if not labels:
        wanted = ", ".join(label for _k, label in s.activity_terms[:3])
        if audience == "business":
            return _("Wants to do %(wanted)s, which is not among your activities.") % {
                "wanted": wanted
            }
        return _("What you want to do (%(wanted)s) is not among this placement's activities.") % {
            "wanted": wanted
        }
    wanted = ", ".join(labels)
    found = _best_activities(matched, p)
    if not found:
        if audience == "business":
            return _("Wants to do %(wanted)s; your title says ‘%(title)s’.") % {
                "wanted": wanted,
                "title": _quote(p.title),
            }
        return _("You want to do %(wanted)s; the title says ‘%(title)s’.") % {
            "wanted": wanted,
            "title": _quote(p.title),
        }
    values = {"wanted": wanted, "activity": _quote(found[0])}
    if len(found) > 1:
        values["other"] = _quote(found[1])
        if audience == "business":
            return _(
                "Wants to do %(wanted)s; your placement has ‘%(activity)s’ and ‘%(other)s’."
            ) % (values)
        return (
            _("You want to do %(wanted)s; this placement has ‘%(activity)s’ and ‘%(other)s’.")
            % values
        )
    if audience == "business":
        return _("Wants to do %(wanted)s; your placement has ‘%(activity)s’.") % values
    return _("You want to do %(wanted)s; this placement has ‘%(activity)s’.") % values


def _programme_level_text(s, p, fraction, detail, audience: Audience) -> str:
    values = {"programme": s.programme_name, "level": level_label(s.level)}
    if detail is not None:  # graduation research before the usual study year
        values = {"year": s.year, "min": detail}
        if audience == "business":
            return (
                _("In study year %(year)s; graduation research usually starts in year %(min)s.")
                % values
            )
        return (
            _(
                "This is graduation research, usually from study year %(min)s; you are in year %(year)s."
            )
            % values
        )
    if audience == "business":
        return _("Studies %(programme)s (%(level)s), a programme your placement is offered to.") % (
            values
        )
    return _("Offered to your programme %(programme)s, at your level (%(level)s).") % values


def _distance_text(s, p, fraction, km, audience: Audience) -> str:
    if fraction is None:
        if p.location is None:
            return _("We do not know where this placement is.")
        if audience == "business":
            return _("Has not said where they live.")
        return _("Add your home postcode to your profile to see the distance.")
    values = {"km": _km(km), "max": _km(s.max_travel_km)}
    if km > s.max_travel_km:
        values["km"] = number_format(round(km, 1), 1)  # "20.4", never "20 … max. 20"
        if audience == "business":
            return _("Lives %(km)s km away, further than the %(max)s km they want to travel.") % (
                values
            )
        return _("%(km)s km from home: further than your max. %(max)s km.") % values
    if audience == "business":
        return _("Lives %(km)s km away (travels up to %(max)s km).") % values
    return _("%(km)s km from home (you want max. %(max)s km).") % values


def _hours_text(s, p, fraction, diff, audience: Audience) -> str:
    if fraction is None:
        if audience == "business":
            return _("Has not said how many hours a week they want to work.")
        return _("Add how many hours a week you want to work.")
    values = {"hours": p.hours_per_week, "wanted": s.hours_per_week}
    if audience == "business":
        return _("Wants %(wanted)s hours a week; your placement has %(hours)s.") % values
    if fraction >= 1.0:
        return _("%(hours)s hours a week; you want %(wanted)s.") % values
    if diff > 0:
        return _("%(hours)s hours a week: more than the %(wanted)s you want.") % values
    return _("%(hours)s hours a week: fewer than the %(wanted)s you want.") % values


def _start_text(s, p, fraction, day, audience: Audience) -> str:
    if fraction is None:
        if not p.start_dates:
            return _("The start date is not known yet.")
        if audience == "business":
            return _("Has not said from when they are available.")
        return _("Add from when you are available.")
    values = {"date": _day(day), "from": _day(s.available_from)}
    if fraction == 0.0:
        if audience == "business":
            return _("Available from %(from)s, after your last start date (%(date)s).") % values
        return _("Starts on %(date)s at the latest, before you are available (%(from)s).") % (
            values
        )
    if audience == "business":
        return _("Available from %(from)s; your placement starts on %(date)s.") % values
    if fraction >= 1.0:
        return _("Starts on %(date)s; you are available from %(from)s.") % values
    return _("Starts on %(date)s, a while after you are available (%(from)s).") % values


def _allowance_text(s, p, fraction, detail, audience: Audience) -> str:
    if fraction is None:
        if audience == "business":
            return _("Has not said what allowance they need.")
        return _("Add the allowance you need per month to compare.")
    values = {"amount": _euro(p.monthly_allowance), "need": _euro(s.allowance_needed or 0)}
    if (s.allowance_needed or 0) <= 0:
        if audience == "business":
            return _("Needs no allowance.")
        return _("You need no allowance; this placement pays € %(amount)s a month.") % values
    if audience == "business":
        return _("Needs € %(need)s a month; you offer € %(amount)s.") % values
    if fraction >= 1.0:
        return _("€ %(amount)s a month (you need € %(need)s).") % values
    return _("€ %(amount)s a month; you need € %(need)s.") % values


def _duo_text(s, p, fraction, detail, audience: Audience) -> str:
    if audience == "business":
        return _("Would take the %(kind)s seat of your duo placement (W21).") % {
            "kind": s.kind.upper()
        }
    if s.kind == "mbo":
        return _(
            "A duo placement: you take the MBO seat, with the practical work, next to an HBO student."
        )
    return _(
        "A duo placement: you take the HBO seat, with the theoretical and strategic work, next to an MBO student."
    )


TEXTS = {
    ACTIVITIES: _activities_text,
    PROGRAMME_LEVEL: _programme_level_text,
    DISTANCE: _distance_text,
    HOURS: _hours_text,
    START: _start_text,
    ALLOWANCE: _allowance_text,
    DUO: _duo_text,
}
