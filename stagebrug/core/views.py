from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about_data.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")
