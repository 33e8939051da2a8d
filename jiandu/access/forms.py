"""Forms of account administration and of one's own security settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from jiandu.access.models import User
from jiandu.access.roles import ROLES, role_choices
from jiandu.access.selectors import assignable_bodies


class PasswordPairMixin(forms.Form):
    """A password typed twice, checked against the password rules."""

    password = forms.CharField(
        label=_("password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password_confirm = forms.CharField(
        label=_("password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def password_user(self) -> User | None:
        """The account the password is for, so it is not allowed to resemble its name."""
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password, confirm = data.get("password"), data.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords differ."))
        elif password:
            try:
                password_validation.validate_password(password, self.password_user())
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class UserRolesMixin(forms.Form):
    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        self.fields["body"].queryset = (
            assignable_bodies(acting_user)
            .select_related("region")
            .order_by("region__code", "sort_order", "name")
        )


class UserCreateForm(UserRolesMixin, PasswordPairMixin):
    username = forms.CharField(
        label=_("username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; used to sign in."),
    )
    first_name = forms.CharField(label=_("name"), max_length=150)
    body = forms.ModelChoiceField(label=_("acts for"), queryset=User.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=role_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    field_order = ["username", "first_name", "body", "roles", "password", "password_confirm"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def password_user(self) -> User:
        return User(username=self.data.get("username", ""), first_name=self.data.get("first_name", ""))


class UserEditForm(UserRolesMixin):
    first_name = forms.CharField(label=_("name"), max_length=150)
    body = forms.ModelChoiceField(label=_("acts for"), queryset=User.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=role_choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "body": user.body_id,
            "roles": list(user.groups.filter(name__in=ROLES).values_list("name", flat=True)),
        }


class PasswordResetForm(PasswordPairMixin):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["password"].label = _("temporary password")
        self.fields["password"].help_text = _(
            "Give it to the person in a safe way; they must choose their own at the next sign-in."
        )

    def password_user(self) -> User:
        return self.user


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form (old password, new one twice, the rules); the view saves through the service."""

    def save(self, commit: bool = True) -> Any:  # pragma: no cover - the view never calls it
        raise NotImplementedError("use services.user_password_change")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 10}
        ),
        help_text=_("The 6-digit code your authenticator app shows now, or one of your backup codes."),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())
