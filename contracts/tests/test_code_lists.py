"""The shipped occupation lists are well formed: codes of the right length, each listed
once, labelled, and every ISCO-08 -> KldB 2010 mapping pointing into the shipped lists."""

import csv
import re
from importlib.resources import files

import pytest

from iq_contracts import countries, occupations
from iq_contracts.base import Occupation


def rows(name: str) -> list[list[str]]:
    with files("iq_contracts").joinpath("data", name).open(encoding="utf-8") as stream:
        return [row for row in csv.reader(stream) if row and not row[0].startswith("#")]


@pytest.mark.parametrize(("name", "digits"), [("kldb2010.csv", 5), ("isco08.csv", 4), ("isco08_kldb2010.csv", 4)])
def test_every_code_has_its_digits_a_value_and_appears_once(name, digits):
    listed = rows(name)
    codes = [row[0] for row in listed]
    assert [code for code in codes if not re.fullmatch(rf"\d{{{digits}}}", code)] == []
    assert [row for row in listed if len(row) != 2 or not row[1].strip()] == []
    assert len(codes) == len(set(codes))


def test_the_lists_cover_the_occupations_advised_most():
    assert len(occupations.kldb_labels()) >= 150
    assert len(occupations.isco_labels()) == 436  # every ISCO-08 unit group


def test_a_kldb_code_ends_in_its_skill_level():
    # the fifth digit is the Anforderungsniveau: 1 helper ... 4 highly complex
    assert {code[4] for code in occupations.kldb_labels()} <= set("1234")


def test_every_mapping_goes_from_a_listed_isco_code_to_a_listed_kldb_code():
    mapping = occupations.isco_to_kldb()
    assert set(mapping) <= set(occupations.isco_labels())
    assert set(mapping.values()) <= set(occupations.kldb_labels())


def test_the_codes_other_tests_rely_on_stay():
    assert {"81302", "81404"} <= set(occupations.kldb_labels())
    nurse = occupations.normalised(Occupation(classification="isco08", code="2221"))
    assert (nurse.classification, nurse.code) == ("kldb2010", "81302")
    assert occupations.isco_to_kldb()["2211"] == "81404"
    assert occupations.label(nurse).startswith("Gesundheits- und Krankenpflege")


def test_the_country_list_has_every_assigned_code_once_with_both_names():
    listed = rows("iso3166_1.csv")
    codes = [row[0] for row in listed]
    assert [code for code in codes if not re.fullmatch(r"[A-Z]{2}", code)] == []
    assert [row for row in listed if len(row) != 3 or not all(cell.strip() for cell in row)] == []
    assert len(codes) == len(set(codes)) == 249  # the officially assigned alpha-2 codes
    assert countries.EU_EEA <= countries.ISO_3166_1


@pytest.mark.parametrize(("code", "language", "name"), [
    ("SY", "en", "Syria"), ("SY", "de", "Syrien"), ("TR", "de", "Türkei"), ("DE", "de", "Deutschland"),
    ("XK", "en", "Kosovo"), ("XK", "de", "Kosovo"), ("ZZ", "de", None)])
def test_countries_are_named_in_english_and_german(code, language, name):
    assert countries.country_name(code, language) == name
