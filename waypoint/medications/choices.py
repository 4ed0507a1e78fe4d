"""Every TextChoices of the medications app, in one place."""

from django.db import models


class EntryStatus(models.TextChoices):
    """FHIR MedicationStatement.status, less the states we do not record."""

    ACTIVE = "active", "Active"
    STOPPED = "stopped", "Stopped"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class Form(models.TextChoices):
    TABLET = "tablet", "Tablet"
    CAPSULE = "capsule", "Capsule"
    LIQUID = "liquid", "Liquid"
    PATCH = "patch", "Patch"
    INJECTION = "injection", "Injection"
    SPRAY = "spray", "Spray"
    GEL = "gel", "Gel / cream"
    FILM = "film", "Film"
    OTHER = "other", "Other"


class Route(models.TextChoices):
    ORAL = "oral", "Oral"
    TRANSDERMAL = "transdermal", "Transdermal"
    TOPICAL = "topical", "Topical"
    SUBLINGUAL = "sublingual", "Sublingual"
    BUCCAL = "buccal", "Buccal"
    NASAL = "nasal", "Nasal"
    SUBCUTANEOUS = "subcutaneous", "Subcutaneous"
    INTRAMUSCULAR = "intramuscular", "Intramuscular"
    INTRAVENOUS = "intravenous", "Intravenous"
    RECTAL = "rectal", "Rectal"


class StrengthUnit(models.TextChoices):
    MG = "mg", "mg"
    MCG = "mcg", "mcg"
    MG_ML = "mg/ml", "mg/ml"
    MCG_ML = "mcg/ml", "mcg/ml"
    MCG_HR = "mcg/hr", "mcg/hr (patch)"


class DoseUnit(models.TextChoices):
    UNIT = "unit", "tablet / capsule / patch / film"
    MG = "mg", "mg"
    MCG = "mcg", "mcg"
    ML = "ml", "ml"


class DrugClass(models.TextChoices):
    OPIOID = "opioid", "Opioid"
    BENZODIAZEPINE = "benzodiazepine", "Benzodiazepine"
    GABAPENTINOID = "gabapentinoid", "Gabapentinoid"
    SNRI = "snri", "SNRI"
    TRICYCLIC = "tricyclic", "Tricyclic"
    NSAID = "nsaid", "NSAID"
    MUSCLE_RELAXANT = "muscle-relaxant", "Muscle relaxant"
    TOPICAL = "topical", "Topical"
    OTHER = "other", "Other"


class CheckKind(models.TextChoices):
    """Monitoring recorded for opioid stewardship (CDC 2022 Recs 7-10)."""

    PDMP = "pdmp", "Prescription-monitoring check"
    URINE_DRUG_SCREEN = "urine-drug-screen", "Urine drug screen"
    TOXICOLOGY_DECLINED = "toxicology-declined", "Toxicology: risks judged to outweigh benefits"
    FUNCTIONAL_REVIEW = "functional-review", "Functional review (benefits and harms)"
    NALOXONE_OFFERED = "naloxone-offered", "Naloxone offered with overdose education"
    SAFE_STORAGE = "safe-storage", "Safe storage and disposal counselling"
    FALLS_REVIEW = "falls-review", "Falls and bone-health review"
    STOP_BANG = "stop-bang", "STOP-Bang sleep apnoea screen"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class ProcedureKind(models.TextChoices):
    NERVE_BLOCK = "nerve-block", "Nerve block"
    MEDIAL_BRANCH_BLOCK = "medial-branch-block", "Medial branch block"
    TRIGGER_POINT = "trigger-point-injection", "Trigger point injection"
    EPIDURAL_STEROID = "epidural-steroid-injection", "Epidural steroid injection"
    RADIOFREQUENCY = "radiofrequency-denervation", "Radiofrequency denervation"
    BOTOX = "botulinum-toxin-injection", "Botulinum toxin (Botox) injection"
    LIDOCAINE_INFUSION = "lidocaine-infusion", "Lidocaine infusion"
    SCS_TRIAL = "spinal-cord-stimulator-trial", "Spinal cord stimulator trial"
    JOINT_INJECTION = "joint-injection", "Joint injection"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"
    MIDLINE = "midline", "Midline"
    NOT_APPLICABLE = "n/a", "Not applicable"


class ProcedureStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class TaperStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"
