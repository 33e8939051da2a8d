"""Account administration: an account administrator manages the accounts of the bodies in their scope.

Everything answers 404 to a user without the permission and for an account outside the scope, exactly as
for an account that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.access import services
from jiandu.access.filtersets import UserFilterSet
from jiandu.access.forms import PasswordResetForm, UserCreateForm, UserEditForm
from jiandu.access.models import User
from jiandu.access.recusal_views import require
from jiandu.access.roles import ROLES, role_label
from jiandu.access.selectors import manageable_users
from jiandu.access.two_factor import has_device
from jiandu.core.views import ScopedListView, reads


class UserListView(ScopedListView):
    model = User
    template_name = "access/user_list.html"
    partial_template_name = "access/_user_table.html"
    search_fields = ("username", "first_name", "body__name")
    filterset_class = UserFilterSet
    sort_fields = {
        "username": "username",
        "name": "first_name",
        "body": "body__name",
        "last_login": "last_login",
    }
    default_sort = "username"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require(request, "access.view_user")
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet:
        roles = Group.objects.filter(name__in=ROLES).order_by("name")
        users = User.objects.select_related("body").prefetch_related(
            Prefetch("groups", queryset=roles, to_attr="role_groups")
        )
        if not self.request.user.is_superuser:
            users = users.filter(is_superuser=False, is_staff=False)
        return users

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for user in context["object_list"]:
            user.role_labels = [role_label(group.name) for group in user.role_groups]
        return context


def _managed_or_404(request: HttpRequest, pk: int) -> User:
    require(request, "access.change_user")
    return get_object_or_404(manageable_users(request.user).select_related("body"), pk=pk)


def _form_page(request: HttpRequest, form: Any, title: str, account: User | None = None) -> HttpResponse:
    context = {"form": form, "title": title, "object": account, "cancel_url": reverse("users:list")}
    return render(request, "core/form.html", context)


def user_create(request: HttpRequest) -> HttpResponse:
    require(request, "access.add_user")
    form = UserCreateForm(request.POST or None, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                acting_user=request.user,
                username=data["username"],
                first_name=data["first_name"],
                body=data["body"],
                roles=data["roles"],
                password=data["password"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Created %(username)s. They set their own password at their first sign-in.")
                % {"username": account.username},
            )
            return redirect("users:list")
    return _form_page(request, form, _("New account"))


@reads(User)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_or_404(request, pk)
    form = UserEditForm(
        request.POST or None, acting_user=request.user, initial=UserEditForm.initial_for(account)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                acting_user=request.user,
                user=account,
                first_name=form.cleaned_data["first_name"],
                body=form.cleaned_data["body"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved %(username)s.") % {"username": account.username})
            return redirect("users:list")
    context = {
        "form": form,
        "title": _("Edit account"),
        "object": account,
        "cancel_url": reverse("users:list"),
        "account": account,
        "has_device": has_device(account),
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "access/user_edit.html", context)


def _confirm(request: HttpRequest, account: User, action: dict[str, str]) -> HttpResponse:
    return render(request, "access/user_confirm.html", {"account": account, **action})


@reads(User)
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_or_404(request, pk)
    if request.method == "POST":
        try:
            services.user_deactivate(acting_user=request.user, user=account)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("users:edit", pk=account.pk)
        messages.success(request, _("Deactivated %(username)s.") % {"username": account.username})
        return redirect("users:list")
    return _confirm(
        request,
        account,
        {
            "title": _("Deactivate account"),
            "question": _(
                "Deactivate %(username)s? They can no longer sign in; their sessions end and their API "
                "tokens are deleted. The account and its history are kept, and it can be activated again."
            )
            % {"username": account.username},
            "button": _("Deactivate"),
        },
    )


@reads(User)
def user_activate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_or_404(request, pk)
    if request.method == "POST":
        services.user_update(acting_user=request.user, user=account, is_active=True)
        messages.success(request, _("Activated %(username)s.") % {"username": account.username})
        return redirect("users:edit", pk=account.pk)
    return _confirm(
        request,
        account,
        {
            "title": _("Activate account"),
            "question": _("Activate %(username)s again? They can sign in with their password.")
            % {"username": account.username},
            "button": _("Activate"),
        },
    )


@reads(User)
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_or_404(request, pk)
    form = PasswordResetForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_password(
                acting_user=request.user, user=account, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("New temporary password set for %(username)s; their sessions have ended.")
                % {"username": account.username},
            )
            return redirect("users:edit", pk=account.pk)
    return _form_page(request, form, _("Reset password"), account)


@reads(User)
def user_reset_2fa(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_or_404(request, pk)
    if request.method == "POST":
        services.user_reset_2fa(acting_user=request.user, user=account)
        messages.success(
            request, _("Two-factor sign-in reset for %(username)s.") % {"username": account.username}
        )
        return redirect("users:edit", pk=account.pk)
    return _confirm(
        request,
        account,
        {
            "title": _("Reset two-factor sign-in"),
            "question": _(
                "Remove the authenticator app and backup codes of %(username)s, for instance after a lost "
                "phone? Their sessions end; at the next sign-in an administrator sets up a new app, anyone "
                "else signs in with the password alone."
            )
            % {"username": account.username},
            "button": _("Reset two-factor sign-in"),
        },
    )
