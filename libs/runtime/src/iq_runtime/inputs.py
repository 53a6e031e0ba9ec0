"""Field types of the recording services' commands shared by more than one service.

Commands are lax where a CSV import needs it (a count arrives as the text "18"), but not so
lax that a JSON `true` passes for a count of 1."""

from typing import Annotated

from pydantic import BeforeValidator, Field


def _not_a_boolean(value):
    if isinstance(value, bool):
        raise ValueError("a number of people, not true or false")
    return value


Participants = Annotated[int, BeforeValidator(_not_a_boolean), Field(ge=0, le=100_000)]
