"""The GWIN's unit space: inputs scaled to [0, 1], where the generator works."""

import warnings

import numpy as np


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
            fill = np.nanmean((X_flat - self.offset_) / self.scale_, axis=0)
        self.fill_ = np.where(np.isnan(fill), 0.5, fill)
        return self

    def to_unit(self, X_flat):
        """Scaled rows as float32, clipped to [0, 1] (test rows may lie outside the training range)."""
        unit = (np.asarray(X_flat, dtype=np.float64) - self.offset_) / self.scale_
        unit = np.where(np.isnan(unit), self.fill_, unit)
        return np.clip(unit, 0, 1).astype(np.float32)

    def from_unit(self, X_unit):
        """Rows back in the input's scale, as float64."""
        return np.asarray(X_unit, dtype=np.float64) * self.scale_ + self.offset_
