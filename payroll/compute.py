"""Compute the lines of an open pay period from current data and frozen lines (SPEC §7)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from payroll.errors import LineError, NoBandError, NoRateInForceError, PeriodClosedError
from payroll.lines import PAYMENT_KINDS, FrozenLine, LineKind, PayLine, PeriodResult
from payroll.money import to_money
from payroll.periods import earliest_open, is_closed, is_outside, month_of
from payroll.rates import RateVersion
from payroll.stipend import Explanation, Participation, stipend_for

REASON_REMOVED = "Deltagaren borttagen från passet"
REASON_NOT_PAYABLE = "Närvaro ändrad / ej längre godkänd"
REASON_PAYABLE_AGAIN = "Närvaro godkänd igen"
REASON_NEW_AMOUNT = "Nytt belopp (ålder/år/tabell ändrad)"


class _History:
    """The frozen lines of one participation: the line that paid it, and their sum."""

    def __init__(self, lines: Sequence[FrozenLine]) -> None:
        payments = [line for line in lines if line.kind in PAYMENT_KINDS]
        if len(payments) != 1:
            raise ValueError(
                f"participation {lines[0].participation_id} has {len(payments)} frozen "
                "ordinary or late lines; expected exactly one"
            )
        self.original = payments[0]
        self.paid = sum((line.amount for line in lines), Decimal("0.00"))


def _group_frozen(frozen_lines: Iterable[FrozenLine]) -> dict[int, _History]:
    """Group frozen lines by participation."""
    grouped: dict[int, list[FrozenLine]] = defaultdict(list)
    for line in frozen_lines:
        grouped[line.participation_id].append(line)
    return {pid: _History(lines) for pid, lines in grouped.items()}


def _index_participations(participations: Iterable[Participation]) -> dict[int, Participation]:
    """Index participations by id, refusing duplicates."""
    indexed: dict[int, Participation] = {}
    for participation in participations:
        if participation.participation_id in indexed:
            raise ValueError(f"participation {participation.participation_id} given twice")
        indexed[participation.participation_id] = participation
    return indexed


def _descriptive(p: Participation | PayLine) -> dict:
    """Return the fields a line passes through from its participation or original line."""
    return {
        "participation_id": p.participation_id,
        "person_id": p.person_id,
        "walk_id": p.walk_id,
        "walk_date": p.walk_date,
        "team": p.team,
        "district": p.district,
        "start": p.start,
        "end": p.end,
        "person_name": p.person_name,
        "personnummer": p.personnummer,
    }


def _explained(explanation: Explanation | PayLine) -> dict:
    """Return the fields that explain an amount, from an explanation or an original line."""
    return {
        "age": explanation.age,
        "years": explanation.years,
        "version_id": explanation.version_id,
        "band_label": explanation.band_label,
        "band_age_from": explanation.band_age_from,
        "band_age_to": explanation.band_age_to,
        "band_years_from": explanation.band_years_from,
        "band_years_to": explanation.band_years_to,
    }


def _correction_reason(p: Participation | None, expected: Decimal, paid: Decimal) -> str:
    """Say in Swedish what changed since the frozen lines were computed."""
    if p is None:
        return REASON_REMOVED
    if expected == 0:
        return REASON_NOT_PAYABLE
    if paid == 0:
        return REASON_PAYABLE_AGAIN
    return REASON_NEW_AMOUNT


class _PeriodComputation:
    """Collects the lines and errors of one open period."""

    def __init__(
        self, month: str, versions: Sequence[RateVersion], latest_closed: str | None,
        first_period: str | None,
    ) -> None:
        self.month = month
        self.versions = versions
        self.latest_closed = latest_closed
        self.first_period = first_period
        self.takes_arrears = month == earliest_open(latest_closed)
        self.lines: list[PayLine] = []
        self.errors: list[tuple[tuple, LineError]] = []

    def explain(self, p: Participation) -> Explanation | None:
        """Return the stipend of a payable participation, or record why there is none."""
        try:
            return stipend_for(p, self.versions)
        except (NoRateInForceError, NoBandError) as exc:
            self.errors.append(((p.walk_date, p.walk_id, p.participation_id), exc.line_error()))
            return None

    def pay(self, p: Participation) -> None:
        """Add the ordinary or late line of a payable participation never paid before."""
        walk_month = month_of(p.walk_date)
        if is_outside(walk_month, self.first_period):
            return
        if walk_month == self.month:
            kind, reason = LineKind.ORDINARY, ""
        elif self.takes_arrears and is_closed(walk_month, self.latest_closed):
            kind, reason = LineKind.LATE, f"Efterregistrering från {walk_month}"
        else:
            return
        explanation = self.explain(p)
        if explanation is not None:
            self.lines.append(
                PayLine(
                    period=self.month,
                    kind=kind,
                    amount=explanation.amount,
                    reason=reason,
                    **_explained(explanation),
                    **_descriptive(p),
                )
            )

    def correct(self, p: Participation | None, history: _History) -> None:
        """Add a correction when what is due now differs from what the frozen lines paid."""
        explanation = None
        if p is not None and p.payable:
            explanation = self.explain(p)
            if explanation is None:
                return
        expected = explanation.amount if explanation is not None else Decimal("0.00")
        if expected == history.paid:
            return
        self.lines.append(
            PayLine(
                period=self.month,
                kind=LineKind.CORRECTION,
                amount=to_money(expected - history.paid),
                refers_to=history.original.line_id,
                reason=_correction_reason(p, expected, history.paid),
                **_explained(explanation or history.original),
                **_descriptive(p or history.original),
            )
        )

    def result(self) -> PeriodResult:
        """Return the lines in their fixed order, and the distinct errors in walk order."""
        errors = dict.fromkeys(message for _, message in sorted(self.errors))
        lines = sorted(self.lines, key=PayLine.sort_key)
        return PeriodResult(period=self.month, lines=tuple(lines), errors=tuple(errors))


def compute_period(
    month: str,
    participations: Iterable[Participation],
    versions: Iterable[RateVersion],
    frozen_lines: Iterable[FrozenLine],
    latest_closed: str | None,
    first_period: str | None = None,
) -> PeriodResult:
    """Compute the lines of an open month; the same data always gives the same lines.

    The month pays its own payable participations; the earliest open month also pays what
    was never paid in closed months (late entries) and corrects frozen lines whose amount
    no longer matches the data. Walks before first_period are outside Polare's payroll and
    never paid (None: no month is outside).
    """
    if is_closed(month, latest_closed):
        raise PeriodClosedError(f"Perioden {month} är stängd och kan inte räknas om")
    by_id = _index_participations(participations)
    histories = _group_frozen(frozen_lines)
    if histories and latest_closed is None:
        raise ValueError("frozen lines given although no period is closed")
    computation = _PeriodComputation(month, tuple(versions), latest_closed, first_period)
    for pid in sorted(by_id):
        if by_id[pid].payable and pid not in histories:
            computation.pay(by_id[pid])
    if computation.takes_arrears:
        for pid in sorted(histories):
            computation.correct(by_id.get(pid), histories[pid])
    return computation.result()
