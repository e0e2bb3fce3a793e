from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

from safeguard.accounts.demo import is_demo_account
from safeguard.design_system.forms import GovukForm


class LoginForm(AuthenticationForm):
    """Sign in with an email address. One message for every failure, so that the page
    never tells an outsider which email addresses have accounts. Demo accounts are refused
    outside demo mode by the authentication backend, like every other way in."""

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": False})
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


class MFACodeForm(GovukForm):
    code = forms.CharField(
        label="Security code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-10",
                "spellcheck": False,
            }
        ),
        error_messages={"required": "Enter the security code"},
    )


def _govuk_password_messages(form: forms.Form) -> None:
    """Specific messages for Django's password forms (GOV.UK style)."""
    form.label_suffix = ""
    labels = {
        "old_password": ("Your current password", "Enter your current password"),
        "new_password1": ("New password", "Enter a new password"),
        "new_password2": ("Confirm the new password", "Confirm the new password"),
    }
    for name, (label, required) in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].error_messages["required"] = required
    if "new_password1" in form.fields:
        form.fields["new_password1"].help_text = (
            "At least 12 characters. A few unrelated words make a strong password; "
            "common passwords are refused."
        )


class GovukPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not correct",
        "password_mismatch": "The two new passwords do not match",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_password_messages(self)


class GovukSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two new passwords do not match",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _govuk_password_messages(self)


class GovukPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address like name@example.org",
            }
        )

    def get_users(self, email: str) -> Iterator[Any]:
        """Never a demo account: its mailbox is fictional and its password is published."""
        return (user for user in super().get_users(email) if not is_demo_account(user))
