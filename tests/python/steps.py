"""A tiny step runner for the client scenarios.

Each step is an async function that does one thing with a real client and checks its result.
The runner prints one line per step (PASS/FAIL/SKIP with what the step did or why it failed),
runs later steps after a failure unless they need a failed step, and ends with a summary.
Checks use `check()`/`equal()` rather than `assert`, so `python -O` cannot remove them.
"""

import sys
import time
import traceback
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence

StepFn = Callable[[], Awaitable[Optional[str]]]


class CheckFailed(Exception):
    """A step's check did not hold."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def equal(actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        raise CheckFailed(f"{what}: expected {expected!r}, got {actual!r}")


def contains(container: Any, item: Any, what: str) -> None:
    if item not in container:
        raise CheckFailed(f"{what}: expected {item!r} in {container!r}")


def excludes(container: Any, item: Any, what: str) -> None:
    if item in container:
        raise CheckFailed(f"{what}: expected {item!r} not in {container!r}")


async def raises(awaitable: Awaitable[Any], exc_type: type, what: str) -> BaseException:
    """Awaits `awaitable` and returns the exception of type `exc_type` it raised."""
    try:
        result = await awaitable
    except exc_type as exc:
        return exc
    raise CheckFailed(f"{what}: expected {exc_type.__name__}, got result {result!r}")


class Step:
    def __init__(self, name: str, fn: StepFn, needs: Sequence[str]):
        self.name = name
        self.fn = fn
        self.needs = list(needs)


class Scenario:
    """An ordered list of named steps; `run()` returns the process exit code."""

    def __init__(self, title: str):
        self.title = title
        self.steps: List[Step] = []
        self.results: Dict[str, str] = {}
        self.cleanups: List[Callable[[], Awaitable[Any]]] = []

    def step(self, name: str, needs: Sequence[str] = ()) -> Callable[[StepFn], StepFn]:
        unknown = [n for n in needs if n not in {s.name for s in self.steps}]
        if unknown:
            raise ValueError(f"step {name!r} needs unknown earlier steps {unknown!r}")

        def register(fn: StepFn) -> StepFn:
            self.steps.append(Step(name, fn, needs))
            return fn

        return register

    def on_cleanup(self, fn: Callable[[], Awaitable[Any]]) -> None:
        """Registers a best-effort cleanup, run in reverse order after all steps."""
        self.cleanups.append(fn)

    async def run(self) -> int:
        print(f"== {self.title}", flush=True)
        for step in self.steps:
            await self._run_one(step)
        await self._cleanup()
        return self._summary()

    async def _run_one(self, step: Step) -> None:
        missing = [n for n in step.needs if self.results.get(n) != "PASS"]
        if missing:
            self.results[step.name] = "SKIP"
            print(f"SKIP {step.name}: needs {', '.join(missing)}", flush=True)
            return
        started = time.monotonic()
        try:
            detail = await step.fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
            self.results[step.name] = "FAIL"
            elapsed = time.monotonic() - started
            print(f"FAIL {step.name} ({elapsed:.2f}s): {type(exc).__name__}: {exc}", flush=True)
            if not isinstance(exc, CheckFailed):
                traceback.print_exc(limit=4, file=sys.stdout)
            return
        self.results[step.name] = "PASS"
        elapsed = time.monotonic() - started
        print(f"PASS {step.name} ({elapsed:.2f}s): {detail or ''}".rstrip(), flush=True)

    async def _cleanup(self) -> None:
        for fn in reversed(self.cleanups):
            try:
                await fn()
            except Exception as exc:  # noqa: BLE001 - cleanup is best effort, but visible
                print(f"cleanup: {type(exc).__name__}: {exc}", flush=True)

    def _summary(self) -> int:
        counts = {k: list(self.results.values()).count(k) for k in ("PASS", "FAIL", "SKIP")}
        bad = [name for name, result in self.results.items() if result != "PASS"]
        print(
            f"== {self.title}: {counts['PASS']} passed, {counts['FAIL']} failed, "
            f"{counts['SKIP']} skipped" + (f" (not passed: {', '.join(bad)})" if bad else ""),
            flush=True,
        )
        return 0 if not bad and len(self.results) == len(self.steps) else 1
