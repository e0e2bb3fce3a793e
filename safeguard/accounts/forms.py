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
from safeguard.accounts.models import Role, Service, Team, TeamKind
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


# -- The system administrator's management pages. Rules that need the database (a name
# already taken, the last administrator) are the services' and come back as field errors.


def _text(label: str, *, max_length: int, required: str = "", **kwargs: Any) -> forms.CharField:
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required:
        messages["required"] = required
    return forms.CharField(
        label=label, max_length=max_length, required=bool(required), error_messages=messages, **kwargs
    )


class ServiceForm(GovukForm):
    name = _text("Service name", max_length=120, required="Enter the service name")


class TeamForm(GovukForm):
    name = _text("Team name", max_length=120, required="Enter the team name")
    kind = forms.ChoiceField(
        label="Kind of team",
        choices=[("", "Choose the kind of team"), *TeamKind.choices],
        error_messages={
            "required": "Select the kind of team",
            "invalid_choice": "Select the kind of team from the list",
        },
    )
    service = forms.ModelChoiceField(
        label="Service",
        queryset=Service.objects.order_by("name"),
        empty_label="Choose a service",
        error_messages={
            "required": "Select the service the team is in",
            "invalid_choice": "Select a service from the list",
        },
    )
    caseload_policy = forms.IntegerField(
        label="Caseload policy",
        min_value=1,
        max_value=60,
        initial=18,
        help_text="The most children a full-time case-holding worker in this team should hold.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the caseload policy",
            "invalid": "Caseload policy must be a whole number, like 18",
            "min_value": "Caseload policy must be at least 1",
            "max_value": "Caseload policy must be 60 or fewer",
        },
    )


def _team_field(label: str = "Team") -> forms.ModelChoiceField[Team]:
    return forms.ModelChoiceField(
        label=label,
        queryset=Team.objects.select_related("service").order_by("name"),
        empty_label="Choose a team",
        error_messages={"required": "Select the team", "invalid_choice": "Select a team from the list"},
    )


def _role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *Role.choices],
        help_text="What they may see and do in the service depends on their role.",
        error_messages={"required": "Select the role", "invalid_choice": "Select a role from the list"},
    )


_AGENCY_HINT = "Partner agency users only: the agency they work for, such as a police force."


def _reason_field(label: str, hint: str, required: str) -> forms.CharField:
    return _text(label, max_length=2000, required=required, widget=forms.Textarea, help_text=hint)


class AccountCreateForm(GovukForm):
    first_name = _text("First name", max_length=150, required="Enter their first name")
    last_name = _text("Last name", max_length=150, required="Enter their last name")
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text=(
            "Their work email address. It is their sign-in name, and the link to choose a "
            "password goes to it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": False}),
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    job_title = _text("Job title (optional)", max_length=120)
    role = _role_field()
    team = _team_field()
    agency_name = _text("Agency (optional)", max_length=120, help_text=_AGENCY_HINT)


class AccountSearchForm(GovukForm):
    """The account list's filters, read from the query string."""

    STATUSES = [("", "Active and deactivated"), ("active", "Active"), ("deactivated", "Deactivated")]

    q = _text("Name or email address", max_length=200)
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label="Any team",
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        choices=[("", "Any role"), *Role.choices],
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=STATUSES,
        error_messages={"invalid_choice": "Select a status from the list"},
    )


class AccountRoleForm(GovukForm):
    role = _role_field()
    team = _team_field()
    agency_name = _text("Agency (optional)", max_length=120, help_text=_AGENCY_HINT)
    reason = _reason_field(
        "Why are you changing their role or team?",
        "For example, a promotion, a move between teams, or the ticket number of the request.",
        "Enter why you are changing their role or team",
    )


class AccountDeactivateForm(GovukForm):
    reason = _reason_field(
        "Why are you deactivating this account?",
        "For example, they have left the council, or their agency contract has ended.",
        "Enter why you are deactivating this account",
    )


class AccountReactivateForm(GovukForm):
    reason = _reason_field(
        "Why are you reactivating this account?",
        "For example, they have returned from leave, or it was deactivated by mistake.",
        "Enter why you are reactivating this account",
    )


class SecurityCodesResetForm(GovukForm):
    reason = _reason_field(
        "Why are you resetting their security codes?",
        "For example, a lost or replaced phone, and how you checked who asked.",
        "Enter why you are resetting their security codes",
    )
