from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.accounts.models import Team
from safeguard.accounts.tests.factories import ServiceFactory
from safeguard.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    admin_user = make_user("system_administrator", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    return client, admin_user


def test_reference_data_edited_in_the_admin_is_audited(admin_client):
    client, admin_user = admin_client
    service = ServiceFactory()
    response = client.post(
        reverse("admin:accounts_team_add"),
        {
            "name": "Children in Need Team 9",
            "kind": "children_in_need",
            "service": str(service.pk),
            "caseload_policy": "18",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Children in Need Team 9")
    event = AuditEvent.objects.get(action="admin_add", object_id=str(team.pk))
    assert event.actor == admin_user and event.changes["name"]["after"] == "Children in Need Team 9"


def test_the_audit_trail_is_read_only_in_the_admin(admin_client):
    client, _ = admin_client
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
