"""The GWIN's unit space: inputs scaled to [0, 1], where the generator works."""

import numpy as np


class UnitScaler:
    """Min-max scaling of flattened rows to [0, 1] and back.

    Image inputs share one range over every pixel (so that a blank border
    stays blank); tabular inputs get one range per feature. Constant features
    keep a range of one.

    Parameters
    ----------
    per_feature : bool
    """

    def __init__(self, per_feature):
        self.per_feature = per_feature

    def fit(self, X_flat):
        axis = 0 if self.per_feature else None
        low = np.min(X_flat, axis=axis)
        span = np.max(X_flat, axis=axis) - low
        n_features = X_flat.shape[1]
        self.offset_ = np.broadcast_to(low, (n_features,)).astype(np.float32)
        self.scale_ = np.broadcast_to(np.where(span > 0, span, 1.0), (n_features,)).astype(
            np.float32
        )
        return self

    def to_unit(self, X_flat):
        """Scaled rows, clipped to [0, 1] (test rows may lie outside the training range)."""
        return np.clip((X_flat - self.offset_) / self.scale_, 0, 1).astype(np.float32)

    def from_unit(self, X_unit):
        return X_unit * self.scale_ + self.offset_
