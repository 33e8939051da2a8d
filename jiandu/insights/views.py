"""The dashboard page (/insights/): every figure counted over what the user may see, linked to its list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiandu.core.views import reads
from jiandu.insights.dashboard import dashboard as build_dashboard


@reads(None, reason="the dashboard names no record; its figures are counted in the user's scope")
def dashboard(request: HttpRequest) -> HttpResponse:
    board = build_dashboard(request.user)
    charts = [tile.chart_data() for tile in board.tiles + board.extra if tile.figures]
    return render(request, "insights/dashboard.html", {"board": board, "charts": charts})
