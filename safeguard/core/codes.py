"""Code sets of the DfE Children in Need census (2025-26), used in the data model itself.

Source: ``shared/data/CIN_schema_2026.xsd`` and ``shared/domain/codes.md``. Storing these
codes, rather than local values translated at census time, makes the return a projection.
"""

from __future__ import annotations

from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown or unborn"


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (neighbour, childminder)"
    SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other (including strangers)"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "Health: GP"
    HEALTH_VISITOR = "3B", "Health: health visitor"
    SCHOOL_NURSE = "3C", "Health: school nurse"
    PRIMARY_HEALTH_OTHER = "3D", "Health: other primary health services"
    A_AND_E = "3E", "Health: A&E"
    HEALTH_OTHER = "3F", "Health: other health services"
    HOUSING = "4", "Housing"
    LA_SOCIAL_CARE = "5A", "LA services: social care"
    LA_INTERNAL_OTHER = "5B", "LA services: other internal"
    LA_EXTERNAL = "5C", "LA services: external (another LA)"
    LA_EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    LEGAL_AGENCY = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    N1 = "N1", "Abuse, neglect and exploitation"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"
    N0 = "N0", "Not stated"


class ReasonForClosure(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class CategoryOfAbuse(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class AssessmentFactor(models.TextChoices):
    ALCOHOL_CHILD = "1A", "Alcohol misuse: child"
    ALCOHOL_PARENT = "1B", "Alcohol misuse: parent or carer"
    ALCOHOL_OTHER = "1C", "Alcohol misuse: other person in household"
    DRUGS_CHILD = "2A", "Drug misuse: child"
    DRUGS_PARENT = "2B", "Drug misuse: parent or carer"
    DRUGS_OTHER = "2C", "Drug misuse: other person in household"
    DOMESTIC_ABUSE_CHILD = "3A", "Domestic abuse: child"
    DOMESTIC_ABUSE_PARENT = "3B", "Domestic abuse: parent or carer"
    DOMESTIC_ABUSE_OTHER = "3C", "Domestic abuse: other person in household"
    MENTAL_HEALTH_CHILD = "4A", "Mental health: child"
    MENTAL_HEALTH_PARENT = "4B", "Mental health: parent or carer"
    MENTAL_HEALTH_OTHER = "4C", "Mental health: other person in household"
    LEARNING_DISABILITY_CHILD = "5A", "Learning disability: child"
    LEARNING_DISABILITY_PARENT = "5B", "Learning disability: parent or carer"
    LEARNING_DISABILITY_OTHER = "5C", "Learning disability: other person in household"
    PHYSICAL_DISABILITY_CHILD = "6A", "Physical disability or illness: child"
    PHYSICAL_DISABILITY_PARENT = "6B", "Physical disability or illness: parent or carer"
    PHYSICAL_DISABILITY_OTHER = "6C", "Physical disability or illness: other person in household"
    YOUNG_CARER = "7A", "Young carer"
    PRIVATE_FOSTERING_OVERSEAS_RETURN = "8B", "Privately fostered: overseas, intends to return"
    PRIVATE_FOSTERING_OVERSEAS_STAY = "8C", "Privately fostered: overseas, intends to stay"
    PRIVATE_FOSTERING_UK_EDUCATION = "8D", "Privately fostered: UK, educational"
    PRIVATE_FOSTERING_UK_FAMILY = "8E", "Privately fostered: UK, family arrangement"
    PRIVATE_FOSTERING_OTHER = "8F", "Privately fostered: other"
    UNACCOMPANIED_ASYLUM_SEEKING = "9A", "Unaccompanied asylum-seeking child"
    MISSING = "10A", "Going or being missing"
    SEXUAL_EXPLOITATION = "11A", "Child sexual exploitation"
    TRAFFICKING = "12A", "Trafficking"
    GANGS = "13A", "Gangs"
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = "14A", "Socially unacceptable behaviour"
    SELF_HARM = "15A", "Self-harm"
    NEGLECT = "16A", "Neglect"
    EMOTIONAL_ABUSE = "17A", "Emotional abuse"
    PHYSICAL_ABUSE_CHILD_ON_CHILD = "18B", "Physical abuse: child on child"
    PHYSICAL_ABUSE_ADULT_ON_CHILD = "18C", "Physical abuse: adult on child"
    SEXUAL_ABUSE_CHILD_ON_CHILD = "19B", "Sexual abuse: child on child"
    SEXUAL_ABUSE_ADULT_ON_CHILD = "19C", "Sexual abuse: adult on child"
    OTHER = "20", "Other"
    NO_FACTORS = "21", "No factors identified"
    FGM = "22A", "Female genital mutilation"
    FAITH_OR_BELIEF = "23A", "Abuse linked to faith or belief"
    CRIMINAL_EXPLOITATION = "24A", "Child criminal exploitation"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy or Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism or Asperger's"
    DDA = "DDA", "Other"


class UPNUnknown(models.TextChoices):
    UN1 = "UN1", "Child not of school age"
    UN2 = "UN2", "Never attended a state school in England"
    UN3 = "UN3", "Educated outside England"
    UN4 = "UN4", "New to the local authority, UPN not yet obtained"
    UN5 = "UN5", "Sources disagree"
    UN6 = "UN6", "Unborn"
    UN7 = "UN7", "Referral with no further action"
