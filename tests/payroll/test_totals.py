from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from payroll import (
    LineKind,
    PayLine,
    TeamTotal,
    grand_total,
    negative_totals,
    person_totals,
    team_totals,
)


def line(person_id: int, amount: str, team: str = "Ryd", walk_id: int = 1) -> PayLine:
    """Return a line of November 2026 for a person, team and walk."""
    return PayLine(
        period="2026-11",
        kind=LineKind.CORRECTION if amount.startswith("-") else LineKind.ORDINARY,
        participation_id=person_id * 100 + walk_id,
        person_id=person_id,
        walk_id=walk_id,
        walk_date=date(2026, 11, 5),
        age=17,
        years=1,
        version_id=1,
        band_label="15–17 år, 1 år i verksamheten",
        amount=Decimal(amount),
        team=team,
    )


def test_person_totals_sum_each_persons_lines() -> None:
    lines = [line(2, "500.00"), line(1, "600.00"), line(2, "-100.00", walk_id=2)]
    assert person_totals(lines) == {1: Decimal("600.00"), 2: Decimal("400.00")}


def test_negative_person_total_is_flagged() -> None:
    lines = [line(1, "500.00"), line(2, "-500.00"), line(3, "0.00")]
    assert negative_totals(lines) == {2: Decimal("-500.00")}


def test_team_totals_count_persons_walks_and_amount() -> None:
    lines = [
        line(1, "500.00", walk_id=1),
        line(2, "500.00", walk_id=1),
        line(1, "550.00", walk_id=2),
        line(3, "600.00", team="Berga", walk_id=3),
    ]
    assert team_totals(lines) == {
        "Berga": TeamTotal("Berga", persons=1, walks=1, amount=Decimal("600.00")),
        "Ryd": TeamTotal("Ryd", persons=2, walks=2, amount=Decimal("1550.00")),
    }


def test_totals_of_no_lines_are_empty() -> None:
    assert (person_totals([]), team_totals([]), grand_total([])) == ({}, {}, Decimal("0.00"))


@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.decimals(min_value=-1000, max_value=1000, places=2),
            st.sampled_from(["Ryd", "Berga", "Skäggetorp"]),
        ),
        max_size=20,
    )
)
def test_person_and_team_totals_agree_to_the_ore(
    drawn: list[tuple[int, Decimal, str]],
) -> None:
    lines = [line(person, str(amount), team) for person, amount, team in drawn]
    by_person = sum(person_totals(lines).values(), Decimal(0))
    by_team = sum((total.amount for total in team_totals(lines).values()), Decimal(0))
    assert by_person == by_team == grand_total(lines)
