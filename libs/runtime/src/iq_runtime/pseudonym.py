"""Pseudonymous person references: a keyed HMAC of the local id with the region's secret.
The same person gets the same reference in every service of the region, so distinct
persons can be counted exactly, while nobody without the secret can link it to a person.

The region's key is derived from the configured secret and the region's code, so a national
instance (one secret, every region) gives each region a key of its own, as a regional
instance has: two regions' tools that number their people alike (both have a "1") do not
make them one person, and a reference can not be linked across regions."""

import hashlib
import hmac
from functools import lru_cache


def person_ref(region: str, local_person_id: str, secret: bytes) -> str:
    normalised = local_person_id.strip().casefold()
    return hmac.new(_regional_key(secret, str(region)), normalised.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=64)
def _regional_key(secret: bytes, region: str) -> bytes:
    return hmac.new(secret, f"iq-region:{region}".encode(), hashlib.sha256).digest()
