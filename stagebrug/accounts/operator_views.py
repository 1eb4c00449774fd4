"""The operator's pages: the audit log (filterable, exported as CSV) and the task queue's
health. Only operators see them; everyone else gets 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from stagebrug.accounts import operator
from stagebrug.accounts import permissions as perms
from stagebrug.core.csv import csv_writer

AUDIT_PAGE_SIZE = 50


def operator_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not perms.is_operator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filtered(request: HttpRequest):
    form = operator.AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, operator.audit_events(**{k: v for k, v in filters.items() if v})


@operator_only
def audit_log(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/operator/audit_log.html",
        {"form": form, "page_obj": page, "query": query.urlencode(), "filtered": bool(query)},
    )


class _Echo:
    def write(self, text: str) -> str:
        return text


@operator_only
def audit_log_csv(request: HttpRequest) -> HttpResponse:
    """Exactly the events the filters select, every one of them, streamed."""
    _form, events = _filtered(request)
    writer = csv_writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow([str(c) for c in operator.AUDIT_COLUMNS])
        for row in operator.audit_rows(events):
            yield writer.writerow(row)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="logboek-{stamp}.csv"'
    return response


@operator_only
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/operator/queue.html",
        {"health": operator.queue_health(), "behind_after": operator.BEHIND_AFTER},
    )
