"""Predict, then reveal: a prediction about J is checked against J computed by the numerics."""

import pytest

from course_utils import exercises

LOGITS = [2.0, 1.0, 0.1]


def test_a_right_prediction_passes_and_reveals_j():
    result = exercises.check_prediction(LOGITS, largest=(0, 0), signs="+--\n-+-\n--+", rank=2)
    assert result.passed, repr(result)
    assert result.details.startswith("J = [[")


@pytest.mark.parametrize(
    ("prediction", "heading"),
    [
        ({"largest": (2, 2)}, "the largest entry is J[0, 0], not J[2, 2]"),
        ({"rank": 3}, "the rank of J is 2, not 3"),
        ({"signs": [["+", "+", "+"]] * 3}, "the sign pattern is"),
    ],
)
def test_a_wrong_prediction_names_what_was_wrong(prediction, heading):
    result = exercises.check_prediction(LOGITS, **prediction)
    assert (result.passed, result.diagnosis) == (False, "wrong_prediction")
    assert result.heading == heading


def test_equal_logits_tie_every_diagonal_entry_and_a_prediction_needs_a_property():
    assert exercises.check_prediction([0.0, 0.0, 0.0], largest=(1, 1)).passed
    assert exercises.check_prediction(LOGITS).diagnosis == "not_implemented"
    with pytest.raises(ValueError, match="3 rows of 3"):
        exercises.check_prediction(LOGITS, signs="++")
