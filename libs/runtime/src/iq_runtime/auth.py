"""Bearer tokens naming a region and a role. A recorder writes only its own region; an
analyst reads its region (or all, when national); an admin may do both and operate."""

import functools
import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, ValidationError

from iq_contracts.regions import NATIONAL, Region

ALGORITHM = "HS256"


class Role(StrEnum):
    RECORDER = "recorder"
    ANALYST = "analyst"
    ADMIN = "admin"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    region: Region | str
    role: Role

    @property
    def national(self) -> bool:
        return self.region == NATIONAL

    def may_see(self, region: str) -> bool:
        return self.national or self.region == region


def issue_token(secret: str, subject: str, region: str, role: Role, ttl: timedelta = timedelta(days=30)) -> str:
    claims = {"sub": subject, "region": region, "role": role.value, "exp": datetime.now(UTC) + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> Principal:
    principal, expires = _verified(secret, token)
    if time.time() >= expires:  # the cached verification must not outlive the token
        _verified.cache_clear()
        principal, expires = _verified(secret, token)
    return principal


@functools.lru_cache(maxsize=1024)
def _verified(secret: str, token: str) -> tuple[Principal, float]:
    """A recorder sends the same token with every request: verifying it once is enough
    until it expires (Principal is immutable; refused tokens raise and are not cached)."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
        principal = Principal(subject=claims["sub"], region=claims.get("region"), role=claims.get("role"))
        return principal, float(claims["exp"])
    except (jwt.PyJWTError, ValidationError, KeyError, TypeError, ValueError) as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"invalid token: {exc}",
                            headers={"WWW-Authenticate": "Bearer"}) from None


class _Bearer(HTTPBearer):
    """The principal of a bearer token with one of `roles` (an admin's passes too). One
    dependency without sub-dependencies, since FastAPI solves each level anew on every
    request; being an `HTTPBearer`, it still puts the security scheme into the OpenAPI
    document. A coroutine: FastAPI runs a plain `def` in a worker thread."""

    def __init__(self, *roles: Role) -> None:
        super().__init__(auto_error=False, scheme_name="HTTPBearer")
        self.roles = roles

    async def __call__(self, request: Request) -> Principal:
        credentials = await super().__call__(request)
        if credentials is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})
        principal = read_token(request.app.state.settings.auth_secret.get_secret_value(), credentials.credentials)
        if principal.role not in self.roles and principal.role is not Role.ADMIN:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {principal.role.value} may not do this")
        return principal


def require(*roles: Role) -> _Bearer:
    return _Bearer(*roles)


Recorder = Annotated[Principal, Depends(require(Role.RECORDER))]
Analyst = Annotated[Principal, Depends(require(Role.ANALYST))]


def main() -> int:
    """`iq-token --region DE-NW --role recorder`: a token for local use and tests."""
    import argparse
    import os

    from .settings import DEV_AUTH_SECRET

    parser = argparse.ArgumentParser(description="issue an IQ Platform API token")
    parser.add_argument("--region", required=True, help=f"{NATIONAL} or a code such as DE-NW")
    parser.add_argument("--role", required=True, choices=[r.value for r in Role])
    parser.add_argument("--subject", default="local-user")
    args = parser.parse_args()
    secret = os.environ.get("IQ_AUTH_SECRET", DEV_AUTH_SECRET)
    print(issue_token(secret, args.subject, args.region, Role(args.role)))
    return 0
