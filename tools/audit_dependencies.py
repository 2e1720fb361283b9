"""Run pip-audit for `make security` (on the locked versions: `-r requirements-dev.lock`).

Fails (exit 1) on a known vulnerability. When the vulnerability index cannot be reached, says so
and passes (exit 0): offline, or behind a package mirror that has no PyPI JSON API, pip-audit
either cannot connect or finds no package at all, and reports "No known vulnerabilities found",
which would be a false all-clear. Usage: python -m tools.audit_dependencies [PIP_AUDIT...]
"""

from __future__ import annotations

import json
import subprocess  # nosec B404  # runs pip-audit: a fixed command, no shell
import sys
from dataclasses import dataclass
from typing import Any

#: Words in pip-audit's error output that mean the index could not be reached.
UNREACHABLE_SIGNS = ("ConnectionError", "ProxyError", "ConnectTimeout", "ReadTimeout",
                     "Max retries exceeded", "Name or service not known",
                     "Temporary failure in name resolution", "Failed to establish",
                     "SSLError", "ServiceError")
NOT_FOUND = "not found on PyPI"


@dataclass(frozen=True)
class Verdict:
    exit_code: int
    message: str


def _vulnerabilities(report: dict[str, Any]) -> list[str]:
    found = []
    for dependency in report.get("dependencies", []):
        for vulnerability in dependency.get("vulns", []):
            fixes = ", ".join(vulnerability.get("fix_versions", [])) or "none yet"
            found.append(f"{dependency['name']} {dependency.get('version', '?')}: "
                         f"{vulnerability.get('id', '?')} (fixed in: {fixes})")
    return found


def judge(returncode: int, stdout: str, stderr: str) -> Verdict:
    """Turn pip-audit's exit code and JSON output into the verdict for the build."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if report is None:
        if any(sign in stderr for sign in UNREACHABLE_SIGNS):
            return Verdict(0, "pip-audit: the vulnerability index could not be reached "
                              "(no network?); dependencies NOT audited.")
        return Verdict(1, f"pip-audit failed (exit code {returncode}):\n{stderr.strip()}")
    vulnerabilities = _vulnerabilities(report)
    if vulnerabilities:
        return Verdict(1, "pip-audit: known vulnerabilities:\n  " + "\n  ".join(vulnerabilities))
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if NOT_FOUND in d.get("skip_reason", "")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        return Verdict(0, f"pip-audit: the vulnerability index could not be reached (none of the "
                          f"{len(dependencies)} packages was found there, as with a mirror "
                          "without PyPI's JSON API); dependencies NOT audited.")
    note = f" ({len(skipped)} not in the index)" if skipped else ""
    return Verdict(0, f"pip-audit: {len(audited)} packages audited, no known vulnerability{note}.")


def main(argv: list[str]) -> int:
    """Run pip-audit and print the verdict; return the exit code for the build."""
    command = argv or [sys.executable, "-m", "pip_audit"]
    result = subprocess.run(  # noqa: S603  # nosec B603  # fixed command, no shell
        [*command, "--format", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, check=False,
    )
    verdict = judge(result.returncode, result.stdout, result.stderr)
    print(verdict.message, file=sys.stderr if verdict.exit_code else sys.stdout)
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
