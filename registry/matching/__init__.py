"""Record linkage: which work a source record belongs to, by hard rules and by a trained model."""

from registry.matching.assign import Assignment, Claim, assign_works

__all__ = ["Assignment", "Claim", "assign_works"]
