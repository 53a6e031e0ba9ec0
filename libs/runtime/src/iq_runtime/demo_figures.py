"""What the figures sheet of the demo year must show, computed from the generated records
alone: the same keys as the reporting service's sheet (`GET /v1/figures?period=<year>`).
A check that the whole path (import, outbox, Kafka, projection) lost and duplicated nothing."""

from collections import Counter
from datetime import date, datetime

from iq_contracts.codes import SUCCESSFUL_OUTCOMES, StakeholderType

from .context import BERLIN
from .demo import DemoYear


def expected(demo: DemoYear, as_of: date | None = None) -> dict:
    """The sheet for the demo year, national and `by_region`. `as_of=None`: after loading,
    corrections and retractions included; a date: as of that day before the load, i.e. only
    what had been recorded by then, as first recorded."""
    records = _current(demo) if as_of is None else {
        kind: [row for row in rows if "recorded_at" not in row or _day(row["recorded_at"]) <= as_of]
        for kind, rows in demo.records.items()}
    regions = sorted({row["region"] for rows in records.values() for row in rows})
    sheet = _figures(demo, records)
    sheet["by_region"] = {region: _figures(demo, {kind: [row for row in rows if row["region"] == region]
                                                  for kind, rows in records.items()}) for region in regions}
    return sheet


def _day(recorded_at: str) -> date:
    return datetime.fromisoformat(recorded_at).astimezone(BERLIN).date()


def _current(demo: DemoYear) -> dict[str, list[dict]]:
    amended = {(a.records, a.source_record_id): a for a in demo.amendments}
    records = {}
    for kind, rows in demo.records.items():
        records[kind] = []
        for row in rows:
            amendment = amended.get((kind, row.get("source_record_id")))
            if amendment is None:
                records[kind].append(row)
            elif amendment.action == "correction":
                records[kind].append(row | amendment.body)
    withdrawn = {row["source_record_id"] for row in demo.records["training/enrolments"]} - {
        row["source_record_id"] for row in records["training/enrolments"]}
    records["training/completions"] = [row for row in records["training/completions"]
                                       if row["enrolment"] not in withdrawn]
    return records


def _figures(demo: DemoYear, records: dict[str, list[dict]]) -> dict:
    def in_year(rows: list[dict], day: str) -> list[dict]:
        return [row for row in rows if demo.first_day.isoformat() <= row[day] <= demo.last_day.isoformat()]

    sessions = in_year(records["counselling/advice-sessions"], "occurred_on")
    initial = [row for row in sessions if row["session_type"] == "initial"]
    schemes = in_year(records["training/schemes"], "starts_on")
    starts = in_year(records["training/enrolments"], "started_on")
    started = {row["source_record_id"] for row in starts}
    cohort = [row for row in records["training/completions"] if row["enrolment"] in started]
    completions = in_year(records["training/completions"], "completed_on")
    fair = in_year(records["fair-integration/advice-sessions"], "occurred_on")
    events = in_year(records["fair-integration/group-events"], "held_on")
    return {
        "counselling": {
            "initial_advice_sessions": len(initial),
            "initial_advice_by_kind": dict(Counter(row["kind"] for row in initial)),
            "sessions_by_mode": dict(Counter(row["mode"] for row in initial)),
            "persons_advised": len({row["person_id"] for row in sessions}),
            "contact_points": dict(Counter(row["type"] for row in records["counselling/contact-points"]
                                           if row["opened_on"] <= demo.last_day.isoformat())),
        },
        "training": {
            "schemes_started": len(schemes),
            "schemes_by_format": dict(Counter(row["format"] for row in schemes)),
            "participants_commencing": len(starts),
            "successful_completers": sum(row["outcome"] in SUCCESSFUL_OUTCOMES for row in cohort),
            "completers_by_outcome": dict(Counter(row["outcome"] for row in cohort)),
            "completions_in_period": len(completions),
        },
        "intercultural_opening": _opening(demo, records),
        "fair_integration": {
            "individuals_advised": len({row["person_id"] for row in fair}),
            "advice_sessions": len(fair),
            "group_events": len(events),
            "group_event_participants": sum(row["participants"] for row in events),
            "fair_mobility_referrals": len(in_year(records["fair-integration/referrals"], "occurred_on")),
        },
    }


def _opening(demo: DemoYear, records: dict[str, list[dict]]) -> dict:
    group_of = {(o["region"], o["code"]): StakeholderType(o["type"]).group.value
                for o in demo.records["stakeholders/organisations"]}
    figures = {group: Counter(trainings=0, training_participants=0, events=0, event_participants=0,
                              consultations=0) for group in ("labour_market", "business")}
    for row in records["stakeholders/activities"]:
        plural = "trainings" if row["format"] == "training" else "events"
        figures[row["target_group"]][plural] += 1
        figures[row["target_group"]][f"{plural[:-1]}_participants"] += row["participants"]
    for row in records["stakeholders/consultations"]:
        figures[group_of[row["region"], row["organisation_code"]]]["consultations"] += 1
    for counts in figures.values():
        counts["total_formats"] = counts["trainings"] + counts["events"] + counts["consultations"]
        counts["total_participants"] = counts["training_participants"] + counts["event_participants"]
    return {group: dict(counts) for group, counts in figures.items()}


# the sheet's area -> the service that records it
AREAS = {"counselling": "counselling", "training": "training", "intercultural_opening": "stakeholders",
         "fair_integration": "fair-integration"}


def differences(wanted: dict, sheet: dict, services: list[str]) -> list[str]:
    """Where a served sheet differs from `expected(...)`, for the areas of `services` and the
    figures the sheet has (a reporting service may not count every area yet); nationally
    and per region. Zero counts in a breakdown are the same as absent ones."""
    found = []
    for scope, expected_tree, shown_tree in [("", wanted, sheet)] + [
            (f"{region}.", tree, sheet.get("by_region", {}).get(region, {}))
            for region, tree in wanted["by_region"].items()]:
        for area in (area for area, service in AREAS.items() if service in services and area in sheet):
            if area not in shown_tree:
                found.append(f"{scope}{area}: not on the sheet")
                continue
            found += _compare(f"{scope}{area}", expected_tree[area], shown_tree[area])
    return found


def _compare(path: str, wanted: dict, shown: dict) -> list[str]:
    found = []
    for key, value in wanted.items():
        if key not in shown:
            continue  # a figure this reporting service does not have
        if isinstance(value, dict) and value and isinstance(next(iter(value.values())), dict):
            found += _compare(f"{path}.{key}", value, shown[key])
        elif isinstance(value, dict):
            nonzero = {k: n for k, n in shown[key].items() if n}
            if {k: n for k, n in value.items() if n} != nonzero:
                found.append(f"{path}.{key}: expected {value}, shown {nonzero}")
        elif shown[key] != value:
            found.append(f"{path}.{key}: expected {value}, shown {shown[key]}")
    return found
