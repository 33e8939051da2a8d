"""Before anything else, a signed-in user completes two-factor sign-in and, if an administrator chose their
password, sets their own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from jiandu.access.two_factor import Step, step_for

# What a user who has not finished signing in may still reach: the two-factor pages, signing out, the
# front-end files and the language switch. The API authenticates its tokens itself; a browser session on
# the API is held to the same rule as the pages.
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


class AccountSecurityMiddleware:
    """Sends an unverified administrator to enrol or verify, an enrolled user to verify, and a user whose
    password an administrator set to choose their own. Covers every page, the Django admin included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            target = self.detour(request)
            if target is not None and target != request.path:
                url = f"{target}?{urlencode({'next': self.back_to(request)})}"
                if getattr(request, "htmx", False):
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        return self.get_response(request)

    def detour(self, request: HttpRequest) -> str | None:
        user = request.user
        if not user.is_verified():  # type: ignore[union-attr]
            step = step_for(user)
            if step is Step.ENROL:
                return reverse("two-factor-enrol")
            if step is Step.VERIFY:
                return reverse("two-factor-verify")
        if getattr(user, "must_change_password", False):
            return reverse("password-change")
        return None

    @staticmethod
    def back_to(request: HttpRequest) -> str:
        htmx = getattr(request, "htmx", None)
        if htmx and htmx.current_url_abs_path:
            return htmx.current_url_abs_path
        return request.get_full_path() if request.method == "GET" else "/"
