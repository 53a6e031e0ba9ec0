"""ISO 3166-1 alpha-2 country codes (the 249 officially assigned) and Kosovo, and the EU/EEA
states whose citizens Fair Integration refers to the Fair Mobility network. The ISO codes and
their English and German short names are shipped in `data/iso3166_1.csv`.

Kosovo has no ISO code: "XK" is the user-assigned code the EU, Germany's authorities and most
data sets use for it, and it is a main country of origin of the programme's clients."""

import csv
from functools import cache
from importlib.resources import files


@cache
def _names() -> dict[str, tuple[str, str]]:
    with files(__package__).joinpath("data", "iso3166_1.csv").open(encoding="utf-8") as stream:
        return {row[0]: (row[1], row[2]) for row in csv.reader(stream) if row and not row[0].startswith("#")}


ISO_3166_1 = frozenset(_names())
KOSOVO = "XK"
_BEYOND_ISO = {KOSOVO: ("Kosovo", "Kosovo")}  # English and German names of the codes ISO leaves out
COUNTRIES = ISO_3166_1 | set(_BEYOND_ISO)

# The 27 EU member states plus Iceland, Liechtenstein and Norway (EEA).
EU_EEA = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
})


def is_country(code: str) -> bool:
    return code in COUNTRIES


def is_eu_eea(code: str) -> bool:
    return code in EU_EEA


def country_name(code: str, language: str = "en") -> str | None:
    """The short name of a country in English ("en") or German ("de"); None for a code that
    is not a country (e.g. an unassigned "ZZ")."""
    names = _names().get(code) or _BEYOND_ISO.get(code)
    return names[language == "de"] if names else None
