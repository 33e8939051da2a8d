"""Password rules beyond Django's own (length, common passwords, all digits, likeness to the username)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """A password holds at least one letter and at least one digit."""

    def validate(self, password: str, user: Any = None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(
                _("The password must contain both letters and digits."), code="password_letters_and_digits"
            )

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")
