"""The pip-audit step of `make test`: fails on a known vulnerability, passes when unreachable."""

from __future__ import annotations

import json
import sys

from tools.audit_dependencies import judge, main

VULNERABLE = {"dependencies": [
    {"name": "flask", "version": "3.1.3", "vulns": []},
    {"name": "jinja2", "version": "2.10", "vulns": [
        {"id": "PYSEC-2019-217", "fix_versions": ["2.10.1"], "aliases": ["CVE-2019-10906"]}]},
], "fixes": []}
CLEAN = {"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []},
                          {"name": "polare", "skip_reason": "Dependency not found on PyPI and "
                                                            "could not be audited: polare"}]}
NOTHING_FOUND = {"dependencies": [
    {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name}"}
    for name in ("flask", "sqlalchemy")]}


def test_a_known_vulnerability_fails_the_build():
    verdict = judge(1, json.dumps(VULNERABLE), "")
    assert verdict.exit_code == 1
    assert "jinja2 2.10: PYSEC-2019-217 (fixed in: 2.10.1)" in verdict.message


def test_audited_dependencies_without_vulnerabilities_pass():
    verdict = judge(0, json.dumps(CLEAN), "")
    assert verdict.exit_code == 0
    assert "1 packages audited" in verdict.message


def test_an_index_that_knows_no_package_is_reported_as_unreachable_and_passes():
    verdict = judge(0, json.dumps(NOTHING_FOUND), "")
    assert verdict.exit_code == 0
    assert "could not be reached" in verdict.message


def test_no_network_is_reported_as_unreachable_and_passes():
    stderr = "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/x/json"
    verdict = judge(1, "", stderr)
    assert verdict.exit_code == 0
    assert "could not be reached" in verdict.message


def test_any_other_pip_audit_failure_fails_the_build():
    verdict = judge(1, "", "ValueError: bad requirement")
    assert verdict.exit_code == 1


def test_the_gate_fails_when_pip_audit_reports_a_vulnerability(tmp_path, capsys):
    fake = tmp_path / "fake_pip_audit.py"
    fake.write_text(f"import sys\nprint({json.dumps(json.dumps(VULNERABLE))})\nsys.exit(1)\n")
    assert main([sys.executable, str(fake)]) == 1
    assert "PYSEC-2019-217" in capsys.readouterr().err
