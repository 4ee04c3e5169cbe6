"""A tiny step runner for the client scenarios.

A scenario is a class; each `@step` method does one thing with a real client and checks its
result, returning a line that says what it did.
The runner prints one line per step (PASS/FAIL/SKIP with what the step did or why it failed),
runs later steps after a failure unless they need a failed step, and ends with a summary.
Checks use `check()`/`equal()` rather than `assert`, so `python -O` cannot remove them.
"""

import sys
import time
import traceback
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence


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


def step(name: str, needs: Sequence[str] = ()) -> Callable[[Callable], Callable]:
    """Marks a method of a `Scenario` subclass as a step; steps run in definition order."""

    def mark(fn: Callable) -> Callable:
        fn.step_name = name
        fn.step_needs = tuple(needs)
        return fn

    return mark


class Scenario:
    """Base class of a scenario: its `@step` methods in order; `run()` returns the exit code."""

    title = "scenario"

    def __init__(self) -> None:
        self.results: Dict[str, str] = {}
        self.cleanups: List[Callable[[], Awaitable[Any]]] = []

    def on_cleanup(self, fn: Callable[[], Awaitable[Any]]) -> None:
        """Registers a best-effort cleanup, run in reverse order after all steps."""
        self.cleanups.append(fn)

    def planned_steps(self) -> List[Callable[[], Awaitable[Optional[str]]]]:
        steps = [getattr(self, n) for n, f in vars(type(self)).items() if hasattr(f, "step_name")]
        seen: List[str] = []
        for fn in steps:
            unknown = [n for n in fn.step_needs if n not in seen]
            if unknown:
                raise ValueError(f"step {fn.step_name!r} needs unknown earlier steps {unknown!r}")
            seen.append(fn.step_name)
        return steps

    async def run(self) -> int:
        steps = self.planned_steps()
        print(f"== {self.title}", flush=True)
        for fn in steps:
            await self._run_one(fn)
        await self._cleanup()
        return self._summary(len(steps))

    async def _run_one(self, fn: Callable[[], Awaitable[Optional[str]]]) -> None:
        name = fn.step_name
        missing = [n for n in fn.step_needs if self.results.get(n) != "PASS"]
        if missing:
            self.results[name] = "SKIP"
            print(f"SKIP {name}: needs {', '.join(missing)}", flush=True)
            return
        started = time.monotonic()
        try:
            detail = await fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
            self.results[name] = "FAIL"
            elapsed = time.monotonic() - started
            print(f"FAIL {name} ({elapsed:.2f}s): {type(exc).__name__}: {exc}", flush=True)
            if not isinstance(exc, CheckFailed):
                traceback.print_exc(limit=4, file=sys.stdout)
            return
        self.results[name] = "PASS"
        elapsed = time.monotonic() - started
        print(f"PASS {name} ({elapsed:.2f}s): {detail or ''}".rstrip(), flush=True)

    async def _cleanup(self) -> None:
        for fn in reversed(self.cleanups):
            try:
                await fn()
            except Exception as exc:  # noqa: BLE001 - cleanup is best effort, but visible
                print(f"cleanup: {type(exc).__name__}: {exc}", flush=True)

    def _summary(self, planned: int) -> int:
        counts = {k: list(self.results.values()).count(k) for k in ("PASS", "FAIL", "SKIP")}
        bad = [name for name, result in self.results.items() if result != "PASS"]
        print(
            f"== {self.title}: {counts['PASS']} passed, {counts['FAIL']} failed, "
            f"{counts['SKIP']} skipped" + (f" (not passed: {', '.join(bad)})" if bad else ""),
            flush=True,
        )
        return 0 if not bad and len(self.results) == planned else 1
