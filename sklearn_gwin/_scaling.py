"""The GWIN's unit space: inputs scaled to [0, 1], where the generator works."""

import warnings

import numpy as np
from sklearn.utils import gen_batches

_CHUNK = 4096


class UnitScaler:
    """Min-max scaling of flattened rows to [0, 1] and back.

    Image inputs share one range over every pixel (so that a blank border
    stays blank); tabular inputs get one range per feature. Constant features
    keep a range of one. Offset and range are kept in float64: features far
    from zero (timestamps, say) lose their spread in float32. Missing values
    (NaN) enter unit space as the feature's mean there.

    Parameters
    ----------
    per_feature : bool
    """

    def __init__(self, per_feature):
        self.per_feature = per_feature

    def fit(self, X_flat):
        X_flat = np.asarray(X_flat, dtype=np.float64)
        axis = 0 if self.per_feature else None
        with warnings.catch_warnings():
            # an all-missing feature has no range: it gets the neutral one below
            warnings.simplefilter("ignore", RuntimeWarning)
            low = np.nanmin(X_flat, axis=axis)
            span = np.nanmax(X_flat, axis=axis) - low
        if np.any(np.isinf(span)):
            raise ValueError(
                "X has a feature whose range (max - min) overflows float64; rescale it first."
            )
        n_features = X_flat.shape[1]
        self.offset_ = np.broadcast_to(np.nan_to_num(low), (n_features,)).copy()
        # a constant or all-missing feature keeps a range of one
        self.scale_ = np.broadcast_to(np.where(span > 0, span, 1.0), (n_features,)).copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # the mean in unit space, from the mean in the input's scale: no scaled copy of X
            fill = (np.nanmean(X_flat, axis=0) - self.offset_) / self.scale_
        self.fill_ = np.where(np.isnan(fill), 0.5, fill)
        return self

    def to_unit(self, X_flat):
        """Scaled rows as float32, clipped to [0, 1] (test rows may lie outside the training range).

        Scaled in float64 a few thousand rows at a time, so that the float64
        temporaries stay small whatever the number of rows.
        """
        X_flat = np.asarray(X_flat)
        unit = np.empty(X_flat.shape, dtype=np.float32)
        for rows in gen_batches(len(X_flat), _CHUNK):
            part = (X_flat[rows].astype(np.float64) - self.offset_) / self.scale_
            part = np.where(np.isnan(part), self.fill_, part)
            unit[rows] = np.clip(part, 0, 1)
        return unit

    def from_unit(self, X_unit):
        """Rows back in the input's scale, as float64."""
        return np.asarray(X_unit, dtype=np.float64) * self.scale_ + self.offset_
