"""What a handler needs besides its command: where it runs, the clock, the pseudonymiser.
Tests pass a fixed clock and a plain function instead of the regional secret."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Reference dates and "not in the future" are days in Germany, not in UTC.
BERLIN = ZoneInfo("Europe/Berlin")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class HandlerContext:
    region: str
    pseudonymise: Callable[[str, str], str]  # (region, local person id) -> person_ref
    now: Callable[[], datetime] = utc_now

    def today(self) -> date:
        return self.now().astimezone(BERLIN).date()
