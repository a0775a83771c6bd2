"""Every public name is in the API reference, with a numpydoc docstring and an example."""

import importlib
import importlib.util
import inspect
import re
from pathlib import Path

import pytest

API_PAGE = Path(__file__).parents[1] / "docs" / "api.md"
# the public modules, and the names each exports (its __all__)
MODULES = ("sklearn_gwin", "sklearn_gwin.bnn", "sklearn_gwin.wgan", "sklearn_gwin.certainty",
           "sklearn_gwin.metrics", "sklearn_gwin.risk_control", "sklearn_gwin.datasets",
           "sklearn_gwin.exceptions")
# a module that needs an extra, and the package that extra installs
OPTIONAL_MODULES = {"sklearn_gwin.distributed": "distributed"}
NOT_DOCUMENTED = {"__version__"}


def _public_names():
    names = []
    for module_name in (*MODULES, *OPTIONAL_MODULES):
        if module_name in OPTIONAL_MODULES and importlib.util.find_spec(OPTIONAL_MODULES[module_name]) is None:
            continue  # only a missing extra skips a module: any other import error fails below
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name not in NOT_DOCUMENTED:
                names.append((module_name, name, getattr(module, name)))
    return names


def _documented_names():
    """``module.name`` for every entry of the page's autosummary blocks."""
    documented = set()
    for block in re.findall(r"```\{eval-rst\}\n(.*?)```", API_PAGE.read_text(), flags=re.S):
        module = re.search(r"currentmodule:: (\S+)", block).group(1)
        for entry in re.findall(r"^   ([A-Za-z_][\w.]*)$", block, flags=re.M):
            if not entry.startswith(":"):
                documented.add(f"{module}.{entry}")
    return documented


def _where(obj, module_name, name):
    """Every dotted path the page could use for ``obj``."""
    paths = {f"{module_name}.{name}"}
    defined_in = getattr(obj, "__module__", None)
    if defined_in:
        paths.add(f"{defined_in}.{name}")
        parts = defined_in.split(".")
        paths.update(f"{'.'.join(parts[:i])}.{name}" for i in range(1, len(parts)))
    return paths


PUBLIC = _public_names()


@pytest.mark.parametrize("module_name, name, obj", PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_every_public_name_is_in_the_api_reference(module_name, name, obj):
    assert _where(obj, module_name, name) & _documented_names(), (
        f"{module_name}.{name} is public (in __all__) but not listed in docs/api.md"
    )


@pytest.mark.parametrize("module_name, name, obj", PUBLIC, ids=[f"{m}.{n}" for m, n, _ in PUBLIC])
def test_every_public_name_has_a_numpydoc_docstring_with_an_example(module_name, name, obj):
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        pytest.skip(f"{name} is a constant; its docstring is the #: comment Sphinx reads")
    doc = inspect.getdoc(obj) or ""
    assert ">>> " in doc.split("Examples\n--------", 1)[-1] and "Examples\n--------" in doc, (
        f"{module_name}.{name} has no Examples section with a doctest"
    )
    is_warning = inspect.isclass(obj) and issubclass(obj, Warning)
    takes_arguments = not is_warning and any(
        p.name not in ("self", "args", "kwargs") for p in inspect.signature(obj).parameters.values()
    )
    if takes_arguments:
        assert "Parameters\n----------" in doc, f"{module_name}.{name} has no Parameters section"
    if inspect.isfunction(obj):
        assert "Returns\n-------" in doc or "Yields\n------" in doc, f"{module_name}.{name} has no Returns section"


@pytest.mark.parametrize(
    "method", ["fit", "predict", "predict_proba", "predict_certainty", "predict_details", "predict_or_abstain",
               "reject", "regenerate", "score"],
)
def test_the_gwins_public_methods_say_what_they_take_and_return(method):
    from sklearn_gwin import GWINClassifier

    doc = inspect.getdoc(getattr(GWINClassifier, method)) or ""
    assert "Parameters\n----------" in doc and "Returns\n-------" in doc, (
        f"GWINClassifier.{method} lacks a Parameters or Returns section"
    )
