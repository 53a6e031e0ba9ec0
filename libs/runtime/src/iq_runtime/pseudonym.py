"""Pseudonymous person references: a keyed HMAC of the local id with the region's secret.
The same person gets the same reference in every service of the region, so distinct
persons can be counted exactly, while nobody without the secret can link it to a person.

A regional instance's secret is its region's. A national instance (one secret, every region)
derives each region's key from its secret and the region's code, so two regions' tools that
number their people alike (both have a "1") do not make them one person. Before 2026-12-04 a
national instance used its secret for every region: records it made before keep those
references, so a person recorded on both sides of that change counts twice in the distinct
persons of a period that spans it (services/reporting/README.md)."""

import hashlib
import hmac
from functools import lru_cache


def person_ref(region: str, local_person_id: str, secret: bytes, per_region: bool = True) -> str:
    """`per_region`: the instance records several regions (national), so each gets its own key."""
    key = _regional_key(secret, str(region)) if per_region else secret
    return hmac.new(key, local_person_id.strip().casefold().encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=64)
def _regional_key(secret: bytes, region: str) -> bytes:
    return hmac.new(secret, f"iq-region:{region}".encode(), hashlib.sha256).digest()
