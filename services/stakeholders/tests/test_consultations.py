"""Organisations and consultations: the rules and the handlers, with a fake unit of work."""

from datetime import timedelta
from uuid import uuid4

import pytest

from iq_contracts.events.stakeholders import ConsultationCorrected, ConsultationHeld, ConsultationRetracted
from iq_runtime.errors import Conflict, Forbidden, NotFound, Rejected
from iq_stakeholders import handlers
from iq_stakeholders.commands import RecordConsultation, RegisterOrganisation, Retract

from .fakes import NOW, FakeUnitOfWork, allow, context


def organisation(**overrides) -> RegisterOrganisation:
    body = {"region": "DE-NW", "code": "jobcenter-koeln", "type": "job_centre", "name": "Jobcenter Köln"}
    return RegisterOrganisation.model_validate(body | overrides)


def consultation(**overrides) -> RecordConsultation:
    body = {"region": "DE-NW", "organisation_code": "jobcenter-koeln", "topic": "diversity_management",
            "held_on": "2019-06-30"}
    return RecordConsultation.model_validate(body | overrides)


@pytest.fixture
async def uow():
    uow = FakeUnitOfWork()
    await handlers.register_organisation(organisation(), uow, context())
    await handlers.register_organisation(organisation(code="baeckerei-schmitz", type="sme", name="Schmitz"), uow,
                                         context())
    await handlers.register_organisation(organisation(region="DE-BY", code="ihk-muenchen", type="chamber"), uow,
                                         context("national"))
    return uow


async def test_an_organisation_is_registered_without_an_event(uow):
    assert [o.code for o in uow.organisations.rows] == ["jobcenter-koeln", "baeckerei-schmitz", "ihk-muenchen"]
    assert uow.published == []


async def test_an_organisation_code_is_unique_in_its_region(uow):
    with pytest.raises(Conflict) as taken:
        await handlers.register_organisation(organisation(type="sme"), uow, context())
    assert taken.value.field == "code"
    other_region = await handlers.register_organisation(organisation(region="DE-BY"), uow, context("national"))
    assert other_region.region == "DE-BY"


async def test_a_regional_instance_registers_only_its_own_organisations(uow):
    with pytest.raises(Rejected, match="records only DE-NW"):
        await handlers.register_organisation(organisation(region="DE-HE"), uow, context())


async def test_a_consultation_takes_type_and_target_group_from_the_organisation(uow):
    event = await handlers.record_consultation(consultation(organisation_code="baeckerei-schmitz"), uow, context())
    assert isinstance(event, ConsultationHeld)
    assert (event.organisation_type, event.target_group) == ("sme", "business")
    assert event.organisation_id == uow.organisations.rows[1].organisation_id
    assert uow.published == [event]
    assert "Schmitz" not in event.model_dump_json()  # the name stays in the service


async def test_a_consultation_names_its_organisation_by_id_too(uow):
    job_centre = uow.organisations.rows[0]
    event = await handlers.record_consultation(
        consultation(organisation_code=None, organisation_id=str(job_centre.organisation_id)), uow, context())
    assert (event.organisation_id, event.target_group) == (job_centre.organisation_id, "labour_market")


@pytest.mark.parametrize(("overrides", "error", "field"), [
    ({"organisation_code": None}, Rejected, "organisation_id"),
    ({"organisation_id": "8d0f4c1e-0000-4000-8000-000000000000"}, Rejected, "organisation_id"),
    ({"organisation_code": None, "organisation_id": "8d0f4c1e-0000-4000-8000-000000000000"}, NotFound,
     "organisation_id"),
    ({"organisation_code": "unknown-org"}, NotFound, "organisation_code"),
    ({"held_on": "2019-07-02"}, Rejected, "held_on"),
    ({"region": "DE-HE"}, Rejected, "region"),
])
async def test_a_refused_consultation_stores_and_publishes_nothing(uow, overrides, error, field):
    with pytest.raises(error) as refused:
        await handlers.record_consultation(consultation(**overrides), uow, context())
    assert refused.value.field == field
    assert (uow.consultations.rows, uow.published) == ({}, [])


async def test_the_organisation_must_be_registered_in_the_consultations_region(uow):
    munich = uow.organisations.rows[2]
    with pytest.raises(Rejected, match="registered in DE-BY") as refused:
        await handlers.record_consultation(consultation(organisation_code=None, organisation_id=str(
            munich.organisation_id)), uow, context("national"))
    assert refused.value.field == "organisation_id" and type(refused.value) is Rejected


async def test_a_correction_may_change_the_organisation_and_so_the_target_group(uow):
    held = await handlers.record_consultation(consultation(), uow, context())
    corrected = await handlers.correct_consultation(
        held.consultation_id, consultation(organisation_code="baeckerei-schmitz", topic="anti_discrimination"),
        uow, context(now=NOW + timedelta(hours=1)), allow)
    assert isinstance(corrected, ConsultationCorrected)
    assert (corrected.consultation_id, corrected.target_group, corrected.topic) == (
        held.consultation_id, "business", "anti_discrimination")


async def test_a_retracted_consultation_stays_retracted(uow):
    held = await handlers.record_consultation(consultation(), uow, context())
    retracted = await handlers.retract_consultation(held.consultation_id, Retract(reason="entered_in_error"), uow,
                                                    context(), allow)
    assert isinstance(retracted, ConsultationRetracted) and retracted.occurred_on == held.occurred_on
    with pytest.raises(Conflict):
        await handlers.retract_consultation(held.consultation_id, Retract(reason="other"), uow, context(), allow)
    with pytest.raises(Conflict):
        await handlers.correct_consultation(held.consultation_id, consultation(), uow, context(), allow)
    with pytest.raises(NotFound):
        await handlers.correct_consultation(uuid4(), consultation(), uow, context(), allow)
    with pytest.raises(NotFound):
        await handlers.retract_consultation(uuid4(), Retract(reason="other"), uow, context(), allow)
    assert uow.published == [held, retracted]


# Organisations registered with a wrong type: corrected, and their consultations with them

LATER = NOW + timedelta(days=3)


async def _registered_as_sme(uow, code="arbeitsagentur-bonn"):
    return await handlers.register_organisation(organisation(code=code, type="sme", name="Agentur für Arbeit Bonn"),
                                                uow, context())


async def test_a_corrected_type_corrects_the_standing_consultations_of_the_organisation(uow):
    agency = await _registered_as_sme(uow)
    first = await handlers.record_consultation(consultation(organisation_code=agency.code), uow, context())
    withdrawn = await handlers.record_consultation(consultation(organisation_code=agency.code), uow, context())
    await handlers.retract_consultation(withdrawn.consultation_id, Retract(reason="duplicate"), uow, context(), allow)
    elsewhere = await handlers.record_consultation(consultation(), uow, context())
    published = len(uow.published)

    corrected, corrections = await handlers.correct_organisation(
        agency.organisation_id, organisation(code=agency.code, type="employment_agency", name=agency.name), uow,
        context(now=LATER), allow)

    assert (corrected.organisation_id, corrected.type) == (agency.organisation_id, "employment_agency")
    assert uow.published[published:] == corrections
    [correction] = corrections
    assert isinstance(correction, ConsultationCorrected)
    assert (correction.consultation_id, correction.organisation_type, correction.target_group) == (
        first.consultation_id, "employment_agency", "labour_market")
    # the same consultation otherwise, recorded now: figures as of earlier days stay as they were
    assert (correction.occurred_on, correction.topic, correction.region) == (first.occurred_on, first.topic, "DE-NW")
    assert correction.recorded_at == LATER and correction.event_id != first.event_id
    assert uow.consultations.rows[withdrawn.consultation_id]["organisation_type"] == "sme"
    assert uow.consultations.rows[elsewhere.consultation_id]["organisation_type"] == "job_centre"
    later = await handlers.record_consultation(consultation(organisation_code=agency.code), uow, context(now=LATER))
    assert later.target_group == "labour_market"


async def test_a_corrected_name_or_code_publishes_nothing(uow):
    agency = await _registered_as_sme(uow)
    await handlers.record_consultation(consultation(organisation_code=agency.code), uow, context())
    published = len(uow.published)
    renamed, corrections = await handlers.correct_organisation(
        agency.organisation_id, organisation(code="agentur-bonn", type="sme", name="Agentur Bonn"), uow, context(),
        allow)
    assert (renamed.code, renamed.name, corrections) == ("agentur-bonn", "Agentur Bonn", [])
    assert len(uow.published) == published
    with pytest.raises(NotFound):
        await handlers.record_consultation(consultation(organisation_code=agency.code), uow, context())
    assert (await handlers.record_consultation(consultation(organisation_code="agentur-bonn"), uow,
                                               context())).organisation_id == agency.organisation_id


@pytest.mark.parametrize(("overrides", "region", "error", "field"), [
    ({"code": "jobcenter-koeln"}, "DE-NW", Conflict, "code"),  # another organisation's code
    ({"region": "DE-BY"}, "national", Rejected, "region"),  # it stays in its region
    ({}, "DE-BY", Rejected, "region"),  # a regional instance corrects only its own region's
])
async def test_a_refused_organisation_correction_changes_and_publishes_nothing(uow, overrides, region, error, field):
    agency = await _registered_as_sme(uow)
    await handlers.record_consultation(consultation(organisation_code=agency.code), uow, context())
    published = list(uow.published)
    body = organisation(code=agency.code, type="employment_agency")
    with pytest.raises(error) as refused:
        await handlers.correct_organisation(agency.organisation_id, body.model_copy(update=overrides), uow,
                                            context(region), allow)
    assert refused.value.field == field
    assert await uow.organisations.get(agency.organisation_id) == agency
    assert uow.published == published


async def test_correcting_an_unknown_or_unseen_organisation_is_not_found(uow):
    munich = uow.organisations.rows[2]

    def only_north_rhine_westphalia(region: str) -> None:
        if region != "DE-NW":
            raise Forbidden("region", f"may not record {region}")

    for organisation_id, may_record in ((uuid4(), allow), (munich.organisation_id, only_north_rhine_westphalia)):
        with pytest.raises(NotFound) as unknown:
            await handlers.correct_organisation(organisation_id, organisation(), uow, context("national"), may_record)
        assert unknown.value.field == "organisation_id"


async def test_a_caller_who_may_not_record_the_region_is_refused_before_the_body_is_judged(uow):
    held = await handlers.record_consultation(consultation(), uow, context())

    def only_bavaria(region: str) -> None:
        if region != "DE-BY":
            raise Forbidden("region", f"may not record {region}")

    names_both = consultation().model_copy(update={"organisation_id": uow.organisations.rows[0].organisation_id})
    with pytest.raises(Forbidden):
        await handlers.correct_consultation(held.consultation_id, names_both, uow, context(), only_bavaria)
    with pytest.raises(Rejected, match="give either organisation_id or organisation_code") as refused:
        await handlers.correct_consultation(held.consultation_id, names_both, uow, context(), allow)
    assert refused.value.field == "organisation_id"
