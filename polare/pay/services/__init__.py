"""Services of the stipend payroll: rate versions, periods, closing, exports.

Services take explicit inputs, flush but never commit, raise DomainError with a code and
its values (worded by `polare.pay.wording`), and write audit entries.
"""

from polare.pay.services.attestation import attest_period, attest_refusal, reopen_period
from polare.pay.services.details import (
    LineDetail,
    PersonSummary,
    Summary,
    TeamRow,
    VersionName,
    local_time,
)
from polare.pay.services.facts import Facts, YearsInProgramme, load_facts, load_versions
from polare.pay.services.periods import (
    PeriodPreview,
    PeriodRow,
    check_month,
    close_period,
    list_periods,
    lock_period,
    outside_before,
    preview_period,
)
from polare.pay.services.persons import PersonStipends, stipend_lines_of_person
from polare.pay.services.rates import (
    IndexationPreview,
    VersionSummary,
    decide_rate_version,
    get_rate_version,
    in_closed_period,
    index_rates,
    is_used_by_closed_period,
    list_rate_versions,
    preview_indexation,
    save_rate_version,
    source_for_indexation,
    version_by_date,
    version_in_force_on,
    version_title,
)
from polare.pay.services.workbook import (
    WorkbookExport,
    export_workbook,
    exports_of,
    workbook_filename,
)

__all__ = [
    "Facts",
    "IndexationPreview",
    "LineDetail",
    "PeriodPreview",
    "PeriodRow",
    "PersonStipends",
    "PersonSummary",
    "Summary",
    "TeamRow",
    "VersionName",
    "VersionSummary",
    "WorkbookExport",
    "YearsInProgramme",
    "attest_period",
    "attest_refusal",
    "check_month",
    "close_period",
    "decide_rate_version",
    "export_workbook",
    "exports_of",
    "get_rate_version",
    "in_closed_period",
    "index_rates",
    "is_used_by_closed_period",
    "list_periods",
    "list_rate_versions",
    "local_time",
    "load_facts",
    "load_versions",
    "lock_period",
    "outside_before",
    "preview_indexation",
    "preview_period",
    "reopen_period",
    "save_rate_version",
    "source_for_indexation",
    "stipend_lines_of_person",
    "version_by_date",
    "version_in_force_on",
    "version_title",
    "workbook_filename",
]
