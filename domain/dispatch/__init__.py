"""Dispatch, pure: who should take a job and why, one job at a time or a backlog jointly (issue #10)."""
from __future__ import annotations

from domain.dispatch.batch import Assignment, BatchResult, Solver, assign_batch
from domain.dispatch.decision import (AssignTo, Backlog, Decision, Escalate, EscalationReason, LeaveToStaff,
                                      OfferPool, decide, nobody_because)
from domain.dispatch.geo import Coordinates, haversine_km, mean_distance_km
from domain.dispatch.model import (DispatchPolicy, JobNeeds, Mode, TechnicianState, Weights, decliners,
                                   is_available, needs_of)
from domain.dispatch.ranking import FEATURES, Candidate, Feature, PassedOver, passed_over, rank, score

__all__ = [
    "Assignment", "AssignTo", "Backlog", "BatchResult", "Candidate", "Coordinates", "Decision", "DispatchPolicy",
    "Escalate", "EscalationReason", "FEATURES", "Feature", "JobNeeds", "LeaveToStaff", "Mode", "OfferPool",
    "PassedOver", "Solver", "TechnicianState", "Weights", "assign_batch", "decide", "decliners", "haversine_km",
    "is_available", "mean_distance_km", "needs_of", "nobody_because", "passed_over", "rank", "score",
]
