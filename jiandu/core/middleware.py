from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

from jiandu.core.audit.actor import acting_as

# Paths a signed-out visitor may reach: the login page, static assets, the language switch and the API
# (which answers 401/403 itself).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/i18n/", "/api/", "/healthz")


class LoginRequiredMiddleware:
    """Everything is behind the login, so a forgotten decorator cannot expose a page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            if getattr(request, "htmx", False):
                # An htmx swap would put the login page inside a table: send the whole window there instead.
                back_to = request.htmx.current_url_abs_path or "/"
                return HttpResponseClientRedirect(redirect_to_login(back_to, settings.LOGIN_URL).url)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class AuditActorMiddleware:
    """Makes the request's user, body, address and browser the actor of every audit entry written while
    the request is handled (after AuthenticationMiddleware; the user is read when an entry is written, so
    an API token authenticated inside the view counts too)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request):
            return self.get_response(request)
