"""Pseudonymous person references: a keyed HMAC of the local id with the regional secret.
The same person gets the same reference in every service of the region, so distinct
persons can be counted exactly, while nobody without the secret can link it to a person."""

import hashlib
import hmac


def person_ref(local_person_id: str, secret: bytes) -> str:
    normalised = local_person_id.strip().casefold()
    return hmac.new(secret, normalised.encode(), hashlib.sha256).hexdigest()
