"""Sums of pay lines per person and per team (SPEC §7, §8)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from payroll.lines import PayLine

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TeamTotal:
    """What a period pays one team: distinct polare, distinct walks and the amount."""

    team: str
    persons: int
    walks: int
    amount: Decimal


def person_totals(lines: Iterable[PayLine]) -> dict[int, Decimal]:
    """Return each person's total, ordered by person id."""
    totals: dict[int, Decimal] = {}
    for line in lines:
        totals[line.person_id] = totals.get(line.person_id, ZERO) + line.amount
    return dict(sorted(totals.items()))


def negative_totals(lines: Iterable[PayLine]) -> dict[int, Decimal]:
    """Return the persons whose total is negative, to be exported as it is and flagged."""
    return {person: total for person, total in person_totals(lines).items() if total < 0}


def team_totals(lines: Iterable[PayLine]) -> dict[str, TeamTotal]:
    """Return each team's total, ordered by team name."""
    by_team: dict[str, list[PayLine]] = {}
    for line in lines:
        by_team.setdefault(line.team, []).append(line)
    return {
        team: TeamTotal(
            team=team,
            persons=len({line.person_id for line in team_lines}),
            walks=len({line.walk_id for line in team_lines}),
            amount=sum((line.amount for line in team_lines), ZERO),
        )
        for team, team_lines in sorted(by_team.items())
    }


def grand_total(lines: Iterable[PayLine]) -> Decimal:
    """Return the sum of all lines."""
    return sum((line.amount for line in lines), ZERO)
