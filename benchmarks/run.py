"""Patient search and home lists at clinic scale, as ratios against raw SQL.

Builds (once) a demo clinic of N patients in its own database, then times Waypoint's
query paths against hand-written SQL returning the same rows. Prints one line a case.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches and connections
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from waypoint.core.principals import principal_for
    from waypoint.demo.clinic import build
    from waypoint.patients import queries

    call_command("migrate", verbosity=0)
    build(seed=1, patients=args.patients)
    clinician = principal_for(get_user_model().objects.get(username="clinician"))
    services = tuple(clinician.service_ids)
    # Only placeholders are formatted into the SQL; the values travel as parameters.
    marks = ",".join(["%s"] * len(services))

    def orm_search() -> list[object]:
        return list(queries.search_patients(clinician, "smi")[:25])

    def sql_search() -> list[tuple[object, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT p.id, p.family_name, p.given_name, p.mrn, p.birth_date
                    FROM patients_patient p
                    WHERE p.clinic_id = %s
                      AND (p.search_name LIKE 'smi%%' OR p.search_name LIKE '%% smi%%')
                      AND EXISTS (SELECT 1 FROM patients_episodeofcare e
                                  WHERE e.patient_id = p.id AND e.status <> 'entered-in-error'
                                    AND e.service_id IN ({marks}))
                    ORDER BY p.family_name, p.given_name, p.id LIMIT 25""",
                [clinician.clinic_id, *services],
            )
            return cursor.fetchall()

    def orm_count() -> int:
        return queries.patients_in_my_services(clinician).count()

    def sql_count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT COUNT(*) FROM patients_patient p WHERE p.clinic_id = %s AND EXISTS (
                      SELECT 1 FROM patients_episodeofcare e WHERE e.patient_id = p.id
                      AND e.status IN ('planned', 'active', 'onhold')
                      AND e.service_id IN ({marks}))
                    AND EXISTS (SELECT 1 FROM patients_episodeofcare e WHERE e.patient_id = p.id
                      AND e.status <> 'entered-in-error' AND e.service_id IN ({marks}))""",
                [clinician.clinic_id, *services, *services],
            )
            return int(cursor.fetchone()[0])

    from django.test import Client

    from waypoint.patients.models import Patient

    client = Client(SERVER_NAME="localhost")  # an allowed host
    client.force_login(get_user_model().objects.get(username="clinician"))
    chart = f"/patients/{Patient.objects.get(mrn='WP000001').external_id}/"

    def chart_page() -> int:
        response = client.get(chart)
        assert response.status_code == 200
        return len(response.content)

    def bare_page() -> int:  # the same middleware, session and user: no work of ours
        return len(client.get("/healthz/").content)

    assert len(orm_search()) == len(sql_search()), "the floor must return the same rows"
    assert orm_count() == sql_count(), "the floor must return the same count"
    print(f"{connection.vendor}, {args.patients} patients, median of {args.repeat}")
    for name, ours, floor in [
        ("patient search 'smi' (first page)", orm_search, sql_search),
        ("patients in my services (count)", orm_count, sql_count),
        ("chart, all panels (floor: /healthz/)", chart_page, bare_page),
    ]:
        a, b = median_seconds(ours, args.repeat), median_seconds(floor, args.repeat)
        ours_ms, floor_ms = a * 1000, b * 1000
        ratio = a / b
        timings = f"waypoint {ours_ms:8.2f} ms   floor {floor_ms:8.2f} ms"
        print(f"{name:<38} {timings}   ratio {ratio:5.1f}")


if __name__ == "__main__":
    main()
