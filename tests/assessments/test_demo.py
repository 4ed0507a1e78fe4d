"""Demo data: Alex Morgan's PHQ-9 / PEG history, a couple of open alerts, idempotent."""

from __future__ import annotations

import pytest

from waypoint.assessments.models import QuestionnaireResponse, SafetyAlert
from waypoint.demo.clinic import build
from waypoint.patients.models import Patient


@pytest.mark.django_db
def test_demo_gives_alex_a_history_and_opens_alerts() -> None:
    build(seed=2, patients=20)
    alex = Patient.objects.get(mrn="WP000001")
    history = QuestionnaireResponse.objects.filter(patient=alex, status="completed")
    phq9 = list(history.filter(instrument="phq9").order_by("completed_at"))
    assert len(phq9) >= 4 and history.filter(instrument="peg").count() == len(phq9)
    assert phq9[0].total is not None and phq9[-1].total is not None
    assert phq9[0].total - phq9[-1].total >= 5  # improves past the PHQ-9 MCID
    assert phq9[0].completed_at < phq9[-1].completed_at
    open_alerts = SafetyAlert.objects.filter(status="open")
    assert 1 <= open_alerts.count() <= 2
    assert not open_alerts.filter(patient=alex).exists()
    before = (QuestionnaireResponse.objects.count(), SafetyAlert.objects.count())
    build(seed=2, patients=20)
    assert (QuestionnaireResponse.objects.count(), SafetyAlert.objects.count()) == before
