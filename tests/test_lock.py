"""The lock files: every dependency pinned with hashes, and what is installed is what is locked."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.\-]*)==(\S+) \\$", re.MULTILINE)


def _locked(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return {canonicalize_name(package): version for package, version in PIN.findall(text)}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _declared(extra: str | None = None) -> set[str]:
    project = _pyproject()["project"]
    declared = project["dependencies"]
    if extra:
        declared = declared + project["optional-dependencies"][extra]
    return {canonicalize_name(Requirement(line).name) for line in declared}


@pytest.mark.parametrize(("lock", "extra"), [("requirements.lock", None),
                                             ("requirements-dev.lock", "dev")])
def test_lock_pins_every_declared_dependency(lock, extra):
    assert _declared(extra) - set(_locked(lock)) == set()


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_lock_pins_the_build_backend_that_the_editable_install_uses(lock):
    # `make run` and `make test` install Polare itself with --no-build-isolation: the build
    # backend must come from the lock, or a fresh venv cannot build it.
    backend = {canonicalize_name(Requirement(line).name)
               for line in _pyproject()["build-system"]["requires"]}
    assert backend - set(_locked(lock)) == set()


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_a_hash(lock):
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    pinned = [block for block in blocks if PIN.match(block)]
    assert pinned
    assert [block.split()[0] for block in pinned if "--hash=sha256:" not in block] == []


def test_runtime_and_dev_locks_agree_on_shared_packages():
    runtime, dev = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert {name: (version, dev.get(name)) for name, version in runtime.items()
            if dev.get(name) != version} == {}


def test_installed_packages_are_the_locked_versions():
    locked = _locked("requirements-dev.lock")
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version
                 for dist in metadata.distributions()}
    differ = {name: (version, installed.get(name)) for name, version in locked.items()
              if name in installed and installed[name] != version}
    assert differ == {}, "run `make test` (it installs the lock) or `make lock` after a change"
