from iq_runtime.cli import service_cli

from . import handlers
from .bootstrap import MIGRATIONS, Settings, build_app
from .commands import RecordAdviceSession, RecordGroupEvent, RecordReferral
from .store import tables

main = service_cli(settings=Settings, build_app=build_app, migrations_dir=MIGRATIONS, default_port=8004,
                   tables=tables, importers={
                       "advice-sessions": (RecordAdviceSession, handlers.add_advice_session),
                       "group-events": (RecordGroupEvent, handlers.add_group_event),
                       "referrals": (RecordReferral, handlers.add_referral),
                   })
