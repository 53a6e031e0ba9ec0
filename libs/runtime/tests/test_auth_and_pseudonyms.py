import pytest
from fastapi import HTTPException

from iq_contracts.regions import Region
from iq_runtime.auth import Role, issue_token, read_token
from iq_runtime.pseudonym import person_ref

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_a_token_names_region_and_role():
    principal = read_token(SECRET, issue_token(SECRET, "adviser-7", "DE-NW", Role.RECORDER))
    assert (principal.region, principal.role) == ("DE-NW", Role.RECORDER)
    assert principal.may_see("DE-NW") and not principal.may_see("DE-BY")


def test_a_national_principal_sees_every_region():
    assert read_token(SECRET, issue_token(SECRET, "office", "national", Role.ANALYST)).may_see("DE-BY")


def test_a_token_signed_with_another_secret_is_refused():
    token = issue_token("another-secret-that-is-long-enough-for-hs", "x", "DE-NW", Role.ADMIN)
    with pytest.raises(HTTPException) as refused:
        read_token(SECRET, token)
    assert refused.value.status_code == 401


def test_a_token_with_an_unknown_role_is_refused():
    import jwt

    token = jwt.encode({"sub": "x", "region": "DE-NW", "role": "king", "exp": 2**32}, SECRET)
    with pytest.raises(HTTPException, match="role"):
        read_token(SECRET, token)


def test_the_same_person_gets_the_same_reference_and_nobody_else_does():
    assert person_ref("DE-NW", "A-17", b"nw") == person_ref("DE-NW", " a-17 ", b"nw")
    assert person_ref("DE-NW", "A-17", b"nw") != person_ref("DE-NW", "A-18", b"nw")
    assert person_ref("DE-NW", "A-17", b"nw") != person_ref("DE-NW", "A-17", b"by")
    assert len(person_ref("DE-NW", "A-17", b"nw")) == 64


def test_one_secret_gives_every_region_a_key_of_its_own():
    """A national instance: two regions' tools both have a person "1", and they are two people."""
    assert person_ref("DE-NW", "1", b"one secret") != person_ref("DE-BY", "1", b"one secret")
    assert person_ref(Region.NW, "1", b"one secret") == person_ref("DE-NW", "1", b"one secret")
