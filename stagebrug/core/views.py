from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from stagebrug.registry.forms import DirectorySearchForm
from stagebrug.registry.models import Company, Institution, Programme


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "search_form": DirectorySearchForm(),
            "institutions": Institution.objects.order_by("name"),
            "programme_count": Programme.objects.filter(is_active=True).count(),
            "company_count": Company.objects.filter(is_public=True).count(),
        },
    )


def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about_data.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
