from __future__ import annotations

import base64
import hashlib
import io
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from safeguard.accounts.forms import (
    GovukPasswordChangeForm,
    GovukPasswordResetForm,
    GovukSetPasswordForm,
    LoginForm,
    MFACodeForm,
)
from safeguard.accounts.middleware import AuthenticatedRequest, public
from safeguard.accounts.selectors import teams_for_user
from safeguard.accounts.services import (
    mfa_enrolled,
    mfa_may_enrol,
    mfa_setup_begin,
    mfa_setup_confirm,
    mfa_verify,
)
from safeguard.core.http import client_address, rate_limited
from safeguard.design_system.pages import form_page, posted

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())

password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_form.html",
    form_class=GovukPasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"heading": "Change your password", "button": "Change password"},
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html")


def _password_reset_throttled(request: HttpRequest) -> bool:
    """Over the limit for this client address, or for the email address asked about.

    Counted by the address typed, whether or not it has an account, so that being limited
    reveals nothing; the count stops one mailbox being flooded from many client addresses.
    """
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    by_client = rate_limited(
        "password_reset:client",
        client_address(request) or "unknown",
        settings.PASSWORD_RESETS_PER_CLIENT,
        window,
    )
    email = str(request.POST.get("email", "")).strip().lower()
    by_email = bool(email) and rate_limited(
        "password_reset:email",
        hashlib.sha256(email.encode()).hexdigest(),
        settings.PASSWORD_RESETS_PER_EMAIL,
        window,
    )
    return by_client or by_email


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _password_reset_throttled(request):
            return render(
                request,
                "accounts/password_reset_throttled.html",
                {"minutes": settings.PASSWORD_RESET_WINDOW_MINUTES},
                status=429,
            )
        return super().post(request, *args, **kwargs)


# Setting a password by email: for new staff, and anyone who has forgotten theirs. The
# same answer whether or not the address has an account.
password_reset = public(
    ThrottledPasswordResetView.as_view(
        template_name="accounts/password_form.html",
        form_class=GovukPasswordResetForm,
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_sent"),
        extra_context={"heading": "Set or reset your password", "button": "Send me a link"},
    )
)
password_reset_sent = public(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html")
)
password_reset_confirm = public(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_form.html",
        form_class=GovukSetPasswordForm,
        success_url=reverse_lazy("accounts:login"),
        extra_context={"heading": "Choose a password", "button": "Save password"},
    )
)


@public
def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """Too many failed sign-ins for this email address from this client address: the same
    page whether the account exists or not."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": round(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )


@require_GET
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "accounts/team_list.html", {"teams": teams_for_user(user=request.user)})


def mfa_exempt(view: Any) -> Any:
    """Views a signed-in but not yet verified user must reach (to verify or set up)."""
    view.mfa_exempt = True
    return view


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home:home")


_CODE_NOT_CORRECT = "The security code is not correct: check your authenticator app and try again"


def _qr_data_uri(url: str) -> str:
    out = io.BytesIO()
    write_qrcode_image(url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


@mfa_exempt
@require_http_methods(["GET", "POST"])
def mfa_setup(request: AuthenticatedRequest) -> HttpResponse:
    if not mfa_may_enrol(request=request, user=request.user):
        # Someone with only the password must not swap in their own authenticator.
        return HttpResponseRedirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.path})}")
    device = TOTPDevice.objects.filter(
        pk=request.session.get("mfa_setup_device"), user=request.user, confirmed=False
    ).first()
    if device is None:
        device = mfa_setup_begin(user=request.user)
        request.session["mfa_setup_device"] = device.pk
    form = MFACodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = mfa_setup_confirm(
            request=request, user=request.user, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            request.session.pop("mfa_setup_device", None)
            return render(
                request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _CODE_NOT_CORRECT)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
            "replacing": mfa_enrolled(user=request.user),
        },
    )


@mfa_exempt
@require_http_methods(["GET", "POST"])
def mfa_verify_view(request: AuthenticatedRequest) -> HttpResponse:
    def verify(data: dict[str, Any]) -> None:
        if not mfa_verify(request=request, user=request.user, token=data["code"]):
            raise ValidationError({"code": _CODE_NOT_CORRECT})

    # The code's label is the page's heading, so the page keeps its own layout.
    return form_page(
        request,
        MFACodeForm(posted(request)),
        template="accounts/mfa_verify.html",
        save=verify,
        then=_next_url(request),
        context={"next": _next_url(request)},
    )


@mfa_exempt
@require_GET
def keep_alive(request: AuthenticatedRequest) -> HttpResponse:
    """Called by the timeout warning's "Stay signed in": any request extends the session."""
    return HttpResponse(status=204)
