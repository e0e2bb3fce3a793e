from __future__ import annotations

import pytest
from django.urls import reverse

from safeguard.audit.models import AuditEvent
from safeguard.frontdoor.models import AgencyType, PartnerAgency, PartnerMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    administrator = make_user("system_administrator", is_staff=True, is_superuser=True)
    client.force_login(administrator)
    client.administrator = administrator
    return client


def test_an_administrator_links_a_partner_user_to_their_agency_and_it_is_audited(admin_client, make_user):
    school = PartnerAgency.objects.create(name="Larchfield Primary School", agency_type=AgencyType.SCHOOL)
    dsl = make_user("partner_agency")
    response = admin_client.post(
        reverse("admin:frontdoor_partnermembership_add"), {"user": str(dsl.pk), "agency": str(school.pk)}
    )
    assert response.status_code == 302
    assert PartnerMembership.objects.get(user=dsl).agency == school
    assert AuditEvent.objects.filter(action="admin_add", actor=admin_client.administrator).exists()
    page = admin_client.get(reverse("admin:frontdoor_partneragency_change", args=[school.pk]))
    assert page.status_code == 200 and dsl.username in page.content.decode()


def test_a_member_of_staff_cannot_be_linked_to_an_agency(admin_client, make_user):
    school = PartnerAgency.objects.create(name="Larchfield Primary School", agency_type=AgencyType.SCHOOL)
    worker = make_user("social_worker")
    response = admin_client.post(
        reverse("admin:frontdoor_partnermembership_add"), {"user": str(worker.pk), "agency": str(school.pk)}
    )
    assert response.status_code == 200  # the form again, with an error
    assert not PartnerMembership.objects.exists()
