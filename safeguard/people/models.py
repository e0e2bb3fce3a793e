"""Children and the people around them, aligned to the DfE CIN census and the Standard
Safeguarding Dataset (SSD tables ``person``, ``family``, ``address``, ``professionals``)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguard.core.codes import Disability, Ethnicity, Sex, UPNUnknown
from safeguard.core.models import BaseModel
from safeguard.people.validators import (
    validate_la_child_id,
    validate_nhs_number,
    validate_person_name,
    validate_postcode,
    validate_upn,
)


class SealReason(models.TextChoices):
    STAFF_OR_RELATIVE = "staff", "A member of staff or a relative of one"
    HIGH_PROFILE = "high_profile", "High profile"
    ADOPTION = "adoption", "Adoption"
    OTHER = "other", "Other"


class Person(BaseModel):
    """Anyone the service records: a child (with a local child identifier) or an adult.

    A child has ``la_child_id``; an unborn child has ``expected_date_of_birth`` and no
    ``date_of_birth``, and sex ``U`` until birth (CIN census rule from 2024-25).
    """

    la_child_id = models.CharField(
        "local child identifier",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_la_child_id],
        help_text="LAchildID in the CIN census: at most 20 letters and digits. Children only.",
    )
    given_name = models.CharField(max_length=100, validators=[validate_person_name])
    family_name = models.CharField(max_length=100, validators=[validate_person_name])
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="Unborn children only; cleared when the birth is recorded."
    )
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, db_index=True, validators=[validate_nhs_number]
    )
    upn = models.CharField("unique pupil number", max_length=13, blank=True, validators=[validate_upn])
    former_upn = models.CharField(max_length=13, blank=True, validators=[validate_upn])
    upn_unknown_reason = models.CharField(
        max_length=3, choices=UPNUnknown.choices, blank=True, help_text="Required when a child has no UPN."
    )
    is_sealed = models.BooleanField(
        default=False, help_text="Visible only to named users; absent everywhere else."
    )
    seal_reason = models.CharField(max_length=16, choices=SealReason.choices, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(date_of_birth__isnull=False) & Q(expected_date_of_birth__isnull=False)),
                name="person_born_or_expected_not_both",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def is_child_record(self) -> bool:
        return self.la_child_id is not None

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())


class NameKind(models.TextChoices):
    FORMER = "former", "Former name"
    ALIAS = "alias", "Also known as"
    BIRTH = "birth", "Name at birth"


class PersonName(BaseModel):
    """Other and former names: matching at the front door searches these too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=16, choices=NameKind.choices)
    given_name = models.CharField(max_length=100, validators=[validate_person_name])
    family_name = models.CharField(max_length=100, validators=[validate_person_name])

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class PersonDisability(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=Disability.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "code"], name="person_disability_once"),
        ]


class Address(BaseModel):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField(max_length=120)
    line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=8, validators=[validate_postcode], db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    must_not_be_disclosed = models.BooleanField(
        default=False,
        help_text=(
            "Never printed in any document or page for anyone other than staff working "
            "with this person (e.g. a parent fleeing domestic abuse)."
        ),
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.line_1}, {self.town} {self.postcode}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class RelationshipKind(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    PARENTS_PARTNER = "parents_partner", "Parent's partner"
    HOUSEHOLD_MEMBER = "household_member", "Other household member"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"


class Relationship(BaseModel):
    """How ``other`` relates to ``child``, read as "other is the child's <kind>"."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="related_to")
    kind = models.CharField(max_length=32, choices=RelationshipKind.choices)
    lives_with_child = models.BooleanField(default=False)
    has_parental_responsibility = models.BooleanField(default=False)
    is_alleged_perpetrator = models.BooleanField(
        default=False,
        help_text=(
            "Whoever is alleged to have harmed the child. Never shown the referrer or the "
            "child's whereabouts."
        ),
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(child=models.F("other")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.other} is {self.get_kind_display().lower()} of {self.child}"


class ProfessionalRole(models.TextChoices):
    GP = "gp", "GP"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    MIDWIFE = "midwife", "Midwife"
    SCHOOL_DSL = "school_dsl", "School designated safeguarding lead"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    POLICE = "police", "Police officer"
    PROBATION = "probation", "Probation officer"
    HOUSING = "housing", "Housing officer"
    CAMHS = "camhs", "Child and adolescent mental health worker"
    YOUTH_JUSTICE = "youth_justice", "Youth justice worker"
    EARLY_HELP = "early_help", "Early help worker"
    OTHER = "other", "Other professional"


class ProfessionalInvolvement(BaseModel):
    """A professional outside children's social care who works with a child."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="professionals")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=32, choices=ProfessionalRole.choices)
    organisation = models.CharField(max_length=160)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.organisation})"


class SealedRecordAccess(BaseModel):
    """A user named on a sealed record: the only people who can find or open it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="seal_access")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="sealed_access")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "user"], name="sealed_access_once"),
        ]


class BreakGlassGrant(BaseModel):
    """Time-limited emergency access to one record outside the user's normal scope.

    The user gave a reason and re-entered their password; the record's managers were told.
    Grants are never edited: they expire.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def is_active_at(self, moment: dt.datetime) -> bool:
        return self.created_at <= moment < self.expires_at


class InvolvementKind(models.TextChoices):
    """How the council's staff come to work with a child. The access rule
    (``people.permissions``) reads only these rows, so an app that gives staff work with a
    child records it here rather than teaching the rule about its own tables."""

    OPEN_CASE = "open_case", "Open case"  # the child's case is open (held or still waiting)
    TEAM = "team", "Holding team"
    WORKER = "worker", "Allocated worker"
    # The independent conference chairs, as a body, while the child is on a protection plan.
    CONFERENCE_CHAIRS = "conference_chairs", "Conference chairs"


class Involvement(BaseModel):
    """Who in the council works with a child, from when to when (``ended_on`` empty: now).

    Written, in the same transaction, by the service that creates the relationship (an
    episode opened, sent, allocated, transferred or closed; a protection plan started or
    ended), and named after the record that made it (``source_type``, ``source_id``).
    Not the same as ``ProfessionalInvolvement``, which lists professionals outside the council.
    """

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    kind = models.CharField(max_length=24, choices=InvolvementKind.choices)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    source_type = models.CharField(max_length=100)
    source_id = models.UUIDField()

    class Meta:
        indexes = [
            models.Index(fields=["child", "kind"], name="involvement_child_kind", condition=Q(ended_on=None)),
            models.Index(fields=["user"], name="involvement_user", condition=Q(ended_on=None)),
            models.Index(fields=["team"], name="involvement_team", condition=Q(ended_on=None)),
            models.Index(fields=["source_type", "source_id"], name="involvement_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} since {self.started_on:%d %B %Y}"
