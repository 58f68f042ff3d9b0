"""Ranking: who is a candidate, how the features add up, and how ties are broken."""
from __future__ import annotations

import pytest

from domain.dispatch import FEATURES, haversine_km, mean_distance_km, rank
from domain.values import Category

from tests.unit.domain.dispatch.helpers import B1, B2, B3, SITES, job, policy, tech


def ids(candidates) -> list[int | None]:
    return [c.person_id for c in candidates]


def test_only_technicians_on_duty_with_the_category_skill_are_candidates() -> None:
    team = [tech(1), tech(2, skills={Category.ELECTRICAL}), tech(3, on_duty=False), tech(4)]
    assert ids(rank(job(), team, policy())) == [1, 4]


def test_equal_technicians_are_ranked_by_id_whatever_order_they_come_in() -> None:
    team = [tech(7), tech(3), tech(5)]
    assert ids(rank(job(), team, policy())) == [3, 5, 7]
    assert ids(rank(job(), list(reversed(team)), policy())) == [3, 5, 7]


def test_an_equal_score_goes_to_the_lighter_load_before_the_id() -> None:
    # 1: skill 1 + zone 1 - one job = 1; 2: skill 1 + zone 0 - no job = 1.
    team = [tech(1, zones={"1"}, open_jobs=1), tech(2, zones={"9"}, open_jobs=0)]
    ranking = rank(job(), team, policy(zone=1.0, load=1.0))
    assert ranking[0].score == pytest.approx(ranking[1].score)
    assert ids(ranking) == [2, 1]


def test_the_breakdown_names_every_feature_and_adds_up_to_the_score() -> None:
    best = rank(job(at=B3), [tech(1, zones={"9"}, open_jobs=2, done_today=4, position=B1)],
                policy(zone=2.0, load=1.5, distance=10.0, fairness=0.5))[0]
    assert [f.name for f in best.features] == list(FEATURES)
    assert best.score == pytest.approx(sum(f.points for f in best.features))
    assert best.feature("zone").points == 0.0
    assert best.feature("load").points == pytest.approx(-3.0)
    assert best.feature("distance").value == pytest.approx(haversine_km(B1, B3))
    assert best.feature("fairness").points == pytest.approx(-2.0)


@pytest.mark.parametrize(("zone", "load", "winner"), [(3.0, 1.0, 1), (1.0, 1.0, 2), (1.0, 0.2, 1)])
def test_zone_against_load_follows_the_weights(zone: float, load: float, winner: int) -> None:
    # 1 covers the building but holds two jobs; 2 is free but works elsewhere.
    team = [tech(1, zones={"1"}, open_jobs=2), tech(2, zones={"9"}, open_jobs=0)]
    assert rank(job(), team, policy(zone=zone, load=load))[0].person_id == winner


def test_the_nearer_technician_wins_when_all_else_is_equal() -> None:
    team = [tech(1, position=B3), tech(2, position=B1)]
    assert ids(rank(job(at=B1), team, policy(distance=5.0))) == [2, 1]


def test_an_unknown_position_counts_as_the_jobs_mean_distance_from_the_estates_buildings() -> None:
    nowhere = rank(job(at=B1), [tech(1, position=None)], policy())[0]
    assert nowhere.feature("distance").value == pytest.approx(mean_distance_km(B1, SITES))
    # So someone standing at the job still beats them, and someone at the far end loses to them.
    assert ids(rank(job(at=B1), [tech(1, position=None), tech(2, position=B1)], policy())) == [2, 1]
    assert ids(rank(job(at=B1), [tech(1, position=None), tech(2, position=B3)], policy())) == [1, 2]


def test_a_job_with_no_place_on_the_map_is_no_nearer_to_anyone() -> None:
    ranking = rank(job(building=None, at=None), [tech(1, position=B3), tech(2, position=B1)], policy())
    assert [c.feature("distance").value for c in ranking] == [0.0, 0.0]


def test_fairness_prefers_whoever_has_done_fewer_jobs_today() -> None:
    team = [tech(1, done_today=5), tech(2, done_today=1)]
    assert ids(rank(job(), team, policy(fairness=0.3))) == [2, 1]


def test_a_decline_excludes_the_decliner_and_only_them() -> None:
    team = [tech(1), tech(2), tech(3)]
    assert ids(rank(job(declined_by=frozenset({1})), team, policy())) == [2, 3]


def test_haversine_gives_known_distances() -> None:
    assert haversine_km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111.195, abs=0.01)
    assert haversine_km(B1, B2) == pytest.approx(0.0856, abs=0.001)  # buildings 1 and 2, about 86 m
    assert haversine_km(B1, B2) == pytest.approx(haversine_km(B2, B1))
    assert haversine_km(B3, B3) == 0.0


def test_whoever_is_left_out_of_the_ranking_is_told_apart_declining_first() -> None:
    from domain.dispatch import PassedOver, passed_over

    needs = job(declined_by=frozenset({1, 2}))
    team = {1: tech(1), 2: tech(2, on_duty=False), 3: tech(3, on_duty=False), 4: tech(4, skills={Category.GAS}),
            5: tech(5)}
    why = {pid: passed_over(needs, t.person) for pid, t in team.items()}
    assert why == {1: PassedOver.DECLINED, 2: PassedOver.DECLINED, 3: PassedOver.OFF_DUTY, 4: PassedOver.NO_SKILL,
                   5: None}
    assert ids(rank(needs, list(team.values()), policy())) == [5]  # exactly those with no reason
