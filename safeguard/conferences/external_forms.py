"""Forms for invitations, the agency report portal and the family page."""

from __future__ import annotations

from django import forms

from safeguard.conferences.models import FeedbackAnswer, InviteeRole, SafeAtHome, ViewsHelper
from safeguard.design_system.forms import GovukForm

_TEXT = {"rows": 5}


class InviteForm(GovukForm):
    name = forms.CharField(
        label="Full name", max_length=120, error_messages={"required": "Enter their full name"}
    )
    role = forms.ChoiceField(
        label="Who are they?",
        choices=InviteeRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are"},
    )
    organisation = forms.CharField(label="Agency or organisation", required=False, max_length=120)
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Leave blank to print a letter instead",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    language = forms.CharField(
        label="Language",
        max_length=60,
        initial="English",
        error_messages={"required": "Enter their language"},
    )
    interpreter_needed = forms.BooleanField(label="They need an interpreter", required=False)
    accessibility_needs = forms.CharField(
        label="Accessibility needs",
        help_text="For example, step-free access, a hearing loop or large print",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code we sent you separately",
        max_length=12,
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ReportForm(GovukForm):
    what_we_know = forms.CharField(
        label="What you know about the child and family",
        widget=forms.Textarea(attrs=_TEXT),
        max_length=10000,
        error_messages={"required": "Enter what you know about the child and family"},
    )
    worries = forms.CharField(
        label="What you are worried about",
        widget=forms.Textarea(attrs=_TEXT),
        max_length=10000,
        error_messages={"required": "Enter what you are worried about"},
    )
    what_is_working = forms.CharField(
        label="What is working well",
        widget=forms.Textarea(attrs=_TEXT),
        max_length=10000,
        error_messages={"required": "Enter what is working well"},
    )
    recommendation = forms.CharField(
        label="Your recommendation to the conference",
        widget=forms.Textarea(attrs=_TEXT),
        max_length=10000,
        error_messages={"required": "Enter your recommendation"},
    )
    not_for_sharing = forms.BooleanField(
        label="This report must not be shared with the family",
        help_text=(
            "For example, it would put someone at risk. The chair will decide what is said at the conference."
        ),
        required=False,
    )


class QuestionForm(GovukForm):
    text = forms.CharField(
        label="Your question",
        help_text="Your social worker will get back to you",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter your question"},
    )


def _answer(label: str, missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=FeedbackAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing},
    )


class FeedbackForm(GovukForm):
    listened_to = _answer("Did you feel listened to?", "Select if you felt listened to")
    understood = _answer("Did you understand what was decided?", "Select if you understood what was decided")
    reports_in_time = _answer(
        "Did you get the reports in time to read them?", "Select if you got the reports in time"
    )
    anything_else = forms.CharField(
        label="Is there anything else you want to tell us?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ChildViewsForm(GovukForm):
    """The child's own form: short questions in words a child can read. The scale is
    GOV.UK radios set out in a row (``sg-scale``, given by the template), so it works with
    a keyboard (arrow keys move along it) and a screen reader (one group, each step read
    with its number)."""

    helped_by = forms.ChoiceField(
        label="Who helped you fill this in?",
        choices=ViewsHelper.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Pick who helped you fill this in"},
    )
    going_well = forms.CharField(
        label="What is going well for you?",
        help_text="It could be at home, at school or with friends",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    worries = forms.CharField(
        label="What worries you?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    safe_at_home = forms.TypedChoiceField(
        label="How safe do you feel at home?",
        help_text="Pick one. 1 is not safe at all. 5 is very safe.",
        choices=[(value, f"{value}: {label}") for value, label in SafeAtHome.choices],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Pick how safe you feel at home"},
    )
    would_like_to_happen = forms.CharField(
        label="What would you like to happen?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    would_like_there = forms.CharField(
        label="Who would you like to be at the meeting?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
