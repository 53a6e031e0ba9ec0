"""The demo year's training schemes, participants and completions (see `demo`). Enrolment
rows name their scheme, completion rows their enrolment, by source id (`scheme`,
`enrolment`); the loader replaces them with the ids the training service gives."""

import random
from datetime import date, timedelta

from .demo import REGIONS, Amendment, Clock, DemoYear, pick, share
from .demo_records import occupation

MEASURE_TYPES = {"compensatory_measure": 35, "bridge_training": 30, "in_company_training": 15,
                 "language_support": 20}
OUTCOMES = {"full_recognition": 40, "employment_appropriate": 30, "discontinued": 18, "other": 12}
ESF = {
    "gender": {"female": 52, "male": 45, "diverse": 1, "not_stated": 2},
    "age_band": {"18_29": 28, "30_54": 66, "55_plus": 4, "not_stated": 2},
    "isced": {"isced_0_2": 3, "isced_3_4": 27, "isced_5_8": 66, "not_stated": 4},
    "labour_market_status": {"employed": 35, "unemployed": 30, "long_term_unemployed": 15, "inactive": 15,
                             "not_stated": 5},
    "third_country_national": {"yes": 85, "no": 10, "not_stated": 5},
    "foreign_background": {"yes": 95, "not_stated": 5},
}


def training(demo: DemoYear, rng: random.Random, clock: Clock, scale: float) -> None:
    schemes, enrolments = demo.records["training/schemes"], demo.records["training/enrolments"]
    completions = demo.records["training/completions"]
    for region in REGIONS:
        person = 0
        for n in range(share(400 * scale, region)):
            course = rng.random() < 0.4
            starts_on = clock.day_in(demo.year, last=date(demo.year, 11, 30))
            scheme = {"source_record_id": f"demo-ts-{region}-{n:04d}", "region": region,
                      "format": "course" if course else "individual", "measure_type": pick(rng, MEASURE_TYPES),
                      "occupation": occupation(rng), "starts_on": starts_on.isoformat(),
                      "planned_end": (starts_on + timedelta(days=rng.randint(60, 330))).isoformat(),
                      "recorded_at": clock.recorded("scheme", starts_on, margin=60)}
            schemes.append(scheme)
            for _ in range(rng.randint(3, 8) if course else 1):
                person += 1
                started_on = clock.day_in(demo.year, first=starts_on,
                                          last=starts_on + timedelta(days=rng.choice((0, 0, 0, 3, 10))))
                enrolment = {"source_record_id": f"demo-te-{region}-{person:05d}", "region": region,
                             "scheme": scheme["source_record_id"], "person_id": f"{region}-T{person:05d}",
                             "started_on": started_on.isoformat(),
                             "esf": {attribute: pick(rng, answers) for attribute, answers in ESF.items()},
                             "recorded_at": clock.recorded("enrolment", started_on, scheme["recorded_at"], 40)}
                enrolments.append(enrolment)
                completed_on = started_on + timedelta(days=rng.randint(40, 320))
                if rng.random() < 0.4 and completed_on < clock.now.date() - timedelta(days=1):
                    completions.append({
                        "source_record_id": f"demo-tc-{region}-{person:05d}", "region": region,
                        "enrolment": enrolment["source_record_id"], "completed_on": completed_on.isoformat(),
                        "outcome": pick(rng, OUTCOMES),
                        "recorded_at": clock.recorded("completion", completed_on, enrolment["recorded_at"], 20)})
    # a completion first recorded as "other" turns out to be a full recognition
    for row in rng.sample(completions, max(1, len(completions) // 100)):
        body = {"region": row["region"], "completed_on": row["completed_on"], "outcome": "full_recognition"}
        demo.amendments.append(Amendment("training/completions", row["source_record_id"], "correction", body))
    completed = {row["enrolment"] for row in completions}
    open_starts = [row for row in enrolments if row["source_record_id"] not in completed]
    for row in rng.sample(open_starts, min(len(open_starts), max(1, len(enrolments) // 200))):
        demo.amendments.append(Amendment("training/enrolments", row["source_record_id"], "retraction",
                                         {"region": row["region"], "reason": "entered_in_error"}))
