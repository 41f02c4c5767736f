"""Where the per-comment stages run: `local` (this process) or `ray` (Ray Data batch jobs).

Language ID and embedding are the stages whose cost grows with the number of comments; an
engine runs them, and every later stage (themes, journey, priority) stays on the driver.
"""

from __future__ import annotations

from collections.abc import Callable

from cxtext.engine.base import Engine, EngineError
from cxtext.engine.local import LocalEngine
from cxtext.errors import InputError


def _ray_engine(address: str | None, workers: int) -> Engine:
    from cxtext.engine.ray import RayEngine  # Ray is imported only when it is asked for

    return RayEngine(address=address, num_workers=workers)


ENGINES: dict[str, Callable[[str | None, int], Engine]] = {
    "local": lambda address, workers: LocalEngine(),
    "ray": _ray_engine,
}


def load_engine(name: str, address: str | None = None, *, workers: int) -> Engine:
    """The engine called `name` (defaults: `AnalyzeConfig`); use it as a context manager."""
    if name not in ENGINES:
        raise InputError(f"unknown engine '{name}': choose one of {', '.join(ENGINES)}")
    if address is not None and name != "ray":
        raise InputError("--ray-address needs --engine ray")
    return ENGINES[name](address, workers)


__all__ = ["ENGINES", "Engine", "EngineError", "LocalEngine", "load_engine"]
