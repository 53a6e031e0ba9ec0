"""Domain rule violations, reported like FastAPI's own validation errors: field and reason."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError


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

    @app.exception_handler(IntegrityError)
    async def _stored_meanwhile(_request: Request, _exc: IntegrityError) -> JSONResponse:
        # two requests for the same new record (PostgreSQL: both checked before either
        # committed); the transaction was rolled back, and a retry gets the rule's own answer
        detail = [{"loc": ["body"], "type": "conflict",
                   "msg": "a request at the same moment recorded this first; nothing was stored, send it again"}]
        return JSONResponse({"detail": detail}, status_code=409)
