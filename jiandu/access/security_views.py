"""One's own security: signing in (with the demo note), two-factor enrolment and verification, backup
codes, password change, logging out everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import default_key

from jiandu.access import services, two_factor
from jiandu.access.forms import PasswordChangeForm, TokenForm
from jiandu.access.models import User

ENROL_KEY = "jiandu_totp_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from jiandu.org.demo import demo_usernames

        context = super().get_context_data(**kwargs)
        context["demo_loaded"] = User.objects.filter(username__in=demo_usernames()).exists()
        return context


def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_device": two_factor.has_device(user),
        "is_administrator": two_factor.is_administrator(user),
        "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
    }
    return render(request, "access/security.html", context)


def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code.

    The secret waits in the session until confirmed, so an abandoned attempt leaves nothing behind.
    """
    user = request.user
    if two_factor.has_device(user):
        messages.info(request, _("Two-factor sign-in is already set up for this account."))
        return redirect("security")
    key = request.session.get(ENROL_KEY) or default_key()
    request.session[ENROL_KEY] = key
    form = TokenForm(request.POST or None)
    form.fields["token"].help_text = _("The 6-digit code the app shows after you added the account.")
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(
                acting_user=user, key=key, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[ENROL_KEY]
            otp_login(request, device)
            return render(request, "access/backup_codes.html", {"codes": codes, "next": _next_url(request)})
    url = two_factor.otpauth_url(user, key)
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(url),
        "secret": two_factor.readable_secret(key),
        "required": two_factor.is_administrator(user),
        "next": _next_url(request),
    }
    return render(request, "access/two_factor_enrol.html", context)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not two_factor.has_device(user):  # type: ignore[union-attr]
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is None:
            form.add_error(
                "token",
                _("This code is not right or has already been used. Wait for the next code and try again."),
            )
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "access/two_factor_verify.html", {"form": form, "next": _next_url(request)})


def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("security")
    try:
        codes = services.two_factor_backup_codes(acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("security")
    return render(request, "access/backup_codes.html", {"codes": codes, "next": "/accounts/security/"})


def two_factor_remove(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            services.two_factor_remove(acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Two-factor sign-in is turned off for your account."))
        return redirect("security")
    return render(request, "access/two_factor_remove.html")


def logout_everywhere(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user = services.user_logout_everywhere(acting_user=request.user, user=request.user)
        update_session_auth_hash(request, user)
        messages.success(
            request, _("Signed out on every other browser and device; your API tokens are deleted.")
        )
        return redirect("security")
    return render(request, "access/logout_everywhere.html")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_password_change(
                acting_user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password1", error.messages)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed; other sessions have ended."))
            return redirect(_next_url(request) if request.POST.get("next") else "security")
    context = {"form": form, "forced": request.user.must_change_password, "next": _next_url(request)}
    return render(request, "access/password_change.html", context)
