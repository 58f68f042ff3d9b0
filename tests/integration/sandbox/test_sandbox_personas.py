"""The demo personas match the Foundation issue's sandbox users."""
from __future__ import annotations

from sandbox import demo_personas


def test_the_demo_personas_are_the_foundation_issues_people() -> None:
    people = {p.user_id: p for p in demo_personas()}
    assert sorted(people) == [1001, 1002, 1003, 2001, 2002, 2003, 3001, 3002]
    assert people[1002].language_code == "en" and people[1001].language_code == "zh"
    assert {p.role for p in people.values()} == {"owner", "technician", "staff"}
    assert [p.user_id for p in people.values() if p.role == "staff"] == [3001, 3002]
