"""In-memory stand-ins for the unit of work and its repositories: handler tests without I/O."""

from datetime import UTC, datetime

from iq_runtime.context import HandlerContext

NOW = datetime(2019, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Berlin


class FakeOrganisations:
    def __init__(self) -> None:
        self.rows = []

    async def add(self, organisation, registered_at) -> None:
        self.rows.append(organisation)

    async def correct(self, organisation, corrected_at) -> None:
        self.rows = [organisation if o.organisation_id == organisation.organisation_id else o for o in self.rows]

    async def get(self, organisation_id, *, for_correction: bool = False):
        return next((o for o in self.rows if o.organisation_id == organisation_id), None)

    async def find(self, region, code):
        return next((o for o in self.rows if (o.region, o.code) == (region, code)), None)


class FakeRecords:
    """Current state by record id, written from the events as the real store does."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.rows: dict = {}

    async def add(self, event) -> None:
        self.rows[getattr(event, self.key)] = {**event.model_dump(), "retracted_at": None}

    async def correct(self, event) -> None:
        self.rows[getattr(event, self.key)] |= event.model_dump(exclude={"recorded_at"})

    async def retract(self, event) -> None:
        self.rows[getattr(event, self.key)] |= {"retracted_at": event.recorded_at, "reason": event.reason}

    async def get(self, record_id):
        return self.rows.get(record_id)

    async def standing_of(self, organisation_id) -> list[dict]:
        return [dict(row) for row in self.rows.values()
                if row["organisation_id"] == organisation_id and row["retracted_at"] is None]


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.organisations = FakeOrganisations()
        self.activities = FakeRecords("activity_id")
        self.consultations = FakeRecords("consultation_id")
        self.published: list = []
        self.commits = 0
        self._pending: list = []

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self._pending = []

    def publish(self, *events) -> None:
        self._pending.extend(events)

    async def commit(self) -> None:
        self.published.extend(self._pending)
        self.commits += 1


def context(region: str = "DE-NW", now: datetime = NOW) -> HandlerContext:
    return HandlerContext(region=region, now=lambda: now,
                          pseudonymise=lambda where, local_id: f"{hash((where, local_id)) % 16**64:064x}")


def allow(_region: str) -> None:
    """A caller who may record every region."""
