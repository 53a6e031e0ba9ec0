"""Loading the demo year through the services' HTTP APIs, as a migration from an old tool
would: bulk imports (each row with its `source_record_id` and original `recorded_at`) and,
where the services give ids, the listings.

Loading again changes nothing, so `make run` loads on every start without a marker file:
- imports skip rows whose `source_record_id` was imported before;
- organisations (no import) answer 409 when their code is registered already;
- training enrolments name their scheme, completions their enrolment, by the ids the
  service gave; they are found in the listings by their recording time, which the generator
  makes unique per kind of record;
- a correction is sent only while the record is not corrected yet, a retraction only while
  it is not retracted."""

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx

from .demo import DemoYear

CHUNK_ROWS = 2000  # rows per import request
RETRIES = 6
# records -> (listing, id field, what is amended at /v1/<path with the id>/<action>)
AMENDED = {
    "counselling/advice-sessions": ("/v1/advice-sessions", "session_id", "/v1/advice-sessions/{}"),
    "training/enrolments": ("/v1/enrolments", "enrolment_id", "/v1/enrolments/{}"),
    "training/completions": ("/v1/enrolments", "enrolment_id", "/v1/enrolments/{}/completion"),
    "stakeholders/activities": ("/v1/activities", "activity_id", "/v1/activities/{}"),
    "fair-integration/advice-sessions": ("/v1/advice-sessions", "session_id", "/v1/advice-sessions/{}"),
}


class DemoLoadFailed(RuntimeError):
    pass


def load(demo: DemoYear, urls: dict[str, str], token: str, say: Callable[[str], None] = lambda _: None) -> dict:
    """Loads the year into the services in `urls` (name -> base URL; services not there
    are left out). Answers, per kind of record, how many rows were new."""
    steps = {"counselling": _counselling, "training": _training, "stakeholders": _stakeholders,
             "fair-integration": _fair_integration}
    with ThreadPoolExecutor(len(steps)) as pool:
        futures = {name: pool.submit(step, demo, _client(urls[name], token))
                   for name, step in steps.items() if name in urls}
        loaded = {}
        for name, future in futures.items():
            loaded |= future.result()
            say(f"  {name:<22} " + ", ".join(f"{n} {kind.split('/')[1]}" for kind, n in loaded.items()
                                              if kind.startswith(name + "/")))
    return loaded


def _client(url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=300)


def _counselling(demo: DemoYear, client: httpx.Client) -> dict:
    with client:
        loaded = {kind: _import(client, demo, kind) for kind in ("counselling/contact-points",
                                                                 "counselling/advice-sessions")}
        _amend(client, demo, "counselling/advice-sessions")
    return loaded


def _training(demo: DemoYear, client: httpx.Client) -> dict:
    with client:
        loaded = {"training/schemes": _import(client, demo, "training/schemes")}
        schemes = _by_recorded_at(client, "/v1/schemes", "scheme_id")
        scheme_ids = {row["source_record_id"]: schemes[_instant(row["recorded_at"])]
                      for row in demo.records["training/schemes"]}
        enrolments = [{k: v for k, v in row.items() if k != "scheme"} | {"scheme_id": scheme_ids[row["scheme"]]}
                      for row in demo.records["training/enrolments"]]
        loaded["training/enrolments"] = _import(client, demo, "training/enrolments", enrolments)
        started = _by_recorded_at(client, "/v1/enrolments", "enrolment_id")
        enrolment_ids = {row["source_record_id"]: started[_instant(row["recorded_at"])]
                         for row in demo.records["training/enrolments"]}
        completions = [{k: v for k, v in row.items() if k != "enrolment"}
                       | {"enrolment_id": enrolment_ids[row["enrolment"]]}
                       for row in demo.records["training/completions"]]
        loaded["training/completions"] = _import(client, demo, "training/completions", completions)
        _amend(client, demo, "training/completions")  # before retracting starts
        _amend(client, demo, "training/enrolments")
    return loaded


def _stakeholders(demo: DemoYear, client: httpx.Client) -> dict:
    with client:
        registered = 0
        for body in demo.records["stakeholders/organisations"]:
            response = _post(client, "/v1/organisations", json=body)
            if response.status_code != 409:  # registered on an earlier load
                _ok(response)
                registered += 1
        loaded = {"stakeholders/organisations": registered}
        loaded |= {kind: _import(client, demo, kind) for kind in ("stakeholders/activities",
                                                                  "stakeholders/consultations")}
        _amend(client, demo, "stakeholders/activities")
    return loaded


def _fair_integration(demo: DemoYear, client: httpx.Client) -> dict:
    with client:
        loaded = {kind: _import(client, demo, kind) for kind in ("fair-integration/advice-sessions",
                                                                 "fair-integration/group-events",
                                                                 "fair-integration/referrals")}
        _amend(client, demo, "fair-integration/advice-sessions")
    return loaded


def _import(client: httpx.Client, demo: DemoYear, kind: str, rows: list[dict] | None = None) -> int:
    rows = demo.records[kind] if rows is None else rows
    imported = 0
    for start in range(0, len(rows), CHUNK_ROWS):
        content = "\n".join(json.dumps(row) for row in rows[start:start + CHUNK_ROWS])
        report = _ok(_post(client, f"/v1/{kind.split('/')[1]}/import", content=content.encode(),
                           headers={"Content-Type": "application/x-ndjson"}))
        if report["rejected"]:
            raise DemoLoadFailed(f"{kind}: {report['rejected']} rows refused, e.g. {report['errors'][:3]}")
        imported += report["imported"]
    return imported


def _amend(client: httpx.Client, demo: DemoYear, kind: str) -> None:
    listing, id_field, path = AMENDED[kind]
    current = _by_recorded_at(client, listing, id_field, whole=True)
    recorded_at = {row["source_record_id"]: row["recorded_at"] for row in demo.records[kind]}
    if kind == "training/completions":  # a completion is listed with its enrolment
        by_enrolment = {row["source_record_id"]: row["enrolment"] for row in demo.records[kind]}
        starts = {row["source_record_id"]: row["recorded_at"] for row in demo.records["training/enrolments"]}
        recorded_at = {source: starts[enrolment] for source, enrolment in by_enrolment.items()}
    for amendment in (a for a in demo.amendments if a.records == kind):
        item = current[_instant(recorded_at[amendment.source_record_id])]
        if amendment.action == "retraction":
            done = item.get("retracted") or item.get("retracted_at")
        elif kind == "training/completions":
            done = item["outcome"] == amendment.body["outcome"]
        else:
            done = item.get("corrected_at") is not None
        if not done:
            _ok(_post(client, f"{path.format(item[id_field])}/{amendment.action}", json=amendment.body))


def _post(client: httpx.Client, path: str, **request) -> httpx.Response:
    """A POST, again after a server error: on SQLite a service may answer 500 "database is
    locked" when its outbox relay commits at the same moment. A refused request stored
    nothing, and an import row is recorded once, so sending it again is safe."""
    response = client.post(path, **request)
    for attempt in range(1, RETRIES):
        if response.status_code < 500:
            break
        time.sleep(0.2 * attempt)
        response = client.post(path, **request)
    return response


def _by_recorded_at(client: httpx.Client, listing: str, id_field: str, whole: bool = False) -> dict:
    """Every record of a listing (retracted ones included), by its recording time."""
    found, offset = {}, 0
    while True:
        page = _ok(client.get(listing, params={"limit": 500, "offset": offset, "include_retracted": "true",
                                               "retracted": "true"}))
        for item in page["items"]:
            found[_instant(item["recorded_at"])] = item if whole else item[id_field]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return found


def _instant(stamp: str) -> datetime:
    """SQLite gives recording times back without an offset (they are stored in UTC)."""
    parsed = datetime.fromisoformat(stamp)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)


def _ok(response: httpx.Response) -> dict:
    if response.status_code >= 400:
        raise DemoLoadFailed(f"{response.request.method} {response.request.url.path}: "
                             f"{response.status_code} {response.text[:500]}")
    return response.json()
