from iq_counselling.store import metadata
from iq_runtime.migrations import run_env

run_env(metadata)
