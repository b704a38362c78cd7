"""The synthetic Hengyang course used by ``lvzhi demo`` and the tests."""

from lvzhi.samples.course import (
    DELEGATIONS,
    SUGGESTION_TAXONOMY,
    Course,
    make_course,
    make_names,
)

__all__ = ["DELEGATIONS", "SUGGESTION_TAXONOMY", "Course", "make_course", "make_names"]
