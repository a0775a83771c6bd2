"""Time a fit's phases by wrapping the library functions that make them (for the benchmark scripts)."""

import contextlib
import time


def _timed(function, phases, phase):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - start

    return timed


@contextlib.contextmanager
def timed_phases(phases, *targets):
    """Within the block, each call to ``module.name`` adds its seconds to ``phases[phase]``.

    ``targets`` are ``(module, name, phase)`` triples; the functions are put back
    afterwards, whatever happens in the block.
    """
    originals = []
    try:
        for module, name, phase in targets:
            function = getattr(module, name)
            originals.append((module, name, function))
            setattr(module, name, _timed(function, phases, phase))
        yield phases
    finally:
        for module, name, function in reversed(originals):
            setattr(module, name, function)
