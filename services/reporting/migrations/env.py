from iq_reporting.store import metadata
from iq_runtime.migrations import run_env

run_env(metadata)
