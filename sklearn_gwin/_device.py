"""Resolution of the ``device`` parameter."""

import torch


def resolve_device(device):
    """A ``torch.device`` for "auto", "cpu", "cuda" or "cuda:N", with clear errors."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"device={device!r} is not a device torch knows: {exc}") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was asked for, but torch finds no CUDA device here "
            f"(torch {torch.__version__}); use device='cpu' or 'auto'."
        )
    return resolved
