"""Resolution of the ``device`` and ``precision`` parameters."""

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


def computes_bfloat16_natively(device):
    """Whether ``device`` is a CPU with bfloat16 arithmetic in hardware (AVX-512 BF16 or AMX).

    CUDA devices answer False: bfloat16 has not been measured on a GPU here,
    so "auto" keeps float32 there.
    """
    if device.type != "cpu":
        return False
    try:
        capabilities = torch.cpu.get_capabilities()
    except (AttributeError, RuntimeError):  # a torch without the query: do not guess
        return False
    return bool(capabilities.get("avx512_bf16") or capabilities.get("amx_bf16"))


def resolve_precision(precision, through_torch_net, device):
    """The arithmetic of the generator's training: "float32" or "bfloat16".

    "auto" is bfloat16 where it was measured (docs/lab/performance.md): when
    the generator learns through a torch net's own gradients (the image path;
    through a surrogate it barely paid) on a CPU with bfloat16 instructions.
    Everywhere else, float32.
    """
    if precision != "auto":
        return precision
    return "bfloat16" if through_torch_net and computes_bfloat16_natively(device) else "float32"
