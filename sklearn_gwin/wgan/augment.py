"""Label-preserving random distortions of the generator's training rows.

The transformation penalty only has a gradient where the classifier is unsure
or wrong, and on its own training rows it rarely is: a classifier at 99.5%
training accuracy leaves the generator almost nothing to learn from. Distorted
training rows (shifted, rotated, rescaled, sheared images) are inputs the
classifier doubts, with a known label, so the generator learns to map doubtful
inputs back to ones the classifier labels correctly: the job it does at
inference on rejected rows.
"""

import torch
from torch.nn import functional as F


class RandomAffine:
    """Random affine warps of flat unit-space images, on the rows' device.

    Each row gets its own rotation, scaling, shear and translation, drawn
    uniformly from the given ranges with torch's current generator; the warped
    image is sampled bilinearly, with zeros (the background) outside.

    Parameters
    ----------
    image_shape : tuple of int
        ``(channels, height, width)``.
    rotation : float, default=15
        Largest rotation, in degrees either way.
    translation : float, default=0.1
        Largest shift, as a fraction of the image's size either way.
    scale : tuple of float, default=(0.9, 1.1)
        Range of the zoom factor.
    shear : float, default=10
        Largest shear, in degrees either way.
    proportion : float, default=1.0
        Share of the rows that are warped, in [0, 1]; each row is warped
        with this probability, the others pass unchanged.

    Attributes
    ----------
    image_shape : tuple of int
        As given.

    See Also
    --------
    sklearn_gwin.GWINClassifier : ``augmentation="affine"`` uses it.
    sklearn_gwin.choose_augmentation : What ``augmentation="auto"`` picks.

    Notes
    -----
    Calling it on a float tensor ``x`` of shape ``(n, C*H*W)`` (rows in
    [0, 1], on any device) returns a tensor of the same shape, dtype and
    device.

    Examples
    --------
    >>> import torch
    >>> from sklearn_gwin.wgan import RandomAffine
    >>> augment = RandomAffine((1, 8, 8), rotation=10.0)
    >>> x = torch.rand(4, 64)
    >>> augment(x).shape
    torch.Size([4, 64])
    >>> torch.equal(RandomAffine((1, 8, 8), proportion=0.0)(x), x)
    True
    >>> augment
    RandomAffine((1, 8, 8), rotation=10.0, translation=0.1, scale=(0.9, 1.1), shear=10.0, proportion=1.0)
    """

    def __init__(
        self, image_shape, rotation=15.0, translation=0.1, scale=(0.9, 1.1), shear=10.0, proportion=1.0
    ):
        self.image_shape = tuple(image_shape)
        self.proportion = proportion
        self.rotation = rotation
        self.translation = translation
        self.scale = scale
        self.shear = shear

    def _uniform(self, n, low, high, device):
        return low + (high - low) * torch.rand(n, device=device)

    def __call__(self, x):
        n, device = len(x), x.device
        angle = torch.deg2rad(self._uniform(n, -self.rotation, self.rotation, device))
        shear = torch.deg2rad(self._uniform(n, -self.shear, self.shear, device))
        zoom = self._uniform(n, *self.scale, device)
        # affine_grid maps output to input coordinates, so the inverse zoom
        # makes the content larger when zoom > 1
        cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
        shear_tan = torch.tan(shear)
        theta = torch.zeros(n, 2, 3, device=device)
        theta[:, 0, 0] = cos
        theta[:, 0, 1] = -sin + cos * shear_tan
        theta[:, 1, 0] = sin
        theta[:, 1, 1] = cos + sin * shear_tan
        # in affine_grid's [-1, 1] coordinates a shift of 2 is the whole image
        theta[:, :, 2] = 2 * self._uniform(2 * n, -self.translation, self.translation, device).reshape(n, 2)
        images = x.reshape(n, *self.image_shape)
        grid = F.affine_grid(theta, images.shape, align_corners=False)
        warped = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        keep = torch.rand(n, device=device) >= self.proportion
        return torch.where(keep[:, None], x, warped.reshape(x.shape))

    def __repr__(self):
        return (
            f"RandomAffine({self.image_shape}, rotation={self.rotation}, translation={self.translation}, "
            f"scale={self.scale}, shear={self.shear}, proportion={self.proportion})"
        )

