"""Reference occupations. KldB 2010 five-digit codes come from a shipped list with labels
(`data/kldb2010.csv`); ISCO-08 four-digit codes are accepted and mapped to KldB 2010 where
the shipped mapping (`data/isco08_kldb2010.csv`) has them, otherwise kept as ISCO-08.
Consumers label occupations from the same files, so a figure and a record agree."""

import csv
from functools import cache
from importlib.resources import files

from .base import Occupation
from .codes import OccupationClassification

KLDB = OccupationClassification.KLDB_2010
ISCO = OccupationClassification.ISCO_08


def _read(name: str) -> dict[str, str]:
    with files(__package__).joinpath("data", name).open(encoding="utf-8") as stream:
        return {row[0]: row[1] for row in csv.reader(stream) if row and not row[0].startswith("#")}


@cache
def kldb_labels() -> dict[str, str]:
    return _read("kldb2010.csv")


@cache
def isco_to_kldb() -> dict[str, str]:
    return _read("isco08_kldb2010.csv")


@cache
def isco_labels() -> dict[str, str]:
    return _read("isco08.csv")


def known(occupation: Occupation) -> bool:
    codes = kldb_labels() if occupation.classification is KLDB else isco_labels()
    return occupation.code in codes


def normalised(occupation: Occupation) -> Occupation:
    """The KldB 2010 occupation an ISCO-08 code maps to, where the mapping has it."""
    if occupation.classification is ISCO and (kldb := isco_to_kldb().get(occupation.code)):
        return Occupation(classification=KLDB, code=kldb)
    return occupation


def label(occupation: Occupation) -> str | None:
    labels = kldb_labels() if occupation.classification is KLDB else isco_labels()
    return labels.get(occupation.code)
