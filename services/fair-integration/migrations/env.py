from iq_fair_integration.store import metadata
from iq_runtime.migrations import run_env

run_env(metadata)
