"""Sphinx configuration: ``python -m sphinx -W -b html docs docs/_build/html``.

Markdown pages through MyST, the API reference through autosummary and
numpydoc, the gallery of examples/ through sphinx-gallery, the furo theme. No
network is needed (no intersphinx).
"""

import os

import sklearn_gwin

# the gallery runs every example when the docs build: at a small size, so that the
# build stays within CI's time (the examples' own defaults are for reading the output)
os.environ.setdefault("SKLEARN_GWIN_EXAMPLE_N_ITER", "50")
os.environ.setdefault("SKLEARN_GWIN_EXAMPLE_EPOCHS", "3")

project = "sklearn-gwin"
author = "the sklearn-gwin developers"
release = version = sklearn_gwin.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx_gallery.gen_gallery",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_templates", "README.md", "auto_examples/*.ipynb", "auto_examples/*.py"]

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

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # run every example, not only plot_*.py; the Dask one needs a cluster and the
    # 'distributed' extra, so it is shown without running
    "filename_pattern": r"/(?!dask_)[^/]+\.py$",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "write_computation_times": False,
}
