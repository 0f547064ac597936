"""Student implementations the checkers must judge: generic slips, other styles, right answers.

The deliberate mistakes of the maths live once, in ``course_utils.bugs.MISTAKES``: ``BUGGY``
takes each of them from there, with the diagnosis and heading the catalogue gives it, and adds
the slips that are not mistakes of the maths (stubs, errors, endless loops, wrong types) and
other ways of writing a catalogued mistake. ``BUGGY[check_name]`` lists
``(diagnosis, function)`` or ``(diagnosis, function, says)``: the checker must give exactly
that diagnosis, with ``says`` in its message (or heading) when given. ``CORRECT[check_name]``
lists right answers written in the styles students use, which must pass; ``RIGHT_BUT_RETYPED``
those that pass with a precision note.
"""

import math
import sys

import numpy as np

import course_utils as cu
from course_utils.bugs import MISTAKES
from course_utils.bugs.forward import softmax_naive, softmax_subtracts_mean, softmax_subtracts_min


def _stable_softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def _one_hot(targets, n_classes, dtype=np.float64):
    return np.eye(n_classes, dtype=dtype)[targets]


def _log_probs(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _picked(logits, targets):
    return _log_probs(logits)[np.arange(len(targets)), targets]


# --- stubs and things that are not functions --------------------------------------------------


def stub_raises(logits):
    raise NotImplementedError


def stub_pass(logits):
    pass


def stub_ellipsis(logits): ...


def stub_two_arguments(probs, upstream):
    """Not written yet: the body is only a return."""
    return None


def stub_loss(logits, targets):
    raise NotImplementedError("your code here")


def exits(*arguments):
    sys.exit("cannot handle this input")  # gives up on the whole program, not just the call


def loops_forever(*arguments):
    first = np.asarray(arguments[0], dtype=float)
    result = np.empty_like(first)
    column = 0
    while column < first.shape[-1]:
        result[..., column] = first[..., column]  # forgot `column += 1`
    return result


# --- softmax ----------------------------------------------------------------------------------


def softmax_math_exp(logits):
    exps = [math.exp(value) for value in logits]
    return np.array(exps) / sum(exps)


def softmax_no_keepdims(logits):
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1)


def softmax_axis_one(logits):
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def softmax_in_place(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=-1, keepdims=True)
    return logits


def softmax_float64(logits):
    logits = np.asarray(logits, dtype=float)
    return _stable_softmax(logits)


def softmax_zeros_like(logits):
    probs = np.zeros_like(logits)
    probs[...] = _stable_softmax(logits)
    return probs


def softmax_float32(logits):
    return _stable_softmax(logits).astype(np.float32)


def softmax_returns_list(logits):
    return _stable_softmax(logits).tolist()


def softmax_returns_tuple(logits):
    probs = _stable_softmax(logits)
    return probs, probs.sum(axis=-1)  # the sums, returned "to check"


def softmax_first_row_only(logits):
    if logits.ndim == 1:
        return _stable_softmax(logits)
    for row in logits:
        exps = np.exp(row - row.max())
        return exps / exps.sum()  # returns inside the loop: only the first row


def softmax_returns_total(logits):
    return np.exp(logits).sum()


def softmax_column_vector(logits):
    return _stable_softmax(logits)[..., None]


def softmax_returns_text(logits):
    return "probabilities"


def softmax_vector_only(logits):
    if logits.ndim == 1:
        return _stable_softmax(logits)


def softmax_needs_axis(logits, axis):
    return _stable_softmax(logits)


def softmax_raises_value_error(logits):
    raise ValueError("something went wrong")


# --- log-softmax ------------------------------------------------------------------------------


def log_softmax_big_eps(logits):
    return np.log(_stable_softmax(logits) + 1e-7)


def log_softmax_subtracts_mean(logits):
    shifted = logits - logits.mean(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_softmax_subtracts_min(logits):
    shifted = logits - logits.min(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_softmax_no_keepdims(logits):
    shifted = logits - logits.max(axis=-1)
    return shifted - np.log(np.exp(shifted).sum(axis=-1))


def log_softmax_column_vector(logits):
    return _log_probs(logits)[..., None]


def log_softmax_zeros_like(logits):
    log_probs = np.zeros_like(logits)
    log_probs[...] = _log_probs(logits)
    return log_probs


def log_softmax_in_place(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return logits


def log_softmax_float64(logits):
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


# --- Jacobian ---------------------------------------------------------------------------------


def jacobian_elementwise(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs) - probs * probs


def jacobian_mean_shift(logits):
    probs = softmax_subtracts_mean(logits)
    return np.diag(probs) - np.outer(probs, probs)


def jacobian_min_shift(logits):
    probs = softmax_subtracts_min(logits)
    return np.diag(probs) - np.outer(probs, probs)


def jacobian_zeros_like(logits):
    probs = _stable_softmax(logits)
    jacobian = np.zeros_like(logits, shape=(len(logits), len(logits)))
    for i in range(len(probs)):
        for j in range(len(probs)):
            jacobian[i, j] = probs[i] * ((i == j) - probs[j])
    return jacobian


def jacobian_naive_softmax(logits):
    probs = softmax_naive(logits)
    return np.diag(probs) - np.outer(probs, probs)


def jacobian_zeros_float64(logits):
    probs = _stable_softmax(logits)
    jacobian = np.zeros((len(probs), len(probs)))
    for i in range(len(probs)):
        for j in range(len(probs)):
            jacobian[i, j] = probs[i] * ((i == j) - probs[j])
    return jacobian


def jacobian_in_place(logits):
    logits -= logits.max()
    probs = np.exp(logits) / np.exp(logits).sum()
    return np.diag(probs) - np.outer(probs, probs)


def jacobian_of_five(logits):
    probs = _stable_softmax(logits)
    return np.eye(5) * probs - np.outer(probs, probs)


# --- backward ---------------------------------------------------------------------------------


def backward_np_dot(probs, upstream):
    return probs * (upstream - np.dot(upstream, probs))


def backward_in_place(probs, upstream):
    upstream -= np.sum(upstream * probs, axis=-1, keepdims=True)
    upstream *= probs
    return upstream


def backward_flattened(probs, upstream):
    return (probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))).ravel()


def backward_float64(probs, upstream):
    probs = probs.astype(np.float64)
    return probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))


def backward_divides_by_probs(probs, upstream):
    # log-derivative trick gone wrong: fine until a probability is exactly 0
    dot = np.sum(upstream * probs, axis=-1, keepdims=True)
    return probs**2 * (upstream - dot) / probs


# --- cross-entropy ----------------------------------------------------------------------------


def loss_subtracts_mean(logits, targets):
    shifted = logits - logits.mean(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_subtracts_min(logits, targets):
    shifted = logits - logits.min(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_one_hot_log(logits, targets):
    probs = _stable_softmax(logits)
    return -np.sum(_one_hot(targets, logits.shape[1]) * np.log(probs)) / len(targets)


def loss_big_eps(logits, targets):
    probs = _stable_softmax(logits)
    return -np.log(probs[np.arange(len(targets)), targets] + 1e-6).mean()


def loss_in_place(logits, targets):
    logits -= logits.max(axis=-1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return -logits[np.arange(len(targets)), targets].mean()


def loss_copy_then_in_place(logits, targets):
    log_probs = logits.copy()
    log_probs -= log_probs.max(axis=-1, keepdims=True)
    log_probs -= np.log(np.exp(log_probs).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_raises(logits, targets):
    return -_log_probs(logits)[targets].mean(axis=2)


# --- cross-entropy gradient -------------------------------------------------------------------


def grad_one_hot_of_batch_size(logits, targets):
    one_hot = np.eye(len(targets), dtype=logits.dtype)[targets]  # N where D belongs
    return (_stable_softmax(logits) - one_hot) / len(targets)


def grad_subtracts_mean(logits, targets):
    probs = softmax_subtracts_mean(logits)
    return (probs - _one_hot(targets, logits.shape[1], probs.dtype)) / len(targets)


def grad_subtracts_min(logits, targets):
    probs = softmax_subtracts_min(logits)
    return (probs - _one_hot(targets, logits.shape[1], probs.dtype)) / len(targets)


def grad_eye_float64(logits, targets):
    one_hot = np.eye(logits.shape[1])[targets]
    return (_stable_softmax(logits) - one_hot) / len(targets)


def grad_in_place(logits, targets):
    logits -= logits.max(axis=-1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=-1, keepdims=True)
    logits[np.arange(len(targets)), targets] -= 1
    logits /= len(targets)
    return logits


def grad_returns_loss(logits, targets):
    return -_picked(logits, targets).mean()


def grad_zeros_like(logits, targets):
    grad = np.zeros_like(logits)
    grad[...] = _stable_softmax(logits)
    grad[np.arange(len(targets)), targets] -= 1
    return grad / len(targets)


# --- correct implementations, written differently from the course's ---------------------------


def softmax_via_logsumexp(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)))


def jacobian_loops(logits):
    probs = _stable_softmax(logits)
    size = len(probs)
    jacobian = np.zeros((size, size), dtype=probs.dtype)
    for i in range(size):
        for j in range(size):
            jacobian[i, j] = probs[i] * ((i == j) - probs[j])
    return jacobian


def softmax_scipy(logits):
    from scipy import special

    return special.softmax(logits, axis=-1)


def log_softmax_scipy(logits):
    from scipy import special

    return special.log_softmax(logits, axis=-1)


def jacobian_broadcast(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs) - probs[:, None] * probs[None, :]


def jacobian_outer(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs) - np.outer(probs, probs)


def backward_dot(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs, axis=-1, keepdims=True))


def backward_full_jacobian(probs, upstream):
    jacobians = probs[..., :, None] * (np.eye(probs.shape[-1], dtype=probs.dtype) - probs[..., None, :])
    return np.einsum("...ij,...i->...j", jacobians, upstream)


def backward_einsum(probs, upstream):
    return probs * (upstream - np.einsum("...i,...i->...", probs, upstream)[..., None])


def loss_scipy(logits, targets):
    from scipy import special

    return -special.log_softmax(logits, axis=-1)[np.arange(len(targets)), targets].mean()


def grad_scipy(logits, targets):
    from scipy import special

    probs = special.softmax(logits, axis=-1)
    return (probs - np.eye(logits.shape[1], dtype=probs.dtype)[targets]) / len(targets)


def loss_logsumexp(logits, targets):
    row_max = logits.max(axis=-1)
    lse = row_max + np.log(np.exp(logits - row_max[:, None]).sum(axis=-1))
    return float(np.mean(lse - logits[np.arange(len(targets)), targets]))


def grad_subtract_one(logits, targets):
    grad = _stable_softmax(logits)
    grad[np.arange(len(targets)), targets] -= 1
    return grad / len(targets)


def softmax_textbook(logits):
    logits = np.asarray(logits, dtype=float)  # as most tutorials write it
    exps = np.exp(logits - np.max(logits, axis=-1, keepdims=True))
    return exps / np.sum(exps, axis=-1, keepdims=True)


def softmax_loops(logits):
    logits = np.asarray(logits)
    out = np.empty(logits.shape, dtype=np.result_type(logits.dtype, np.float32))
    for index in np.ndindex(logits.shape[:-1]):
        row = logits[index]
        exps = np.exp(row - row.max())
        out[index] = exps / exps.sum()
    return out


def softmax_lists(logits):
    rows = np.atleast_2d(logits).tolist()  # plain Python lists and math.exp, row by row
    result = []
    for row in rows:
        top = max(row)
        exps = [math.exp(value - top) for value in row]
        result.append([value / sum(exps) for value in exps])
    return np.array(result).reshape(np.shape(logits))


def jacobian_eye_without_dtype(logits):
    probs = _stable_softmax(logits)
    return probs[:, None] * (np.eye(len(probs)) - probs[None, :])


def jacobian_einsum(logits):
    probs = _stable_softmax(logits)
    eye = np.eye(len(probs), dtype=probs.dtype)
    return np.einsum("i,ij->ij", probs, eye) - np.einsum("i,j->ij", probs, probs)


def backward_textbook(probs, upstream):
    probs, upstream = np.asarray(probs, dtype=float), np.asarray(upstream, dtype=float)
    return probs * (upstream - (probs * upstream).sum(axis=-1, keepdims=True))


def log_softmax_textbook(logits):
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def loss_textbook(logits, targets):
    logits = np.asarray(logits, dtype=float)
    return float(np.mean(cu.logsumexp(logits) - logits[np.arange(len(targets)), targets]))


def grad_textbook(logits, targets):
    logits = np.asarray(logits, dtype=float)
    probs = cu.softmax(logits)
    one_hot = np.zeros_like(probs)
    one_hot[np.arange(len(targets)), targets] = 1.0
    return (probs - one_hot) / logits.shape[0]


def grad_eye_no_dtype(logits, targets):
    probs = cu.softmax(logits)
    return (probs - np.eye(logits.shape[1])[targets]) / logits.shape[0]


SHIFT = "not the mean, the minimum or the first logit"  # the hint for a shift other than the max


def _catalogue(check):
    """Every catalogued mistake of ``check``: (diagnosis, its code, its heading)."""
    return [(m.diagnosis, m.function, m.heading) for m in MISTAKES.values() if m.check == check]


BUGGY = {
    "check_softmax": [
        *_catalogue("check_softmax"),
        ("not_implemented", stub_raises),
        ("not_implemented", stub_pass),
        ("not_implemented", stub_ellipsis),
        ("raised", softmax_no_keepdims),
        ("raised", softmax_axis_one),
        ("raised", softmax_math_exp),
        ("raised", softmax_needs_axis),
        ("raised", softmax_raises_value_error),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("mutates_input", softmax_in_place),
        ("integer_input", softmax_zeros_like, "np.zeros_like(probs)"),
        ("wrong_shape", softmax_returns_total),
        ("wrong_shape", softmax_column_vector),
        ("wrong_shape", softmax_returns_text),
        ("wrong_shape", softmax_vector_only),
        ("wrong_shape", softmax_returns_tuple, "`return a, b` returns a tuple"),
        ("wrong_shape", softmax_first_row_only, "returned shape (5,) for a batch"),
        ("wrong_values", cu.log_softmax, "match none of the usual mistakes"),
    ],
    "check_log_softmax": [
        *_catalogue("check_log_softmax"),
        ("not_implemented", stub_raises),
        ("log_eps", log_softmax_big_eps),
        ("no_max_subtraction", log_softmax_subtracts_min, SHIFT),
        ("no_max_subtraction", log_softmax_subtracts_mean, SHIFT),
        ("raised", log_softmax_no_keepdims),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("mutates_input", log_softmax_in_place),
        ("integer_input", log_softmax_zeros_like, "np.zeros_like(logits)"),
        ("wrong_shape", log_softmax_column_vector),
        ("wrong_values", cu.softmax),
    ],
    "check_softmax_jacobian": [
        *_catalogue("check_softmax_jacobian"),
        ("not_implemented", stub_pass),
        ("sigma_j_for_sigma_i", jacobian_elementwise, "probs[:, None]"),
        ("no_max_subtraction", jacobian_naive_softmax),
        ("no_max_subtraction", jacobian_min_shift, SHIFT),
        ("no_max_subtraction", jacobian_mean_shift, SHIFT),
        ("integer_input", jacobian_zeros_like, "np.zeros_like(logits)"),
        ("mutates_input", jacobian_in_place),
        ("raised", jacobian_of_five),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_shape", cu.softmax),
    ],
    "check_softmax_backward": [
        *_catalogue("check_softmax_backward"),
        ("not_implemented", stub_two_arguments),
        ("raised", backward_np_dot),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("mutates_input", backward_in_place),
        ("wrong_values", backward_divides_by_probs, "match none of the usual mistakes"),
        ("wrong_shape", backward_flattened, "returned shape (20,)"),
        ("raised", stub_raises),
    ],
    "check_cross_entropy": [
        *_catalogue("check_cross_entropy"),
        ("not_implemented", stub_loss),
        ("no_max_subtraction", loss_subtracts_min, SHIFT),
        ("no_max_subtraction", loss_subtracts_mean, SHIFT),
        ("log_eps", loss_one_hot_log),
        ("log_eps", loss_big_eps),
        ("mutates_input", loss_in_place),
        ("integer_input", loss_copy_then_in_place, "logits.astype(float)"),
        ("raised", loss_raises),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_shape", cu.cross_entropy_backward),
    ],
    "check_cross_entropy_backward": [
        *_catalogue("check_cross_entropy_backward"),
        ("not_implemented", stub_loss),
        ("no_max_subtraction", grad_subtracts_min, SHIFT),
        ("no_max_subtraction", grad_subtracts_mean, SHIFT),
        ("integer_input", grad_zeros_like, "np.zeros_like(probs)"),
        ("mutates_input", grad_in_place),
        ("raised", grad_one_hot_of_batch_size, "IndexError"),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_shape", grad_returns_loss),
    ],
}

# Right answers in the styles students use: the textbook conversion to float, loops, lists,
# np.einsum, SciPy. Each must pass.
CORRECT = {
    "check_softmax": [
        cu.softmax,
        _stable_softmax,
        softmax_via_logsumexp,
        softmax_scipy,
        softmax_loops,
        softmax_textbook,
        softmax_lists,
    ],
    "check_log_softmax": [cu.log_softmax, _log_probs, log_softmax_scipy, log_softmax_textbook],
    "check_softmax_jacobian": [
        cu.softmax_jacobian,
        jacobian_outer,
        jacobian_loops,
        jacobian_broadcast,
        jacobian_einsum,
        jacobian_zeros_float64,
        jacobian_eye_without_dtype,
    ],
    "check_softmax_backward": [
        cu.softmax_backward,
        backward_dot,
        backward_full_jacobian,
        backward_einsum,
        backward_textbook,
        backward_float64,
    ],
    "check_cross_entropy": [cu.cross_entropy, loss_logsumexp, loss_scipy, loss_textbook],
    "check_cross_entropy_backward": [
        cu.cross_entropy_backward,
        grad_subtract_one,
        grad_scipy,
        grad_textbook,
        grad_eye_no_dtype,
        grad_eye_float64,
    ],
}

# Right answers whose result changes precision: they pass, and the note says what changed.
RIGHT_BUT_RETYPED = [
    ("check_softmax", softmax_textbook, "float32 came back as float64", "leave the dtype out"),
    ("check_softmax", softmax_float64, "float32 came back as float64", "leave the dtype out"),
    ("check_softmax", softmax_float32, "float64 came back as float32", "Remove the conversion"),
    ("check_softmax", softmax_lists, "float32 came back as float64", None),
    ("check_softmax", softmax_returns_list, "came back as a Python list", "leave out `.tolist()`"),
    ("check_log_softmax", log_softmax_float64, "float32 came back as float64", "leave the dtype out"),
    (
        "check_softmax_jacobian",
        jacobian_zeros_float64,
        "float32 came back as float64",
        "np.zeros(..., dtype=probs.dtype)",
    ),
    (
        "check_softmax_jacobian",
        jacobian_eye_without_dtype,
        "float32 came back as float64",
        "np.eye(..., dtype=probs.dtype)",
    ),
    ("check_softmax_backward", backward_float64, "float32 came back as float64", None),
    ("check_softmax_backward", backward_textbook, "float32 came back as float64", "leave the dtype out"),
    (
        "check_cross_entropy_backward",
        grad_eye_float64,
        "float32 came back as float64",
        "np.eye(..., dtype=probs.dtype)",
    ),
    (
        "check_cross_entropy_backward",
        grad_eye_no_dtype,
        "float32 came back as float64",
        "np.eye(..., dtype=probs.dtype)",
    ),
    ("check_cross_entropy_backward", grad_textbook, "float32 came back as float64", "leave the dtype out"),
]


def jacobian_doubled_outer(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs) - 2 * np.outer(probs, probs)


def loss_squared_error(logits, targets):
    return np.mean((_stable_softmax(logits) - _one_hot(targets, logits.shape[1])) ** 2)


def grad_doubled(logits, targets):
    return 2 * (_stable_softmax(logits) - _one_hot(targets, logits.shape[1], logits.dtype)) / len(targets)


_NONE = "match none of the usual mistakes"
BUGGY["check_softmax_jacobian"].append(("wrong_values", jacobian_doubled_outer, _NONE))
BUGGY["check_cross_entropy"].append(("wrong_values", loss_squared_error, _NONE))
BUGGY["check_cross_entropy_backward"].append(("wrong_values", grad_doubled, _NONE))
