"""Staff, their teams and roles."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models

from safeguard.core.models import BaseModel


class Role(models.TextChoices):
    FRONT_DOOR_PRACTITIONER = "front_door_practitioner", "Front door practitioner"
    FRONT_DOOR_MANAGER = "front_door_manager", "Front door manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    CONFERENCE_CHAIR = "conference_chair", "Child protection conference chair"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    WORKFORCE_LEAD = "workforce_lead", "Workforce lead"
    HR_OFFICER = "hr_officer", "HR officer"
    DIRECTOR = "director", "Director of children's services"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    PARTNER_AGENCY = "partner_agency", "Partner agency user"


CASE_HOLDING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER})
MANAGER_ROLES = frozenset({Role.FRONT_DOOR_MANAGER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})


class TeamKind(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door (MASH)"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_IN_NEED = "children_in_need", "Children in need"
    CONFERENCE_CHAIRS = "conference_chairs", "Conference chairs"
    PERFORMANCE = "performance", "Performance and intelligence"
    WORKFORCE = "workforce", "Workforce"
    LEADERSHIP = "leadership", "Leadership"
    PARTNER = "partner", "Partner agency"


# Teams that assess children and hold their cases: the front door hands referrals to these,
# and a service manager transfers cases between them.
RECEIVING_TEAM_KINDS = frozenset({TeamKind.ASSESSMENT, TeamKind.CHILD_PROTECTION, TeamKind.CHILDREN_IN_NEED})


class Service(BaseModel):
    """A group of teams under one service manager (e.g. Safeguarding and Assessment)."""

    name = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return self.name


class Team(BaseModel):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=TeamKind.choices)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    caseload_policy = models.PositiveSmallIntegerField(
        default=18, help_text="Most children a full-time case-holding worker should hold."
    )
    postcode_districts = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "The postcode districts (the part before the space, e.g. HM1 HM2) whose referrals "
            "this team receives. The front door's decision offers this team for a child living there."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def districts(self) -> frozenset[str]:
        return frozenset(d.upper() for d in self.postcode_districts.replace(",", " ").split())


class Grade(models.TextChoices):
    ASYE = "asye", "Social worker (ASYE)"
    SOCIAL_WORKER = "social_worker", "Social worker"
    EXPERIENCED = "experienced", "Experienced social worker"
    SENIOR = "senior", "Senior practitioner"
    PRACTICE_SUPERVISOR = "practice_supervisor", "Practice supervisor"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    BUSINESS_SUPPORT = "business_support", "Business support"
    OTHER = "other", "Other"


class User(AbstractUser):
    """A member of staff or a partner agency user. Email is the login name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)
    grade = models.CharField(max_length=32, choices=Grade.choices, default=Grade.OTHER)
    is_agency = models.BooleanField(
        default=False, help_text="Engaged through an agency rather than employed by the council."
    )
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    social_work_england_number = models.CharField(max_length=12, blank=True)
    agency_name = models.CharField(
        max_length=120, blank=True, help_text="For partner agency users: the agency they work for."
    )
    is_demo_account = models.BooleanField(
        default=False, help_text="Made by the demo generator; can sign in only in demo mode."
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_case_holder(self) -> bool:
        return self.role in CASE_HOLDING_ROLES

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES
