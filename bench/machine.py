"""How fast this machine runs Python right now, printed beside every benchmark's results.

The benchmark machines are shared virtual machines whose speed moves from day to day and
within a day: the same code recorded 1,089 records/s in one session and 525 in the next,
and within one session ten million iterations of a plain loop took 0.86 s at one moment and
1.75 s a minute later. A goal in records/s or events/s is absolute, so a result compares
only with another taken at a similar speed; this number says which."""

import os
import time

import psutil

LOOP = 2_000_000


def python_ns_per_iteration(rounds: int = 3) -> float:
    """The fastest of `rounds` runs of a plain integer loop, in ns of CPU per iteration."""
    best = float("inf")
    for _ in range(rounds):
        started = time.thread_time()
        total = 0
        for i in range(LOOP):
            total += i
        best = min(best, time.thread_time() - started)
    return best / LOOP * 1e9


def cpu_seconds(process: psutil.Process) -> float:
    """User and system CPU time of `process` so far."""
    return sum(process.cpu_times()[:2])


class CpuUsed:
    """CPU each named process used from now on. Service, broker and load generator share the
    two cores: what the others use is not left for the service."""

    def __init__(self, processes: dict[str, psutil.Process]) -> None:
        self.processes = processes
        self.started = time.perf_counter()
        self.cpu = {name: cpu_seconds(process) for name, process in processes.items()}

    def seconds(self) -> dict[str, float]:
        return {name: cpu_seconds(process) - self.cpu[name] for name, process in self.processes.items()}

    def cores(self) -> dict[str, float]:
        """Cores kept busy, on average, since the start."""
        wall = time.perf_counter() - self.started
        return {name: seconds / wall for name, seconds in self.seconds().items()}

    @staticmethod
    def text(cores: dict[str, float]) -> str:
        return ", ".join(f"{name} {n:.2f}" for name, n in cores.items()) + " cores"


def describe() -> str:
    return (f"machine speed: {python_ns_per_iteration():.0f} ns per Python loop iteration "
            f"(bench/machine.py), load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    print(describe())
