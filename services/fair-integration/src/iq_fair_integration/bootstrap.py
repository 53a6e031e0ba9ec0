"""Wiring: settings -> database, broker, outbox relay -> the HTTP app."""

from pathlib import Path

from fastapi import FastAPI

from iq_runtime.recording import RecordingSettings, recording_app

from .store import tables

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


class Settings(RecordingSettings):
    service: str = "fair-integration"


def build_app(settings: Settings | None = None) -> FastAPI:
    from .api import routers

    return recording_app(settings or Settings(), title="IQ Fair Integration", migrations_dir=MIGRATIONS,
                         tables=tables, routers=routers)
