"""Sphinx configuration: ``python -m sphinx -W -b html docs docs/_build/html``.

Markdown pages through MyST, the API reference through autosummary and
numpydoc, the furo theme. No network is needed (no intersphinx).
"""

import sklearn_gwin

project = "sklearn-gwin"
author = "the sklearn-gwin developers"
release = version = sklearn_gwin.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_templates", "README.md"]

# the API reference: one page per public name, its docstring in numpydoc; a class page
# documents the class's own methods (inherited ones, such as scikit-learn's score, are
# documented there)
templates_path = ["_templates"]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# headings become link targets, so that pages can link to each other's sections
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"sklearn-gwin {release}"
