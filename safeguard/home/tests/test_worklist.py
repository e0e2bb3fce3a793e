from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from safeguard.audit.models import AccessLogEntry
from safeguard.core.worklist import WorkItem
from safeguard.home import worklist

TODAY = dt.date(2026, 12, 3)


def _provider(*, user, today):
    return [
        WorkItem(group="Conferences", title="Write the outcome letter for A", href="/a/", due=TODAY),
        WorkItem(group="Children's views", title="B says they feel unsafe", href="/b/", urgent=True),
        WorkItem(group="Supervision", title="Supervise C", href="/c/", names_child=False),
    ]


def test_urgent_items_come_first_then_by_due_date():
    with mock.patch.object(worklist, "PROVIDERS", (_provider,)):
        items = worklist.work_items_for(user=None, today=TODAY)
    assert [i.href for i in items] == ["/b/", "/a/", "/c/"]


@pytest.mark.django_db
def test_the_home_page_lists_items_and_logs_those_that_name_a_child(client, social_worker):
    client.force_login(social_worker)
    with mock.patch.object(worklist, "PROVIDERS", (_provider,)):
        page = client.get(reverse("home:home")).content.decode()
    assert "Things to do (3)" in page
    assert page.index("B says they feel unsafe") < page.index("Supervise C")
    assert AccessLogEntry.objects.filter(user=social_worker, detail__contains="things to do (2)").exists()


@pytest.mark.django_db
def test_no_items_means_no_section(client, social_worker):
    client.force_login(social_worker)
    assert "Things to do" not in client.get(reverse("home:home")).content.decode()
