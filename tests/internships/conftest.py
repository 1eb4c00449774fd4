"""An internship and its parties, made the way the platform makes them.

internship   Stan Student (the persona student, Kok MBO 2) at company A's kitchen placement,
             from an accepted offer. Chef Bram, the placement's buddy with MBO 4 (the ROC asks
             MBO 3 or higher), is the workplace supervisor; his account is the persona
             `supervisor` (Sam Supervisor). No school supervisor yet.
parties      who plays which part: student, workplace supervisor, business (owner and
             colleague), coordinator (ROC van Amsterdam), teacher (a school supervisor of the
             ROC, once assigned), and the outsiders: the owner of company B, the coordinator
             of HvA, a school supervisor of the ROC who was not assigned.
"""

from __future__ import annotations

from stagebrug.applications import services as application_services
from stagebrug.applications.models import ApplicationStatus

MOTIVATION = "Ik kook elke dag thuis en wil het vak leren in een echte keuken."


def accept_offer(*, student, placement, owner):
    application = application_services.application_create(
        student=student, placement=placement, motivation=MOTIVATION
    )
    application_services.application_move(
        application=application, by=owner, to=ApplicationStatus.OFFER
    )
    return application_services.offer_accept(application=application, by=student)
