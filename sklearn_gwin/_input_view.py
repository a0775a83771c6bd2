"""The rows as the classifier takes them, and the numbers the generator moves.

The wrapped classifier always gets X in the form the user passed it: a pandas
DataFrame keeps its columns, dtypes and index (a Pipeline inside may select
columns by name or encode categories), an array keeps its dtype. The generator
works on a numeric view of the same rows: the numeric columns of a DataFrame
(other columns, such as strings, categories or booleans, are carried through
unchanged), or the array's values, flattened. A regenerated row goes back to
the classifier in the form of the row it replaces, with its missing values
still missing.
"""

import numpy as np
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import check_array


def _is_dataframe(X):
    # pandas is optional: a DataFrame is recognised without importing it
    return type(X).__module__.split(".")[0] == "pandas" and hasattr(X, "columns")


def _regenerable(dtype):
    """Whether a DataFrame column of ``dtype`` holds numbers the generator may move."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    return is_numeric_dtype(dtype) and not is_bool_dtype(dtype)


def as_input(X, input_name="X", allow_nan=True):
    """X as the classifier will get it: a DataFrame as it is, anything else as a numeric array.

    Parameters
    ----------
    X : array-like or DataFrame
    input_name : str, default="X"
        How error messages name X.
    allow_nan : bool, default=True
        Whether an array may hold NaN (the classifier takes missing values).

    Raises
    ------
    ValueError
        For non-numeric arrays, infinite values, or fewer than two
        dimensions (scikit-learn's own messages).
    TypeError
        For sparse input (scikit-learn's "dense data is required").
    """
    if _is_dataframe(X):
        return X
    return check_array(
        X,
        allow_nd=True,
        dtype="numeric",
        ensure_all_finite="allow-nan" if allow_nan else True,
        input_name=input_name,
    )


class InputView:
    """Maps rows in the user's form to the generator's numbers and back.

    Fitted on the training X: for a DataFrame, it records which columns are
    numeric (regenerated) and the dtype of each; for an array, the shape of
    one row.
    """

    def fit(self, X):
        self.dataframe_ = _is_dataframe(X)
        if self.dataframe_:
            self.columns_ = [c for c, dtype in X.dtypes.items() if _regenerable(dtype)]
            if not self.columns_:
                raise ValueError(
                    "X has no numeric column for the generator to move: a GWIN regenerates "
                    f"numbers, and X's columns are {list(X.dtypes.astype(str).items())[:10]}."
                )
            self.row_shape_ = (len(self.columns_),)
        else:
            self.row_shape_ = tuple(X.shape[1:])
            self.dtype_ = X.dtype
        return self

    def as_fitted_dtype(self, X, original):
        """Rows that came as a list (no dtype of their own) in the training rows' floating dtype.

        A list becomes float64 on its way in; a skorch net fitted on float32
        rows cannot take float64, and would have had float32 rows from an
        array. Arrays keep their own dtype, and integer training rows are
        never a target (a float list cast to them would lose its fractions).
        """
        dtype = getattr(self, "dtype_", None)
        if hasattr(original, "dtype") or _is_dataframe(original) or dtype is None or dtype.kind != "f":
            return X
        return X.astype(dtype, copy=False)

    def check(self, X, input_name="X"):
        """Raise a ValueError naming ``input_name`` unless X holds the rows the view was fitted on."""
        if _is_dataframe(X) and self.dataframe_:
            missing = [c for c in self.columns_ if c not in X.columns]
            if missing:
                raise ValueError(
                    f"{input_name} lacks the columns {missing[:10]}, which the GWIN was fitted on."
                )
            return
        shape = (len(X.columns),) if _is_dataframe(X) else tuple(X.shape[1:])
        if shape != self.row_shape_:
            raise ValueError(
                f"{input_name} has rows of shape {shape}, but the GWIN was fitted on rows of "
                f"shape {self.row_shape_}."
            )

    def numbers(self, X):
        """The regenerated part of X, as float64 of shape ``(n, *row_shape_)``; NaN where missing."""
        self.check(X)
        if _is_dataframe(X):
            values = X[self.columns_] if self.dataframe_ else X
            return check_array(values, dtype=np.float64, ensure_all_finite="allow-nan")
        return np.asarray(X, dtype=np.float64)

    def rebuild(self, template, numbers, template_numbers=None):
        """Rows shaped like ``template`` (same type, columns, dtypes, index) with new numbers.

        Integer columns are rounded to the nearest integer; values missing in
        ``template`` stay missing. ``template_numbers``, ``numbers(template)``
        when the caller has it, saves computing it again.
        """
        if template_numbers is None:
            template_numbers = self.numbers(template)
        numbers = np.where(np.isnan(template_numbers), np.nan, numbers)
        if not _is_dataframe(template):
            return _cast_like(numbers.reshape(np.shape(template)), np.asarray(template).dtype)
        rebuilt = template.copy()
        columns = self.columns_ if self.dataframe_ else list(template.columns)
        for j, column in enumerate(columns):
            rebuilt[column] = _cast_like(numbers[:, j], template[column].dtype)
        return rebuilt


def _cast_like(values, dtype):
    """``values`` as ``dtype`` (a numpy dtype or a pandas column's): integers rounded."""
    if _integer_dtype(dtype):
        values = np.rint(values)
    if isinstance(dtype, np.dtype):
        return values.astype(dtype, copy=False)
    import pandas as pd

    # pandas' own cast, so that nullable dtypes take missing values as pd.NA
    return pd.Series(values).astype(dtype).array


def _integer_dtype(dtype):
    if isinstance(dtype, np.dtype):
        return dtype.kind in "iub"  # booleans round to 0 or 1 like integers
    from pandas.api.types import is_integer_dtype

    return is_integer_dtype(dtype)


def take(X, rows):
    """Rows ``rows`` (integer positions) of an array or DataFrame."""
    return _safe_indexing(X, rows, axis=0)
