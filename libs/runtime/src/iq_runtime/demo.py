"""A realistic demo year for `make run`: the previous calendar year of all 16 regional
networks, generated from a seed (the same seed and day give the same records), roughly
proportional to population, and loaded through the services' HTTP APIs (`demo_load`).

At scale 1 the year has about 6,000 initial advice sessions at 74 permanent and 100 mobile
contact points, 400 training schemes with 1,200 participants (about 40% completed), 300
trainings and events and 400 consultations of stakeholders, and 800 Fair Integration
sessions, 60 group events and 50 referrals. Most records are entered within days; some weeks
late (so the figures as of the year's end differ from today's), and a few are corrected or
retracted when the year is loaded (so today's figures differ again)."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from .context import BERLIN

# region -> (population in millions, places its contact points and partners are named after)
REGIONS = {
    "DE-NW": (18.1, ["koeln", "duesseldorf", "dortmund", "essen", "bielefeld", "muenster", "aachen", "bochum"]),
    "DE-BY": (13.4, ["muenchen", "nuernberg", "augsburg", "regensburg", "wuerzburg", "ingolstadt"]),
    "DE-BW": (11.3, ["stuttgart", "mannheim", "karlsruhe", "freiburg", "ulm", "heidelberg"]),
    "DE-NI": (8.1, ["hannover", "braunschweig", "osnabrueck", "oldenburg", "goettingen"]),
    "DE-HE": (6.4, ["frankfurt", "wiesbaden", "kassel", "darmstadt", "giessen"]),
    "DE-RP": (4.2, ["mainz", "ludwigshafen", "koblenz", "trier"]),
    "DE-SN": (4.1, ["dresden", "leipzig", "chemnitz"]),
    "DE-BE": (3.8, ["mitte", "neukoelln", "spandau", "lichtenberg"]),
    "DE-SH": (3.0, ["kiel", "luebeck", "flensburg"]),
    "DE-BB": (2.6, ["potsdam", "cottbus", "frankfurt-oder"]),
    "DE-ST": (2.2, ["magdeburg", "halle"]),
    "DE-TH": (2.1, ["erfurt", "jena", "gera"]),
    "DE-HH": (1.9, ["altona", "harburg", "wandsbek"]),
    "DE-MV": (1.6, ["rostock", "schwerin", "greifswald"]),
    "DE-SL": (1.0, ["saarbruecken", "neunkirchen"]),
    "DE-HB": (0.7, ["bremen", "bremerhaven"]),
}
POPULATION = sum(weight for weight, _ in REGIONS.values())
LATE_SHARE = 0.07  # of records entered 3 to 10 weeks after the day they took place


def share(total: float, region: str) -> int:
    """A region's part of a national total, at least one."""
    return max(1, round(total * REGIONS[region][0] / POPULATION))


def pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Amendment:
    """A correction (the whole corrected body) or a retraction (`{"reason": ...}`) of a
    generated record, sent when the year is loaded."""

    records: str  # e.g. "counselling/advice-sessions"
    source_record_id: str
    action: str  # "correction" or "retraction"
    body: dict


@dataclass
class DemoYear:
    year: int
    # "<service>/<records>" -> import rows (with `source_record_id`, `recorded_at`); training
    # rows name their scheme/enrolment by source id (`scheme`, `enrolment`) until loaded;
    # "stakeholders/organisations" are POST bodies (organisations have no import)
    records: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    amendments: list[Amendment] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)


class Clock:
    """Recording times: after the activity, never in the future, and unique per kind of
    record to the second, so that the loader can find an imported record by its time."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now.astimezone(UTC).replace(microsecond=0)
        self.taken: dict[str, set[datetime]] = defaultdict(set)

    def day_in(self, year: int, first: date | None = None, last: date | None = None) -> date:
        first = first or date(year, 1, 1)
        last = min(last or date(year, 12, 31), self.now.astimezone(BERLIN).date())
        return first + timedelta(days=self.rng.randrange(max(1, (last - first).days + 1)))

    def recorded(self, kind: str, day: date, not_before: str | None = None, margin: int = 10) -> str:
        """ISO recording time for an activity on `day`: mostly the same or a few working
        days later, some weeks late; `margin` minutes before now at the latest."""
        rng = self.rng
        delay = rng.randint(21, 70) if rng.random() < LATE_SHARE else rng.choice((0, 0, 0, 1, 1, 2, 3, 5))
        stamp = datetime.combine(day + timedelta(days=delay), time(8), BERLIN) + timedelta(
            seconds=rng.randrange(9 * 3600))
        if not_before:
            stamp = max(stamp, datetime.fromisoformat(not_before) + timedelta(minutes=rng.randint(5, 90)))
        stamp = min(stamp.astimezone(UTC), self.now - timedelta(minutes=margin))
        while stamp in self.taken[kind]:
            stamp -= timedelta(seconds=1)
        self.taken[kind].add(stamp)
        return stamp.astimezone(BERLIN).isoformat()


def last_year(now: datetime) -> int:
    return now.astimezone(BERLIN).year - 1


def generate(now: datetime | None = None, scale: float = 1.0, seed: int = 2019) -> DemoYear:
    """The demo year before `now` (default: the current time)."""
    from . import demo_records, demo_training

    now = now or datetime.now(UTC)
    rng = random.Random(f"{seed}/{scale}/{last_year(now)}")
    demo = DemoYear(year=last_year(now))
    clock = Clock(rng, now)
    demo_records.counselling(demo, rng, clock, scale)
    demo_training.training(demo, rng, clock, scale)
    demo_records.stakeholders(demo, rng, clock, scale)
    demo_records.fair_integration(demo, rng, clock, scale)
    return demo
