"""Cache keys that change when the code a fit runs changes.

``joblib.Memory`` hashes its arguments with pickle, which stores a function
or a class by its name only. A certainty callable redefined in a notebook
under the same name, a skorch module class edited in place, or a lambda
(which pickle refuses) would then be served a result computed with other
code, or fail. :func:`fingerprint` hashes every function and class it meets
by what it runs: the function's compiled code, its defaults and closure,
and, for functions written in the running script or notebook (``__main__``),
the global values their code names; a class by the code of its methods.
"""

import functools
import hashlib
import pickle
import types
from pathlib import Path

_ATTRIBUTE_KINDS = (types.FunctionType, staticmethod, classmethod, property)


class _Unhashable(TypeError):
    pass


class _HashSink:
    def __init__(self):
        self.hash = hashlib.sha256()

    def write(self, data):
        self.hash.update(data)


class _CodeHashingPickler(pickle.Pickler):
    """Pickles into a hash, writing functions and classes as the code they run."""

    def __init__(self, sink):
        super().__init__(sink, protocol=4)
        self._active = set()
        self._class_codes = {}

    def reducer_override(self, obj):
        if isinstance(obj, types.FunctionType):
            return self._function(obj)
        if isinstance(obj, type) and obj.__module__ != "builtins":
            return tuple, ((obj.__module__, obj.__qualname__, self._class_code(obj)),)
        return NotImplemented

    def _function(self, function):
        if id(function) in self._active:
            # a function that refers to itself (recursion through its closure or globals)
            return str, (f"{function.__module__}.{function.__qualname__} (recursive)",)
        self._active.add(id(function))
        try:
            closure = tuple(cell.cell_contents for cell in function.__closure__ or ())
        except ValueError:  # an empty cell: a closure variable not yet assigned
            closure = ("<empty cell>",)
        referenced = {}
        if function.__module__ == "__main__":
            names = _global_names(function.__code__)
            referenced = {
                name: value
                for name, value in function.__globals__.items()
                if name in names and not isinstance(value, types.ModuleType)
            }
        parts = (
            function.__module__,
            function.__qualname__,
            _code_bytes(function.__code__),
            function.__defaults__,
            function.__kwdefaults__,
            closure,
            sorted(referenced.items(), key=lambda item: item[0]),
            # a decorated function runs the body it wraps
            getattr(function, "__wrapped__", None),
        )
        # hash the parts now, so that the function leaves the active set only afterwards
        digest = fingerprint(parts, _pickler=self)
        self._active.discard(id(function))
        return str, (digest,)

    def _class_code(self, cls):
        if cls not in self._class_codes:
            codes = []
            for klass in cls.__mro__:
                if klass.__module__ == "builtins":
                    continue
                for name, attribute in sorted(vars(klass).items(), key=lambda item: item[0]):
                    codes.extend(_attribute_code(name, attribute))
            self._class_codes[cls] = hashlib.sha256(b"".join(codes)).hexdigest()
        return self._class_codes[cls]


def _attribute_code(name, attribute):
    if isinstance(attribute, (staticmethod, classmethod)):
        attribute = attribute.__func__
    if isinstance(attribute, property):
        functions = [attribute.fget, attribute.fset, attribute.fdel]
    else:
        functions = [attribute]
    return [
        name.encode() + _code_bytes(f.__code__)
        for f in functions
        if isinstance(f, types.FunctionType)
    ]


def _global_names(code):
    """Names a code object and the code nested in it (comprehensions, inner functions) look up."""
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _global_names(constant)
    return names


def _code_bytes(code):
    """What a code object runs: bytecode, constants (nested code too) and names.

    Line numbers and file names are left out, so that moving a function
    leaves its key as it was.
    """
    parts = [code.co_code]
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            parts.append(_code_bytes(constant))
        elif isinstance(constant, frozenset):
            # a set's order follows string hashing, which changes between processes
            parts.append(repr(sorted(map(repr, constant))).encode())
        else:
            parts.append(repr(constant).encode())
    parts.extend(repr(names).encode() for names in (code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars))
    return hashlib.sha256(b"\0".join(parts)).digest()


def fingerprint(obj, _pickler=None):
    """A hex digest of ``obj`` that follows the code of the functions and classes in it.

    Parameters
    ----------
    obj : object
        Anything picklable once functions and classes are replaced by their
        code (lambdas and functions defined in ``__main__`` included).

    Returns
    -------
    digest : str

    Raises
    ------
    TypeError
        When part of ``obj`` cannot be pickled; the message names it.

    Examples
    --------
    >>> def certainty(estimator, X):
    ...     return estimator.predict_proba(X).max(axis=1)
    >>> before = fingerprint(certainty)
    >>> def certainty(estimator, X):
    ...     return 0.5 * estimator.predict_proba(X).max(axis=1)
    >>> fingerprint(certainty) == before
    False
    """
    sink = _HashSink()
    pickler = _CodeHashingPickler(sink)
    if _pickler is not None:
        # share the caller's record of functions being hashed and of class codes
        pickler._active, pickler._class_codes = _pickler._active, _pickler._class_codes
    try:
        pickler.dump(obj)
    except _Unhashable:
        raise
    except (pickle.PicklingError, TypeError, AttributeError) as error:
        raise _Unhashable(
            f"memory= cannot hash this GWIN's parameters, so it cannot cache its fit: {error}. "
            "Fit without memory=, or pass picklable parameters."
        ) from error
    return sink.hash.hexdigest()


def _keyed(function):
    """``function`` called through a key of its own, stored under its own name."""

    def call(key, arguments, keyed, unkeyed):
        return function(**arguments, **keyed, **unkeyed)

    # joblib files each cached function under its module and name
    call.__module__, call.__name__, call.__qualname__ = (
        function.__module__, function.__name__, function.__qualname__,
    )
    return call


def cached_call(memory, function, *, keyed, unkeyed=None, **arguments):
    """``function(**arguments, **keyed, **unkeyed)``, cached by ``memory``.

    ``arguments`` (the data) are hashed by joblib; ``keyed`` (estimators,
    parameters, callables) and ``function`` itself by :func:`fingerprint`, so
    that a change of their code changes the key; ``unkeyed`` (verbosity, the
    cache itself) not at all. Without a cache location, ``function`` is
    simply called.

    Parameters
    ----------
    memory : joblib.Memory
    function : callable
    keyed, unkeyed : dict
    **arguments
        Data: arrays, DataFrames.
    """
    unkeyed = unkeyed or {}
    if getattr(memory, "location", None) is None:
        return function(**arguments, **keyed, **unkeyed)
    # the library's own code too: a cached function calls helpers whose code its key would not see
    key = fingerprint((function, keyed, library_code_digest()))
    cached = memory.cache(_keyed(function), ignore=["keyed", "unkeyed"])
    return cached(key, arguments, keyed, unkeyed)


@functools.cache
def library_code_digest():
    """SHA-256 of this package's Python sources: a cache entry made by other library code is not served."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
