"""Warnings that sklearn-gwin raises, to filter or catch by class."""


__all__ = ["NoRegenerationWarning"]


class NoRegenerationWarning(UserWarning):
    """GWINClassifierCV found no tau at which regenerating beats the classifier.

    Issued by ``GWINClassifierCV.fit`` when its decision is "never" while
    some tau > 0 was a candidate; the fitted model then predicts the
    classifier's own labels (``best_tau_ = 0``). A subclass of
    ``UserWarning``: filter it by this class to silence it, or turn it into
    an error where a pipeline must not silently fall back.

    See Also
    --------
    sklearn_gwin.GWINClassifierCV : Issues it.

    Examples
    --------
    Turn it into an error, so that a "never" decision stops the script
    (``warnings.warn`` stands in for ``GWINClassifierCV(...).fit(X, y)``):

    >>> import warnings
    >>> from sklearn_gwin.exceptions import NoRegenerationWarning
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", NoRegenerationWarning)
    ...     try:
    ...         warnings.warn("decided never to regenerate", NoRegenerationWarning)
    ...     except NoRegenerationWarning as error:
    ...         print("stopped:", error)
    stopped: decided never to regenerate

    Or record it, and look at the decision afterwards:

    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", NoRegenerationWarning)
    ...     warnings.warn("decided never to regenerate", NoRegenerationWarning)
    >>> [w.category.__name__ for w in caught]
    ['NoRegenerationWarning']
    >>> issubclass(NoRegenerationWarning, UserWarning)
    True
    """
