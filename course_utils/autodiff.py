r"""A reverse-mode automatic-differentiation engine in under sixty lines of code (notebook 08).

In the spirit of micrograd, but every value is a NumPy array. A :class:`Tensor` remembers the
tensors it was computed from and, for each of them, a *vector-Jacobian product* (VJP): a
function that turns the gradient arriving at the result, ``g``, into that parent's share of
it. :meth:`Tensor.backward` visits the tensors from the loss back to the inputs and adds up
the shares: the chain rule of notebook 05, with "add over the paths" as ``+=``.

Every primitive below is written next to its derivative. Softmax and cross-entropy are
primitives whose VJPs are the ones derived in notebooks 05 and 06, ``σ ⊙ (g − ⟨g, σ⟩)`` and
``g (σ − y) / N``: the engine never forms a Jacobian.
"""

import numpy as np

from .cross_entropy import cross_entropy as _cross_entropy
from .cross_entropy import cross_entropy_backward
from .jacobian import softmax_backward
from .softmax import log_softmax as _log_softmax
from .softmax import softmax as _softmax


class Tensor:
    """An array that remembers how it was made, so that :meth:`backward` can send gradients back.

    Examples
    --------
    >>> x = Tensor([1.0, 2.0])
    >>> loss = total(x * x)          # Σ xᵢ²
    >>> loss.backward()
    >>> x.grad                       # 2 x
    array([2., 4.])
    """

    def __init__(self, value, parents=()):
        self.value = np.asarray(value, dtype=np.float64)
        self.grad = np.zeros_like(self.value)
        self.parents = parents  # (parent, vjp) pairs: vjp(g) is the parent's share of g

    def backward(self):
        """Fill ``.grad`` of every tensor this one was computed from (this one must be a number)."""
        if self.value.size != 1:
            raise ValueError(f"backward() starts from a single number, got shape {self.value.shape}")
        order, seen = [], set()

        def visit(tensor):  # a topological order: every tensor after all of its parents
            if id(tensor) not in seen:
                seen.add(id(tensor))
                for parent, _ in tensor.parents:
                    visit(parent)
                order.append(tensor)

        visit(self)
        self.grad = np.ones_like(self.value)  # dL/dL = 1
        for tensor in reversed(order):  # from the loss back to the inputs
            for parent, vjp in tensor.parents:
                parent.grad = parent.grad + vjp(tensor.grad)  # add over the paths

    __array_ufunc__ = None  # `array @ tensor` asks the Tensor (its __rmatmul__), not NumPy


def _lift(value):
    """A Tensor as it is; a number or an array as a constant Tensor (its gradient goes unused)."""
    return value if isinstance(value, Tensor) else Tensor(value)


def _unbroadcast(grad, shape):
    """Sum ``grad`` over the axes NumPy broadcast, so that it has ``shape`` again."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True)


# --- the primitives: each forward next to its vector-Jacobian product --------------------


def add(a, b):
    """a + b (broadcasting); d(a + b) = da + db."""
    a, b = _lift(a), _lift(b)
    return Tensor(a.value + b.value, ((a, lambda g: _unbroadcast(g, a.value.shape)),
                                      (b, lambda g: _unbroadcast(g, b.value.shape))))


def multiply(a, b):
    """a ⊙ b (broadcasting); d(a ⊙ b) = b ⊙ da + a ⊙ db."""
    a, b = _lift(a), _lift(b)
    return Tensor(a.value * b.value, ((a, lambda g: _unbroadcast(g * b.value, a.value.shape)),
                                      (b, lambda g: _unbroadcast(g * a.value, b.value.shape))))


def matmul(a, b):
    """A @ B; d(AB) = dA B + A dB, so A receives g Bᵀ and B receives Aᵀ g."""
    a, b = _lift(a), _lift(b)
    return Tensor(a.value @ b.value, ((a, lambda g: g @ b.value.T), (b, lambda g: a.value.T @ g)))


def scale(a, factor):
    """c · a for a fixed number c (such as 1/T); d(c a) = c da."""
    return Tensor(a.value * factor, ((a, lambda g: g * factor),))


def tanh(a):
    """tanh(a), elementwise; d tanh(a) = (1 − tanh²(a)) da."""
    out = np.tanh(a.value)
    return Tensor(out, ((a, lambda g: g * (1.0 - out**2)),))


def total(a):
    """The sum of all entries; d Σ a = Σ da, so every entry receives g."""
    return Tensor(a.value.sum(), ((a, lambda g: np.full(a.value.shape, g)),))


def softmax(a):
    """softmax along the last axis; VJP σ ⊙ (g − ⟨g, σ⟩), row by row (notebook 05)."""
    probs = _softmax(a.value)
    return Tensor(probs, ((a, lambda g: softmax_backward(probs, g)),))


def log_softmax(a):
    """log softmax along the last axis; VJP g − σ Σᵢ gᵢ, row by row (notebook 06)."""
    out = _log_softmax(a.value)
    return Tensor(out, ((a, lambda g: g - np.exp(out) * g.sum(axis=-1, keepdims=True)),))


def cross_entropy(logits, labels):
    """Mean cross-entropy of softmax(logits) and class labels; VJP g (σ − y) / N (notebook 06)."""
    grad = cross_entropy_backward(logits.value, labels)
    return Tensor(_cross_entropy(logits.value, labels), ((logits, lambda g: g * grad),))


# a + b, a * b and a @ b build tensors, with arrays or numbers on either side
Tensor.__add__ = Tensor.__radd__ = add
Tensor.__mul__ = Tensor.__rmul__ = multiply
Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)
