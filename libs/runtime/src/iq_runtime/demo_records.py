"""The demo year's counselling, stakeholder and Fair Integration records (see `demo`)."""

import random
from datetime import date
from functools import cache

from iq_contracts.occupations import isco_to_kldb, kldb_labels

from .demo import REGIONS, Amendment, Clock, DemoYear, pick, share

# where the qualifications advised on were acquired: the third countries common in recognition counselling
QUALIFICATION_COUNTRIES = {"SY": 18, "UA": 14, "TR": 9, "IN": 7, "IR": 6, "RU": 5, "IQ": 4, "AF": 4, "BA": 4,
                           "RS": 4, "EG": 3, "PH": 3, "MA": 3, "TN": 2, "BR": 2, "CN": 2, "PK": 2, "CO": 2,
                           "AL": 2, "NG": 1}
# Fair Integration advises refugees and third-country nationals; EU citizens are referred
CITIZENSHIPS = {"SY": 20, "AF": 12, "UA": 14, "IQ": 8, "TR": 7, "ER": 5, "NG": 4, "IR": 4, "SO": 3, "GE": 3,
                "MD": 3, "IN": 3, "VN": 2, "PK": 2}
EU_CITIZENSHIPS = {"RO": 10, "BG": 8, "PL": 6, "HR": 3, "HU": 3, "IT": 2, "GR": 2}
KINDS = {"recognition": 55, "job_training": 20, "recognition_and_job_training": 25}
OPENING_TOPICS = {"intercultural_competence": 30, "anti_discrimination": 20, "diversity_management": 15,
                  "equal_treatment_act": 10, "skilled_worker_immigration": 20, "organisational_development": 5}
LABOUR_LAW_TOPICS = {"wages": 25, "working_time": 12, "holiday": 8, "dismissal_and_termination": 15,
                     "health_insurance": 10, "social_benefits": 15, "residence_related_employment": 12, "other": 3}
RESIDENCE = {"protection_status": 30, "temporary_protection": 20, "asylum_seeker": 12, "tolerated": 8,
             "employment_residence": 12, "family_reunification": 8, "other": 3, "not_stated": 7}
# organisation code prefix -> type, display name prefix; one of each per place
ORGANISATIONS = {"jobcenter": ("job_centre", "Jobcenter"), "agentur": ("employment_agency", "Agentur für Arbeit"),
                 "ihk": ("chamber", "IHK"), "stadt": ("municipal_administration", "Stadtverwaltung"),
                 "pflegedienst": ("sme", "Ambulanter Pflegedienst"),
                 "handwerk": ("association", "Kreishandwerkerschaft")}


@cache
def occupation_weights() -> dict[tuple[str, str], float]:
    """Health, engineering, IT and education first, as in recognition counselling."""
    def weight(code: str) -> float:
        for prefixes, w in ((("813", "814"), 8), (("81", "82"), 3), (("43",), 4), (("84",), 3),
                            (("25", "26", "27"), 3), (("41", "42"), 1.5)):
            if code.startswith(prefixes):
                return w
        return 0.5
    weights = {("kldb2010", code): weight(code) for code in kldb_labels()}
    # some old tools record ISCO-08: the services map it to KldB 2010
    weights |= {("isco08", code): 0.4 * weight(kldb) for code, kldb in isco_to_kldb().items()}
    return weights


def occupation(rng: random.Random) -> dict:
    classification, code = pick(rng, occupation_weights())
    return {"classification": classification, "code": code}


def regulated(occ: dict) -> bool:
    code = occ["code"] if occ["classification"] == "kldb2010" else isco_to_kldb()[occ["code"]]
    return code.startswith(("813", "814", "816", "817", "818", "84"))  # care, medicine, pharmacy, teaching


def counselling(demo: DemoYear, rng: random.Random, clock: Clock, scale: float) -> None:
    points, sessions = demo.records["counselling/contact-points"], demo.records["counselling/advice-sessions"]
    for region, (_, places) in REGIONS.items():
        open_points = []
        for kind, total in (("permanent", 74), ("mobile", 100)):
            for n in range(share(total * min(scale * 10, 1), region)):
                opened = (date(rng.randint(2015, demo.year - 1), rng.randint(1, 12), 1) if n or kind == "permanent"
                          else clock.day_in(demo.year, last=date(demo.year, 9, 30)))  # one new mobile point
                code = f"{places[n % len(places)]}-{n // len(places) + 1}" + ("-mobil" if kind == "mobile" else "")
                points.append({"source_record_id": f"demo-cp-{region}-{code}", "region": region, "code": code,
                               "type": kind, "opened_on": opened.isoformat(),
                               "recorded_at": clock.recorded("contact-point", opened)})
                open_points.append((code, kind, opened))
        advised: list[tuple[str, date]] = []
        for n in range(share(6000 * scale, region)):
            code, kind, opened = rng.choice(open_points)
            day = clock.day_in(demo.year, first=max(opened, demo.first_day))
            person, session_type = f"{region}-C{n:05d}", "initial"
            earlier = [(p, d) for p, d in advised[-50:] if d < day]
            if earlier and rng.random() < 0.12:
                person, session_type = rng.choice(earlier)[0], "follow_up"
            else:
                advised.append((person, day))
            occ = occupation(rng)
            modes = {"mobile": 80, "phone": 20} if kind == "mobile" else {"in_person": 60, "phone": 25, "video": 15}
            sessions.append({"source_record_id": f"demo-as-{region}-{n:05d}", "region": region, "contact_point": code,
                             "occurred_on": day.isoformat(), "session_type": session_type, "kind": pick(rng, KINDS),
                             "mode": pick(rng, modes), "occupation": occ, "occupation_regulated": regulated(occ),
                             "qualification_country": pick(rng, QUALIFICATION_COUNTRIES), "person_id": person,
                             "recorded_at": clock.recorded("advice-session", day)})
    _amend(demo, rng, "counselling/advice-sessions", sessions, corrected={"kind": "recognition_and_job_training"})


def stakeholders(demo: DemoYear, rng: random.Random, clock: Clock, scale: float) -> None:
    activities, consultations = demo.records["stakeholders/activities"], demo.records["stakeholders/consultations"]
    for region, (_, places) in REGIONS.items():
        codes = []
        for place in places[:2]:
            for prefix, (kind, name) in ORGANISATIONS.items():
                codes.append(f"{prefix}-{place}")
                demo.records["stakeholders/organisations"].append(
                    {"region": region, "code": codes[-1], "type": kind, "name": f"{name} {place.title()}"})
        for n in range(share(300 * scale, region)):
            day, training = clock.day_in(demo.year), rng.random() < 0.55
            activities.append({"source_record_id": f"demo-sa-{region}-{n:04d}", "region": region,
                               "format": "training" if training else "event",
                               "target_group": "labour_market" if rng.random() < 0.65 else "business",
                               "topic": pick(rng, OPENING_TOPICS), "held_on": day.isoformat(),
                               "participants": rng.randint(8, 25) if training else rng.randint(20, 120),
                               "recorded_at": clock.recorded("activity", day)})
        for n in range(share(400 * scale, region)):
            day = clock.day_in(demo.year)
            consultations.append({"source_record_id": f"demo-sc-{region}-{n:04d}", "region": region,
                                  "organisation_code": rng.choice(codes), "topic": pick(rng, OPENING_TOPICS),
                                  "held_on": day.isoformat(), "recorded_at": clock.recorded("consultation", day)})
    _amend(demo, rng, "stakeholders/activities", activities, corrected={"participants": 42})


def fair_integration(demo: DemoYear, rng: random.Random, clock: Clock, scale: float) -> None:
    sessions = demo.records["fair-integration/advice-sessions"]
    for region in REGIONS:
        for n in range(share(800 * scale, region)):
            day = clock.day_in(demo.year)
            follow_up = n > 5 and rng.random() < 0.2  # the person came back (ids of earlier sessions)
            sessions.append({"source_record_id": f"demo-fs-{region}-{n:04d}", "region": region,
                             "occurred_on": day.isoformat(), "session_type": "follow_up" if follow_up else "initial",
                             "topics": sorted({pick(rng, LABOUR_LAW_TOPICS) for _ in range(rng.randint(1, 3))}),
                             "residence_status": pick(rng, RESIDENCE), "citizenship": pick(rng, CITIZENSHIPS),
                             "person_id": f"{region}-F{rng.randrange(n) if follow_up else n:04d}",
                             "recorded_at": clock.recorded("fi-session", day)})
        for n in range(share(60 * scale, region)):
            day = clock.day_in(demo.year)
            demo.records["fair-integration/group-events"].append(
                {"source_record_id": f"demo-fe-{region}-{n:03d}", "region": region, "held_on": day.isoformat(),
                 "topics": sorted({pick(rng, LABOUR_LAW_TOPICS) for _ in range(rng.randint(1, 3))}),
                 "participants": rng.randint(8, 45), "recorded_at": clock.recorded("group-event", day)})
        for n in range(share(50 * scale, region)):
            day = clock.day_in(demo.year)
            demo.records["fair-integration/referrals"].append(
                {"source_record_id": f"demo-fr-{region}-{n:03d}", "region": region, "occurred_on": day.isoformat(),
                 "citizenship": pick(rng, EU_CITIZENSHIPS), "person_id": f"{region}-R{n:03d}",
                 "recorded_at": clock.recorded("referral", day)})
    _amend(demo, rng, "fair-integration/advice-sessions", sessions, corrected={"topics": ["wages", "holiday"]})


def _amend(demo: DemoYear, rng: random.Random, records: str, rows: list[dict], corrected: dict) -> None:
    """About 1% of the records corrected, 0.5% retracted as duplicates (at least one each)."""
    chosen = rng.sample(rows, max(2, round(len(rows) * 0.015)))
    split = max(1, len(chosen) * 2 // 3)
    for row in chosen[:split]:
        body = {k: v for k, v in row.items() if k not in ("source_record_id", "recorded_at")} | corrected
        demo.amendments.append(Amendment(records, row["source_record_id"], "correction", body))
    for row in chosen[split:]:
        demo.amendments.append(Amendment(records, row["source_record_id"], "retraction", {"reason": "duplicate"}))
