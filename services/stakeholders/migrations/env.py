from iq_runtime.migrations import run_env
from iq_stakeholders.store import metadata

run_env(metadata)
