"""Warnings that sklearn-gwin raises, to filter or catch by class."""


class NoRegenerationWarning(UserWarning):
    """GWINClassifierCV found no tau at which regenerating beats the classifier.

    The fitted model then predicts the classifier's own labels (``best_tau_ = 0``).
    Turn it into an error where a pipeline must not silently fall back:

    Examples
    --------
    >>> import warnings
    >>> from sklearn_gwin.exceptions import NoRegenerationWarning
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", NoRegenerationWarning)
    ...     # GWINClassifierCV(...).fit(X, y) here raises on a "never" decision
    ...     pass
    """
