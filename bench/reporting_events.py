"""A realistic stream of reporting events for the benchmark, as Kafka-ready records.

Every area and record type in roughly the proportions of a network year: counselling
sessions dominate, then training starts and completions, Fair Integration, stakeholder
activities, a few contact points; ~3 % corrections and ~1 % retractions of earlier facts.
16 regions, ~120,000 persons, 40 occupations (KldB and ISCO), 30 countries, three years (all in
the past) in recording order, as the services' outboxes publish: activity 0-3 days before its
recording, corrections 1-6 days after their fact. Bodies are ~300 bytes.

Built from the test factories' valid events as templates, then varied as plain dicts and
encoded with json.dumps: about 15x faster than a pydantic model per event, and a sample is
checked against the contracts (`check`)."""

import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from iq_contracts import ids
from iq_contracts.envelope import source_of
from iq_contracts.regions import Region
from iq_contracts.registry import read_event, topic_of
from iq_runtime.delivery import decode
from tests import factories

REGIONS = [region.value for region in Region]
OCCUPATIONS = [{"classification": "kldb2010", "code": code} for code in (
    "81302", "81313", "82102", "81102", "26122", "25252", "43104", "72213", "62102", "63302",
    "81404", "81114", "84114", "22302", "27212", "29302", "52122", "54101", "71402", "73202",
    "81304", "81733", "26302", "41303", "25102", "28112", "83112", "53112", "34212", "81212")] + [
    {"classification": "isco08", "code": code} for code in (
        "2221", "2211", "3221", "2512", "2142", "7411", "5321", "2310", "2261", "7231")]
COUNTRIES = ["SY", "TR", "UA", "AF", "IR", "IQ", "RU", "PL", "RO", "IN", "RS", "BA", "XK", "EG", "MA",
             "VN", "CN", "BR", "ER", "NG", "PK", "KZ", "AL", "TN", "PH", "CO", "GR", "IT", "ES", "HR"]
FIRST_DAY, DAYS = date(2019, 1, 1), 3 * 365
PERSONS = 120_000

# (weight, factory) of the facts
FACTS = [
    (50, factories.advice_given), (3, factories.scheme_opened), (14, factories.scheme_started),
    (9, factories.scheme_completed), (5, factories.stakeholder_event_held), (4, factories.consultation_held),
    (10, factories.fair_advice_given), (2, factories.fair_event_held), (3, factories.referred_to_fair_mobility),
]
CORRECTION, RETRACTION = 0.03, 0.01


@dataclass(frozen=True, slots=True)
class Record:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def _templates() -> list[tuple[type, dict]]:
    out = []
    for _, factory in FACTS:
        event = factory()
        out.append((type(event), event.model_dump(mode="json")))
    return out


class Stream:
    """`records(n)` yields n records; the same seed gives the same stream."""

    def __init__(self, seed: int = 2026) -> None:
        self.random = random.Random(seed)
        self.templates = _templates()
        self.weights = [w for w, _ in FACTS]
        self.persons = [hashlib.sha256(f"bench-{i}".encode()).hexdigest() for i in range(PERSONS)]
        self.recent: list[tuple[type, dict]] = []  # facts that may be corrected or retracted
        self.today = FIRST_DAY  # the recording day of the events being made
        self.live = False  # events recorded now (records(recorded_now=True))
        self.clock = _now  # what "now" is for live events

    def _uuid(self, at: datetime) -> str:
        """A UUID version 7 made at `at`, as the services make record and event ids
        (iq_contracts.ids): time-ordered, so the ledger's and the record states' indexes grow
        at their right edge as they do in production. Random ids put every event on a page
        of its own in both (~4 B-tree pages written per event in a live window)."""
        return str(ids.uuid7(int(at.timestamp() * 1000), self.random.getrandbits(80)))

    def _fact(self) -> tuple[type, dict]:
        r = self.random
        kind, template = r.choices(self.templates, self.weights)[0]
        event = dict(template)
        recorded = self._during(self.today)
        occurred = self.today - timedelta(days=0 if self.live else r.choice((0, 0, 0, 1, 3)))
        event |= {"event_id": self._uuid(recorded), "region": r.choice(REGIONS), "occurred_on": occurred.isoformat(),
                  "recorded_at": recorded.isoformat()}
        event[kind.key_field] = self._uuid(recorded)
        if "person_ref" in event:
            event["person_ref"] = r.choice(self.persons)
        if "occupation" in event:
            event["occupation"] = r.choice(OCCUPATIONS)
        if "qualification_country" in event:
            event["qualification_country"] = r.choice(COUNTRIES)
        if "started_on" in event:
            event["started_on"] = (occurred - timedelta(days=r.randrange(30, 300))).isoformat()
        if "kind" in event and kind is factories.counselling.AdviceGiven:
            event["kind"] = r.choice(("recognition", "job_training", "recognition_and_job_training"))
            event["session_type"] = r.choice(("initial", "initial", "follow_up"))
            event["mode"] = r.choice(("in_person", "phone", "video", "mobile"))
        return kind, event

    def _replacement(self) -> tuple[type, dict] | None:
        r = self.random
        if not self.recent:
            return None
        kind, fact = self.recent.pop(r.randrange(len(self.recent)))
        retract = r.random() < RETRACTION / (CORRECTION + RETRACTION)
        target = (factories.RETRACTION_OF if retract else factories.CORRECTION_OF).get(kind)
        if target is None:
            return None
        event = {name: value for name, value in fact.items() if name in target.model_fields}
        fact_day = datetime.fromisoformat(fact["recorded_at"]).date()
        later = self._during(max(self.today, fact_day + timedelta(days=1)))
        event |= {"event_id": self._uuid(later), "recorded_at": later.isoformat()}
        if retract:
            event["reason"] = "entered_in_error"
        return target, event

    def _during(self, day: date) -> datetime:
        if self.live:
            return self.clock()
        seconds = self.random.randrange(28_000, 60_000)  # office hours
        return datetime.combine(day, datetime.min.time(), UTC) + timedelta(seconds=seconds)

    def events(self, n: int) -> Iterator[tuple[type, dict]]:
        r = self.random
        for i in range(n):
            self.today = self.clock().date() if self.live else FIRST_DAY + timedelta(days=DAYS * i // n)
            made = self._replacement() if r.random() < CORRECTION + RETRACTION else None
            kind, event = made or self._fact()
            if made is None:
                self.recent.append((kind, event))
                if len(self.recent) > 5_000:
                    self.recent.pop(r.randrange(len(self.recent)))
            yield kind, event

    def records(self, n: int, recorded_now: bool = False, clock: Callable[[], datetime] | None = None
                ) -> Iterator[Record]:
        """With `recorded_now`, live events: recorded at the moment each is made, on today; or
        at the moments `clock` gives, for records made ahead of the time they are sent at."""
        self.live, self.clock = recorded_now, clock or _now
        for kind, event in self.events(n):
            yield record(kind, event)


def _now() -> datetime:
    return datetime.now(UTC)


def record(kind: type, event: dict) -> Record:
    ce_type = kind.ce_type()
    headers = [("ce_specversion", b"1.0"), ("ce_id", event["event_id"].encode()),
               ("ce_source", source_of(event["region"], kind.context).encode()),
               ("ce_type", ce_type.encode()), ("ce_time", event["recorded_at"].encode()),
               ("content-type", b"application/json"), ("ce_subject", event[kind.key_field].encode())]
    return Record(topic_of(kind), event[kind.key_field].encode(),
                  json.dumps(event, separators=(",", ":")).encode(), headers)


def decoded(rec: Record):
    """The record as the projection receives it (a `Delivery`), without Kafka."""
    return decode(SimpleNamespace(headers=rec.headers, value=rec.value))


def check(records: list[Record]) -> None:
    """Every sampled record decodes as the projection would read it."""
    for rec in records:
        read_event(decoded(rec).envelope.type, rec.value)
