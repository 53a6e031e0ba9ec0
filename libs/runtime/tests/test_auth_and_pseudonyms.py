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


def test_a_regional_instance_keeps_the_references_it_made_before():
    """Its secret is its region's already: the reference is the HMAC of the id with it, as before."""
    import hashlib
    import hmac

    assert person_ref("DE-NW", " A-17", b"nw secret", per_region=False) == hmac.new(
        b"nw secret", b"a-17", hashlib.sha256).hexdigest()


def test_the_national_instance_keys_each_region_apart_and_a_regional_one_does_not():
    from sqlalchemy import MetaData

    from iq_runtime.bulk_import import imported_records_table
    from iq_runtime.outbox import outbox_table
    from iq_runtime.recording import Recording, RecordingSettings, RecordingTables

    tables = RecordingTables(outbox_table(MetaData()), imported_records_table(MetaData()), None)

    def pseudonym(instance: str, region: str) -> str:
        settings = RecordingSettings(service="counselling", IQ_REGION=instance, IQ_PSEUDONYM_SECRET="s")
        recording = Recording(settings, sessions=None, tables=tables)
        return recording.context.pseudonymise(region, "1")

    assert pseudonym("national", "DE-NW") != pseudonym("national", "DE-BY")
    assert pseudonym("DE-NW", "DE-NW") == person_ref("DE-NW", "1", b"s", per_region=False)
