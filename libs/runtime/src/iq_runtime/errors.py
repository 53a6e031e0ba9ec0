"""Domain rule violations, reported like FastAPI's own validation errors: field and reason."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


class Rejected(Exception):
    """A command breaks a rule. `field` is the input field at fault, `status` the HTTP code."""

    status = 422

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class Conflict(Rejected):
    status = 409


class Forbidden(Rejected):
    status = 403


class NotFound(Rejected):
    status = 404


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Rejected)
    async def _rejected(_request: Request, exc: Rejected) -> JSONResponse:
        detail = [{"loc": ["body", *exc.field.split(".")], "msg": exc.reason, "type": type(exc).__name__.lower()}]
        return JSONResponse({"detail": detail}, status_code=exc.status)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if not at_the_same_moment(exc):
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            return JSONResponse({"detail": "internal error (database)"}, status_code=500)
        # the transaction was rolled back, and a retry gets the rule's own answer
        detail = [{"loc": ["body"], "type": "conflict",
                   "msg": "a request at the same moment changed this record first; nothing was stored, send it again"}]
        return JSONResponse({"detail": detail}, status_code=409)


def at_the_same_moment(exc: DBAPIError) -> bool:
    """Did another transaction at the same moment make this one fail: two requests for the same
    new record (PostgreSQL: both checked before either committed), a deadlock, a
    serialization failure? Not a NOT NULL, foreign key or CHECK violation: those are bugs."""
    cause = exc.orig
    return getattr(cause, "sqlstate", None) in ("23505", "40P01", "40001") or getattr(
        cause, "sqlite_errorname", None) in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")
