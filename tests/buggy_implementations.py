"""Student implementations, each written with one deliberate mistake, and correct ones.

``BUGGY[check_name]`` lists ``(diagnosis, function)`` or ``(diagnosis, function, says)``: the
checker must give exactly that diagnosis, with ``says`` in its message when given (for the
mistakes that share a diagnosis but not their explanation). ``CORRECT[check_name]`` lists
functions written differently from the course's own, which must pass. The functions are written
the way a student would write them.
"""

import math
import sys

import numpy as np

import course_utils as cu


def _stable_softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def _one_hot(targets, n_classes, dtype=np.float64):
    return np.eye(n_classes, dtype=dtype)[targets]


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


def softmax_naive(logits):
    exps = np.exp(logits)
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_subtracts_min(logits):
    exps = np.exp(logits - logits.min(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_subtracts_mean(logits):
    exps = np.exp(logits - logits.mean(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


def softmax_math_exp(logits):
    exps = [math.exp(value) for value in logits]
    return np.array(exps) / sum(exps)


def softmax_columns(logits):
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)


def softmax_whole_array(logits):
    exps = np.exp(logits - logits.max())
    return exps / exps.sum()


def softmax_global_max(logits):
    exps = np.exp(logits - logits.max())
    return exps / exps.sum(axis=-1, keepdims=True)


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


def softmax_unnormalised(logits):
    return np.exp(logits - logits.max(axis=-1, keepdims=True))


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


def log_softmax_eps(logits):
    return np.log(_stable_softmax(logits) + 1e-12)


def log_softmax_big_eps(logits):
    return np.log(_stable_softmax(logits) + 1e-7)


def log_softmax_of_softmax(logits):
    return np.log(_stable_softmax(logits))


def log_softmax_clip(logits):
    return np.log(np.clip(_stable_softmax(logits), 1e-15, 1.0))


def log_softmax_naive(logits):
    return logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))


def log_softmax_subtracts_mean(logits):
    shifted = logits - logits.mean(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_softmax_subtracts_min(logits):
    shifted = logits - logits.min(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def log_softmax_whole_batch(logits):
    shifted = logits - logits.max()
    return shifted - np.log(np.exp(shifted).sum())


def log_softmax_global_max(logits):
    shifted = logits - logits.max()
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


def log_softmax_columns(logits):
    shifted = logits - logits.max(axis=0, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))


def log_softmax_in_place(logits):
    logits -= logits.max(axis=-1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return logits


def log_softmax_float64(logits):
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


# --- Jacobian ---------------------------------------------------------------------------------


def jacobian_diagonal_only(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs * (1 - probs))


def jacobian_diagonal_vector(logits):
    probs = _stable_softmax(logits)
    return probs * (1 - probs)


def jacobian_plus_outer(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs) + np.outer(probs, probs)


def jacobian_positive_off_diagonal(logits):
    probs = _stable_softmax(logits)
    jacobian = np.outer(probs, probs)
    np.fill_diagonal(jacobian, probs * (1 - probs))
    return jacobian


def jacobian_sign_flipped(logits):
    probs = _stable_softmax(logits)
    return np.outer(probs, probs) - np.diag(probs)


def jacobian_inner_product(logits):
    probs = _stable_softmax(logits)
    return np.diag(probs) - probs @ probs.T


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


def backward_missing_dot(probs, upstream):
    return probs * upstream


def backward_plus_dot(probs, upstream):
    dot = np.sum(upstream * probs, axis=-1, keepdims=True)
    return probs * (upstream + dot)


def backward_flipped_jacobian(probs, upstream):
    jacobian = np.diag(probs) + np.outer(probs, probs)
    np.fill_diagonal(jacobian, probs * (1 - probs))
    return jacobian @ upstream


def backward_diagonal_only(probs, upstream):
    return probs * (1 - probs) * upstream


def backward_plain_mean(probs, upstream):
    return probs * (upstream - upstream.mean(axis=-1, keepdims=True))


def backward_missing_probs(probs, upstream):
    return upstream - np.sum(upstream * probs, axis=-1, keepdims=True)


def backward_sign_flipped(probs, upstream):
    dot = np.sum(upstream * probs, axis=-1, keepdims=True)
    return probs * (dot - upstream)


def backward_np_dot(probs, upstream):
    return probs * (upstream - np.dot(upstream, probs))


def backward_dot_columns(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs, axis=0))


def backward_dot_whole(probs, upstream):
    return probs * (upstream - np.sum(upstream * probs))


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


def _log_probs(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _picked(logits, targets):
    return _log_probs(logits)[np.arange(len(targets)), targets]


def loss_per_sample(logits, targets):
    return -_picked(logits, targets)


def loss_summed(logits, targets):
    return -_picked(logits, targets).sum()


def loss_averaged_twice(logits, targets):
    return -_picked(logits, targets).mean() / len(targets)


def loss_by_classes(logits, targets):
    return -_picked(logits, targets).sum() / logits.shape[1]


def loss_mean_of_one_hot(logits, targets):
    return np.mean(-_one_hot(targets, logits.shape[1]) * _log_probs(logits))


def loss_sign_flipped(logits, targets):
    return _picked(logits, targets).mean()


def loss_summed_sign_flipped(logits, targets):
    return _picked(logits, targets).sum()


def loss_subtracts_mean(logits, targets):
    shifted = logits - logits.mean(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_subtracts_min(logits, targets):
    shifted = logits - logits.min(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_columns(logits, targets):
    shifted = logits - logits.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -log_probs[np.arange(len(targets)), targets].mean()


def loss_naive(logits, targets):
    probs = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    return -np.log(probs[np.arange(len(targets)), targets]).mean()


def loss_log_eps(logits, targets):
    probs = _stable_softmax(logits)
    return -np.log(probs[np.arange(len(targets)), targets] + 1e-12).mean()


def loss_log_probs(logits, targets):
    probs = _stable_softmax(logits)
    return -np.log(probs[np.arange(len(targets)), targets]).mean()


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


def loss_every_row(logits, targets):
    return -_log_probs(logits)[:, targets].mean()


def loss_raises(logits, targets):
    return -_log_probs(logits)[targets].mean(axis=2)


# --- cross-entropy gradient -------------------------------------------------------------------


def grad_not_averaged(logits, targets):
    return _stable_softmax(logits) - _one_hot(targets, logits.shape[1], logits.dtype)


def grad_averaged_twice(logits, targets):
    return grad_not_averaged(logits, targets) / len(targets) ** 2


def grad_by_classes(logits, targets):
    return grad_not_averaged(logits, targets) / logits.shape[1]


def grad_by_every_entry(logits, targets):
    probs = _stable_softmax(logits)
    return (probs - _one_hot(targets, logits.shape[1], probs.dtype)) / probs.size


def grad_without_targets(logits, targets):
    return _stable_softmax(logits) / len(targets)


def grad_uses_logits(logits, targets):
    return (logits - _one_hot(targets, logits.shape[1], logits.dtype)) / len(targets)


def grad_one_hot_of_batch_size(logits, targets):
    one_hot = np.eye(len(targets), dtype=logits.dtype)[targets]  # N where D belongs
    return (_stable_softmax(logits) - one_hot) / len(targets)


def grad_subtracts_mean(logits, targets):
    probs = softmax_subtracts_mean(logits)
    return (probs - _one_hot(targets, logits.shape[1], probs.dtype)) / len(targets)


def grad_subtracts_min(logits, targets):
    probs = softmax_subtracts_min(logits)
    return (probs - _one_hot(targets, logits.shape[1], probs.dtype)) / len(targets)


def grad_sign_flipped(logits, targets):
    return (_one_hot(targets, logits.shape[1], logits.dtype) - _stable_softmax(logits)) / len(targets)


def grad_columns(logits, targets):
    exps = np.exp(logits - logits.max(axis=0, keepdims=True))
    probs = exps / exps.sum(axis=0, keepdims=True)
    return (probs - _one_hot(targets, logits.shape[1], logits.dtype)) / len(targets)


def grad_naive(logits, targets):
    return (softmax_naive(logits) - _one_hot(targets, logits.shape[1], logits.dtype)) / len(targets)


def grad_eye_float64(logits, targets):
    one_hot = np.eye(logits.shape[1])[targets]
    return (_stable_softmax(logits) - one_hot) / len(targets)


def grad_every_row(logits, targets):
    grad = _stable_softmax(logits)
    grad[:, targets] -= 1
    return grad / len(targets)


def grad_in_place(logits, targets):
    logits -= logits.max(axis=-1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=-1, keepdims=True)
    logits[np.arange(len(targets)), targets] -= 1
    logits /= len(targets)
    return logits


def grad_diagonal_only(logits, targets):
    probs = _stable_softmax(logits)
    one_hot = _one_hot(targets, logits.shape[1], logits.dtype)
    return -one_hot * (1 - probs) / len(targets)


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


SHIFT = "not the mean, the minimum or the first logit"  # the hint for a shift other than the max

BUGGY = {
    "check_softmax": [
        ("not_implemented", stub_raises),
        ("not_implemented", stub_pass),
        ("not_implemented", stub_ellipsis),
        ("no_max_subtraction", softmax_naive),
        ("no_max_subtraction", softmax_subtracts_min, SHIFT),
        ("no_max_subtraction", softmax_subtracts_mean, SHIFT),
        ("wrong_axis", softmax_columns, "each COLUMN"),
        ("wrong_axis", softmax_whole_array, "WHOLE batch"),
        ("wrong_axis", softmax_global_max, "ONE maximum"),
        ("raised", softmax_no_keepdims),
        ("raised", softmax_axis_one),
        ("raised", softmax_math_exp),
        ("raised", softmax_needs_axis),
        ("raised", softmax_raises_value_error),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("mutates_input", softmax_in_place),
        ("dtype", softmax_float64),
        ("dtype", softmax_zeros_like),
        ("dtype", softmax_float32, "Remove the conversion to float32"),
        ("wrong_shape", softmax_returns_total),
        ("wrong_shape", softmax_column_vector),
        ("wrong_shape", softmax_returns_text),
        ("wrong_shape", softmax_vector_only),
        ("wrong_shape", softmax_returns_list, "np.asarray"),
        ("wrong_shape", softmax_first_row_only, "returned shape (5,) for a batch"),
        ("wrong_values", softmax_unnormalised),
        ("wrong_values", cu.log_softmax),
    ],
    "check_log_softmax": [
        ("not_implemented", stub_raises),
        ("log_eps", log_softmax_eps),
        ("log_eps", log_softmax_big_eps),
        ("log_eps", log_softmax_of_softmax),
        ("log_eps", log_softmax_clip),
        ("no_max_subtraction", log_softmax_naive),
        ("no_max_subtraction", log_softmax_subtracts_min, SHIFT),
        ("no_max_subtraction", log_softmax_subtracts_mean, SHIFT),
        ("wrong_axis", log_softmax_columns, "each COLUMN"),
        ("wrong_axis", log_softmax_whole_batch, "WHOLE batch"),
        ("wrong_axis", log_softmax_global_max, "ONE maximum"),
        ("raised", log_softmax_no_keepdims),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("mutates_input", log_softmax_in_place),
        ("dtype", log_softmax_float64),
        ("dtype", log_softmax_zeros_like, "np.zeros_like(logits)"),
        ("wrong_shape", log_softmax_column_vector),
        ("wrong_values", cu.softmax),
    ],
    "check_softmax_jacobian": [
        ("not_implemented", stub_pass),
        ("diagonal_only_jacobian", jacobian_diagonal_only),
        ("diagonal_only_jacobian", jacobian_diagonal_vector, "as a vector"),
        ("off_diagonal_sign", jacobian_plus_outer),
        ("off_diagonal_sign", jacobian_positive_off_diagonal),
        ("sign_flip", jacobian_sign_flipped),
        ("wrong_values", jacobian_inner_product, "inner product"),
        ("wrong_values", jacobian_elementwise, "elementwise square"),
        ("no_max_subtraction", jacobian_naive_softmax),
        ("no_max_subtraction", jacobian_min_shift, SHIFT),
        ("no_max_subtraction", jacobian_mean_shift, SHIFT),
        ("dtype", jacobian_zeros_float64),
        ("dtype", jacobian_zeros_like, "np.zeros_like(logits) inherit the integer dtype"),
        ("mutates_input", jacobian_in_place),
        ("raised", jacobian_of_five),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_shape", cu.softmax),
    ],
    "check_softmax_backward": [
        ("not_implemented", stub_two_arguments),
        ("missing_dot_term", backward_missing_dot),
        ("off_diagonal_sign", backward_plus_dot),
        ("off_diagonal_sign", backward_flipped_jacobian),
        ("diagonal_only_jacobian", backward_diagonal_only),
        ("missing_dot_term", backward_plain_mean, "plain mean"),
        ("wrong_values", backward_missing_probs, "without the factor σ"),
        ("sign_flip", backward_sign_flipped),
        ("raised", backward_np_dot),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_axis", backward_dot_columns, "COLUMNS"),
        ("wrong_axis", backward_dot_whole, "WHOLE batch"),
        ("mutates_input", backward_in_place),
        ("dtype", backward_float64),
        ("wrong_values", backward_divides_by_probs),
        ("wrong_shape", backward_flattened, "returned shape (20,)"),
        ("raised", stub_raises),
    ],
    "check_cross_entropy": [
        ("not_implemented", stub_loss),
        ("not_averaged", loss_per_sample, "one loss per sample"),
        ("not_averaged", loss_summed, "SUM of the per-sample losses"),
        ("averaged_twice", loss_averaged_twice),
        ("divided_by_class_count", loss_by_classes, "number of classes D = 5"),
        ("divided_by_class_count", loss_mean_of_one_hot, "N·D = 20"),
        ("sign_flip", loss_sign_flipped, "loss is negative"),
        ("sign_flip", loss_summed_sign_flipped, "loss is negative"),
        ("wrong_axis", loss_columns),
        ("no_max_subtraction", loss_naive),
        ("no_max_subtraction", loss_subtracts_min, SHIFT),
        ("no_max_subtraction", loss_subtracts_mean, SHIFT),
        ("log_eps", loss_log_eps),
        ("log_eps", loss_log_probs),
        ("log_eps", loss_one_hot_log),
        ("log_eps", loss_big_eps),
        ("mutates_input", loss_in_place),
        ("dtype", loss_copy_then_in_place),
        ("wrong_values", loss_every_row, "N×N block"),
        ("raised", loss_raises),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_shape", cu.cross_entropy_backward),
    ],
    "check_cross_entropy_backward": [
        ("not_implemented", stub_loss),
        ("not_averaged", grad_not_averaged),
        ("averaged_twice", grad_averaged_twice),
        ("divided_by_class_count", grad_by_classes, "number of classes D = 5"),
        ("divided_by_class_count", grad_by_every_entry, "N·D = 20"),
        ("sign_flip", grad_sign_flipped),
        ("wrong_axis", grad_columns),
        ("no_max_subtraction", grad_naive),
        ("no_max_subtraction", grad_subtracts_min, SHIFT),
        ("no_max_subtraction", grad_subtracts_mean, SHIFT),
        ("dtype", grad_eye_float64),
        ("dtype", grad_zeros_like, "np.zeros_like(logits)"),
        ("wrong_values", grad_every_row, "EVERY row"),
        ("wrong_values", grad_without_targets, "subtract the one-hot targets"),
        ("wrong_values", grad_uses_logits, "uses the logits where the probabilities belong"),
        ("diagonal_only_jacobian", grad_diagonal_only),
        ("mutates_input", grad_in_place),
        ("raised", grad_one_hot_of_batch_size, "IndexError"),
        ("raised", exits, "sys.exit(), exit() and quit()"),
        ("timed_out", loops_forever),
        ("wrong_shape", grad_returns_loss),
    ],
}

CORRECT = {
    "check_softmax": [cu.softmax, _stable_softmax, softmax_via_logsumexp, softmax_scipy],
    "check_log_softmax": [cu.log_softmax, _log_probs, log_softmax_scipy],
    "check_softmax_jacobian": [cu.softmax_jacobian, jacobian_outer, jacobian_loops, jacobian_broadcast],
    "check_softmax_backward": [cu.softmax_backward, backward_dot, backward_full_jacobian, backward_einsum],
    "check_cross_entropy": [cu.cross_entropy, loss_logsumexp, loss_scipy],
    "check_cross_entropy_backward": [cu.cross_entropy_backward, grad_subtract_one, grad_scipy],
}
