"""Agreement pages: the agreement of an internship as each party sees it, a section's form, the
school's sending, signing (logged in, or with a personal link), versions and what changed,
the PDF, the public verification page, and the school's list."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from stagebrug.agreements import permissions as can
from stagebrug.agreements import rules, selectors, services
from stagebrug.agreements.facts import facts_for
from stagebrug.agreements.forms import BirthDateForm
from stagebrug.agreements.models import Agreement, Party, Status, Version
from stagebrug.agreements.pdf import LANGUAGES, document_context, render_pdf
from stagebrug.agreements.sections import (
    BY_KEY,
    SECTIONS,
    as_initial,
    changes,
    rows,
    section_data,
    waiting_for,
)
from stagebrug.core import doors
from stagebrug.core.forms import DateInput, StyledForm, add_service_errors, flash_errors
from stagebrug.internships import permissions as internship_permissions
from stagebrug.registry.decorators import institution_manage_view
from stagebrug.registry.models import Institution

PAGE_SIZE = 25


class SignForm(StyledForm, forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Your full name, as your signature"), max_length=150
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I have read this version and agree to it."),
        error_messages={"required": services.CONFIRM_REQUIRED},
    )
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SendForm(StyledForm, forms.Form):
    deadline = forms.DateField(
        label=gettext_lazy("Everyone signs before"),
        widget=DateInput(),
        help_text=gettext_lazy("Reminders go out 3 days and 24 hours before (at 23:59)."),
    )


class InviteForm(StyledForm, forms.Form):
    party = forms.ChoiceField(
        label=gettext_lazy("Signs as"),
        choices=[(Party.BUSINESS, Party.BUSINESS.label), (Party.GUARDIAN, Party.GUARDIAN.label)],
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"))


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = selectors.agreement_for(user=request.user, internship_pk=pk)
    if agreement is None:
        raise Http404
    return agreement


@login_required
def agreement_page(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(user=request.user, internship_pk=pk)
    if agreement is None:
        internship = selectors.internship_without_agreement(user=request.user, internship_pk=pk)
        if internship is None:
            raise Http404
        return render(request, "agreements/none.html", {"internship": internship})
    return _page(request, agreement)


def _page(request: HttpRequest, agreement: Agreement, *, sign_form=None, status=200):
    version = selectors.shown_version(agreement)
    facts = facts_for(agreement.internship, version.content)
    edits = can.edits_for(request.user, agreement)
    found = services.section_states(agreement, version.content)
    sections = [
        {
            "section": s,
            "state": found[s.key],
            "rows": rows(s, section_data(version.content, s.key), facts),
            "editable": version.state == Version.State.DRAFT
            and agreement.status != Status.ENDED
            and s.owner in edits,
        }
        for s in SECTIONS
    ]
    signed_parties = {sig.party: sig for sig in version.signatures.all()}
    mine = can.signs_for(request.user, agreement) & set(version.required_parties)
    to_sign = sorted(mine - set(signed_parties))
    if version.state == Version.State.SIGNING and to_sign and sign_form is None:
        sign_form = SignForm(initial={"content_hash": version.content_hash})
    versions = list(agreement.versions.all())
    context = {
        "agreement": agreement,
        "internship": agreement.internship,
        "version": version,
        "versions": versions,
        "sections": sections,
        "waiting": waiting_for(found) if version.state == Version.State.DRAFT else [],
        "unsigned": [p for p in version.required_parties if p not in signed_parties],
        "signed_parties": signed_parties,
        "sign_form": sign_form if to_sign else None,
        "signing_as": to_sign,
        "manages": can.manages(request.user, agreement),
        "birth_date": services.birth_date_of(agreement)
        if can.sees_birth_date(request.user, agreement)
        else None,
        "guardian": section_data(version.content, "student")
        if can.sees_birth_date(request.user, agreement)
        else {},
        "shares_notes": bool(section_data(version.content, "approach").get("share_notes")),
        "notes": section_data(version.content, "approach").get("notes") or [],
        "needs_attention": agreement.status in (Status.SIGNING, Status.AMENDING)
        and agreement.deadline is not None
        and agreement.deadline < timezone.now(),
        "party_names": services.PARTY_NAMES,
    }
    return render(request, "agreements/agreement.html", context, status=status)


@login_required
@require_POST
def agreement_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The school drafts the agreement of an internship that has none yet."""
    internship = selectors.internship_without_agreement(user=request.user, internship_pk=pk)
    if internship is None:
        raise Http404
    if not internship_permissions.manage_as_school(request.user, internship):
        raise PermissionDenied
    services.agreements_draft(internships=[internship])
    messages.success(request, _("The agreement is drafted: every party fills in its part."))
    return redirect("agreements:page", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    agreement = _agreement(request, pk)
    section = BY_KEY.get(key)
    if section is None:
        raise Http404
    if section.owner not in can.edits_for(request.user, agreement):
        raise PermissionDenied
    version = selectors.shown_version(agreement)
    if agreement.status == Status.ENDED or version.state != Version.State.DRAFT:
        if agreement.status == Status.ENDED:
            message = services.NOT_EDITABLE_ENDED
        elif version.state == Version.State.SIGNING:
            message = services.NOT_EDITABLE_SIGNING
        else:
            message = services.NOT_EDITABLE_SIGNED
        messages.error(request, message)
        return redirect("agreements:page", pk=pk)
    facts = facts_for(agreement.internship, version.content)
    extra = {"minor": services.is_minor(agreement)} if key == "student" else {}
    ask_birth = key == "student" and services.birth_date_of(agreement) is None
    birth_form = BirthDateForm(request.POST or None, prefix="birth") if ask_birth else None
    if request.method == "POST":
        if ask_birth and birth_form.is_valid():
            extra["minor"] = rules.is_minor(
                birth_form.cleaned_data["date"], agreement.internship.start_date
            )
        form = section.bound(request.POST, facts, **extra)
        if form.is_valid() and (birth_form is None or birth_form.is_valid()):
            try:
                services.agreement_section_save(
                    agreement=agreement,
                    by=request.user,
                    key=key,
                    data=request.POST.dict() | _checkboxes(form, request.POST),
                    birth_date=birth_form.cleaned_data["date"] if birth_form else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved: %(section)s.") % {"section": section.title})
                return redirect("agreements:page", pk=pk)
    else:
        form = section.unbound(
            facts, initial=as_initial(section, section_data(version.content, key)), **extra
        )
    return render(
        request,
        "agreements/section_form.html",
        {
            "agreement": agreement,
            "internship": agreement.internship,
            "section": section,
            "form": form,
            "birth_form": birth_form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _checkboxes(form, data) -> dict:
    """Unticked boxes are absent from a POST; the service reads them as False."""
    return {
        name: "on" if data.get(name) else ""
        for name, field in form.fields.items()
        if isinstance(field, forms.BooleanField)
    }


@login_required
@require_http_methods(["GET", "POST"])
def agreement_send(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not can.manages(request.user, agreement):
        raise PermissionDenied
    default = min(
        timezone.localdate() + dt.timedelta(days=14),
        agreement.internship.start_date,
    )
    form = SendForm(request.POST or None, initial={"deadline": default})
    if request.method == "POST" and form.is_valid():
        deadline = timezone.make_aware(
            dt.datetime.combine(form.cleaned_data["deadline"], dt.time(23, 59))
        )
        try:
            services.agreement_send(agreement=agreement, by=request.user, deadline=deadline)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sent: every party is asked to sign."))
            return redirect("agreements:page", pk=pk)
    version = selectors.shown_version(agreement)
    found = services.section_states(agreement, version.content)
    return render(
        request,
        "agreements/send.html",
        {
            "agreement": agreement,
            "internship": agreement.internship,
            "form": form,
            "missing": [s.title for s in SECTIONS if found[s.key] != "done"],
            "minor": services.is_minor(agreement),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                by=request.user,
                content_hash=form.cleaned_data["content_hash"],
                full_name=form.cleaned_data["full_name"],
                confirm=form.cleaned_data["confirm"],
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "changed":
                messages.error(request, " ".join(exc.messages))
                return redirect("agreements:page", pk=pk)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Signed. Thank you."))
            return redirect("agreements:page", pk=pk)
    agreement = _agreement(request, pk)
    return _page(request, agreement, sign_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_change(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Reopen a version out for signature, or amend a signed agreement: a page that says what
    happens, and a button."""
    agreement = _agreement(request, pk)
    change = {"heropenen": services.agreement_reopen, "wijzigen": services.agreement_amend}.get(
        action
    )
    if change is None:
        raise Http404
    if not can.manages(request.user, agreement):
        raise PermissionDenied
    if request.method == "POST":
        try:
            draft = change(agreement=agreement, by=request.user)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s is a draft: change what is needed, then send it again.")
                % {"number": draft.number},
            )
        return redirect("agreements:page", pk=pk)
    return render(
        request,
        "agreements/change.html",
        {"agreement": agreement, "internship": agreement.internship, "action": action},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_invite(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not (
        can.manages(request.user, agreement)
        or can.signs_for(request.user, agreement) & {Party.BUSINESS, Party.STUDENT}
    ):
        raise PermissionDenied
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_invite_signer(
                agreement=agreement, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The signing link is sent."))
            return redirect("agreements:page", pk=pk)
    return render(
        request,
        "agreements/invite.html",
        {"agreement": agreement, "internship": agreement.internship, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    versions = {v.number: v for v in agreement.versions.all()}
    version = versions.get(number)
    if version is None:
        raise Http404
    # Compared with what was last agreed: the latest earlier version everyone signed (a draft
    # reopened in between is not what the parties agreed), else the one before.
    signed_before = [v for n, v in versions.items() if n < number and v.signed_at]
    previous = max(signed_before, key=lambda v: v.number, default=versions.get(number - 1))
    facts = facts_for(agreement.internship, version.content)
    return render(
        request,
        "agreements/version.html",
        {
            **document_context(agreement, version),
            "internship": agreement.internship,
            "previous": previous,
            "changes": changes(previous.content, version.content, facts) if previous else [],
        },
    )


@login_required
def version_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    version = next((v for v in agreement.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    language = request.GET.get("taal") or translation.get_language() or "nl"
    if language not in LANGUAGES:
        language = "nl"
    response = HttpResponse(
        render_pdf(agreement, version, language=language), content_type="application/pdf"
    )
    name = f"stagebrug-overeenkomst-{agreement.internship_id}-v{version.number}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------------------------
# Without an account: the signing link, and checking a PDF


@require_http_methods(["GET", "POST"])
def link_sign(request: HttpRequest, token: str) -> HttpResponse:
    """A parent or guardian (or a business signer) signs with their personal link. A link that
    is reused, expired, withdrawn, tampered with or for a replaced version gets a clear page,
    and nothing is signed."""
    if doors.is_shut(request, doors.LINK_GUESS):
        return doors.refused(request, doors.LINK_GUESS)
    link, problem = services.signing_link_find(token)
    if link is None:
        doors.knock(request, doors.LINK_GUESS)
    if problem is not None:
        return render(
            request,
            "agreements/link_problem.html",
            {"problem": problem},
            status=410 if link else 404,
        )
    version = link.version
    agreement = version.agreement
    if request.user.is_authenticated:
        own = can.signs_for(request.user, agreement)
        if own and link.party not in own:
            # A party of the agreement opening a link meant for another signer (a student
            # opening their parent's link): nobody signs for someone else.
            return render(
                request,
                "agreements/link_problem.html",
                {
                    "problem": services.LINK_SOMEONE_ELSE,
                    "name": link.name,
                    "party": services.PARTY_NAMES[link.party],
                    "you": request.user.full_name,
                },
                status=403,
            )
    form = SignForm(
        request.POST or None,
        initial={"content_hash": version.content_hash, "full_name": link.name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign_with_link(
                token=token,
                content_hash=form.cleaned_data["content_hash"],
                full_name=form.cleaned_data["full_name"],
                confirm=form.cleaned_data["confirm"],
            )
        except ValidationError as exc:
            code = getattr(exc, "code", None)
            if code in (
                services.LINK_USED,
                services.LINK_EXPIRED,
                services.LINK_WITHDRAWN,
                services.LINK_OUTDATED,
                "changed",
                "not_signing",
            ):
                return render(
                    request,
                    "agreements/link_problem.html",
                    {
                        "problem": services.LINK_OUTDATED
                        if code in ("changed", "not_signing")
                        else code
                    },
                    status=410,
                )
            add_service_errors(form, exc)
        else:
            return render(request, "agreements/link_done.html", {"link": link})
    return render(
        request,
        "agreements/link_sign.html",
        {**document_context(agreement, version), "link": link, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Anyone with a PDF's code checks that it matches the version kept on Stagebrug."""
    code = (request.GET.get("code") or "").strip().upper()
    result = None
    if code:
        result = selectors.version_by_code(code)
    return render(
        request,
        "agreements/verify.html",
        {"code": code, "result": result, "checked": bool(code)},
    )


# --------------------------------------------------------------------------------------------
# The school's list


@institution_manage_view
def school_list(request: HttpRequest, institution: Institution) -> HttpResponse:
    status = request.GET.get("status") or None
    if status not in Status.values:
        status = None
    attention = request.GET.get("aandacht") == "1"
    agreements = selectors.school_agreements(
        institution=institution, status=status, attention=attention
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/school_list.html",
        {
            "institution": institution,
            "page_obj": page,
            "status": status,
            "attention": attention,
            "statuses": Status.choices,
            "now": timezone.now(),
        },
    )
