"""A business whose SBB recognition ended finds its placement paused for the programme, with the
reason and the fix, on its phone, and its public page says it is paused; it enters the renewed
recognition and the placement is offered again at once (W3). Run in the English interface."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from stagebrug.placements import services as placement_services
from stagebrug.placements.models import ProgrammeDecision
from stagebrug.registry.models import Recognition
from tests.browser.conftest import check_page, english, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_sees_the_pause_with_the_fix_and_renews(page, live_server, personas, published):
    p = personas
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Recognition.objects.filter(company=p.company).update(valid_until=yesterday)
    mail.outbox.clear()
    assert placement_services.recognitions_daily()["rechecked"] == 1
    assert published.targets.get().decision == ProgrammeDecision.PAUSED
    (told,) = [m for m in mail.outbox if p.owner.email in m.to]
    link = re.search(r"https?://\S+(/stageplaatsen/\d+/)", told.body).group(1)

    english(page, live_server)
    login(page, p.owner.email)
    page.goto(link)  # the link in the e-mail
    page.get_by_role("heading", name=published.title).wait_for()
    main = page.locator("main")
    assert main.get_by_text("Paused: the rules are no longer met").first.is_visible()
    verdict = main.locator(".sb-verdict--not_ok").filter(has_text="recognition")
    assert "ended on" in verdict.inner_text()
    assert "Renew your recognition at SBB" in verdict.inner_text()
    assert "Paused for Kok" in main.inner_text()  # the history says when and why
    check_page(page, "paused-01-placement")

    # Paused for its only programme, it is offered nowhere: its public page says so.
    page.goto(f"/stages/{published.pk}/")
    page.get_by_role("heading", name=published.title).wait_for()
    notice = page.get_by_role("status").filter(has_text="This placement is paused")
    assert notice.is_visible()
    assert page.locator('meta[name="robots"][content="noindex"]').count() == 1
    check_page(page, "paused-01b-public-page")

    # The fix: the renewed recognition's new end date.
    page.goto(f"/bedrijven/{p.company.pk}/erkenningen/")
    page.get_by_role("heading", name="SBB recognitions", exact=True).wait_for()
    listed = main.locator(".sb-results > li").first
    listed.get_by_role("link", name=re.compile(r"^Edit ")).click()
    renewed = yesterday + dt.timedelta(days=1)
    page.get_by_label("Valid from").fill(renewed.isoformat())
    page.get_by_label("Valid until").fill((renewed + dt.timedelta(days=3 * 365)).isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    check_page(page, "paused-02-recognition-renewed")

    page.goto(link)
    page.get_by_role("heading", name=published.title).wait_for()
    assert main.get_by_text("Approved", exact=True).first.is_visible()
    assert "Offered again to Kok" in main.inner_text()
    check_page(page, "paused-03-offered-again")
    assert published.targets.get().decision == ProgrammeDecision.APPROVED
