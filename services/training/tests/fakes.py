"""A unit of work in memory: the current state the real store keeps, brought up to date by
the events of a committed use case; nothing of an uncommitted one is kept."""

from dataclasses import replace
from datetime import UTC, datetime

from iq_contracts.events import training as ev
from iq_runtime.context import HandlerContext
from iq_training.domain import Enrolment, Scheme

NOW = datetime(2019, 6, 30, 22, 30, tzinfo=UTC)  # already 1 July in Berlin


def context(region: str = "DE-NW") -> HandlerContext:
    return HandlerContext(region=region, now=lambda: NOW,
                          pseudonymise=lambda where, local_id: f"{hash((where, local_id)) % 16**64:064x}")


class FakeSchemes:
    def __init__(self) -> None:
        self.rows: dict = {}

    async def get(self, scheme_id) -> Scheme | None:
        return self.rows.get(scheme_id)

    def apply(self, event) -> None:
        if isinstance(event, ev.SchemeRetracted):
            self.rows[event.scheme_id] = replace(self.rows[event.scheme_id], retracted=True)
            return
        self.rows[event.scheme_id] = Scheme(
            scheme_id=event.scheme_id, region=event.region, format=event.format, measure_type=event.measure_type,
            occupation=event.occupation, starts_on=event.occurred_on, planned_end=event.planned_end)


class FakeEnrolments:
    def __init__(self) -> None:
        self.rows: dict = {}

    async def get(self, enrolment_id) -> Enrolment | None:
        return self.rows.get(enrolment_id)

    async def current_of(self, scheme_id, lock: bool = False) -> list[Enrolment]:
        return [e for e in self.rows.values() if e.scheme_id == scheme_id and not e.retracted]

    async def scheme_of(self, enrolment_id):
        enrolment = self.rows.get(enrolment_id)
        return enrolment and enrolment.scheme_id

    def apply(self, event) -> None:
        current = self.rows.get(event.enrolment_id)
        match event:
            case ev.SchemeStarted() | ev.SchemeStartCorrected():
                self.rows[event.enrolment_id] = Enrolment(
                    enrolment_id=event.enrolment_id, scheme_id=event.scheme_id, region=event.region,
                    person_ref=event.person_ref, started_on=event.occurred_on, esf=event.esf,
                    completed_on=current and current.completed_on, outcome=current and current.outcome)
            case ev.SchemeStartRetracted():
                self.rows[event.enrolment_id] = replace(current, retracted=True)
            case ev.SchemeCompleted() | ev.SchemeCompletionCorrected():
                self.rows[event.enrolment_id] = replace(current, completed_on=event.occurred_on, outcome=event.outcome)
            case ev.SchemeCompletionRetracted():
                self.rows[event.enrolment_id] = replace(current, completed_on=None, outcome=None)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.schemes = FakeSchemes()
        self.enrolments = FakeEnrolments()
        self.published: list = []
        self.committed = False
        self._pending: list = []

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self._pending = []

    async def record(self, *events) -> None:
        self._pending.extend(events)

    async def commit(self) -> None:
        for event in self._pending:
            (self.schemes if event.key_field == "scheme_id" else self.enrolments).apply(event)
        self.published.extend(self._pending)
        self._pending = []
        self.committed = True
