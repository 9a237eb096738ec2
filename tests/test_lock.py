"""The lock (requirements/*.txt) holds what pyproject.toml asks for, so a fresh machine installs the versions
CI tested. Offline: it reads the files only. `sh requirements/refresh` remakes the lock."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(path: Path) -> dict[str, tuple[Version, int]]:
    """Each locked package for this platform: its version and how many hashes it carries."""
    locked: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            package, version, marker = match.groups()
            name = canonicalize_name(package)
            if marker and not Requirement(f"x; {marker}").marker.evaluate():  # type: ignore[union-attr]
                name = ""
                continue
            assert name not in locked, f"{path.name}: {name} pinned twice"
            locked[name] = (Version(version), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = locked[name]
            locked[name] = (version, hashes + 1)
    return locked


RUNTIME = pins(ROOT / "requirements" / "runtime.txt")
DEV = pins(ROOT / "requirements" / "dev.txt")


def wanted(specs: list[str]) -> list[Requirement]:
    environment = default_environment()
    return [r for r in map(Requirement, specs) if r.marker is None or r.marker.evaluate(environment)]


def brought_by_extras(requirement: Requirement) -> list[str]:
    """What the requirement's extras add (`psycopg[binary]`: psycopg-binary), from the installed
    package's metadata: offline, and the same release the lock pins once installed from it."""
    if not requirement.extras:
        return []
    environment = default_environment()
    names = []
    for line in importlib.metadata.requires(requirement.name) or []:
        needed = Requirement(line)
        if needed.marker is None or needed.marker.evaluate({**environment, "extra": ""}):
            continue  # not an extra's
        if any(needed.marker.evaluate({**environment, "extra": extra}) for extra in requirement.extras):
            names.append(canonicalize_name(needed.name))
    return names


def disagreements(lock: dict[str, tuple[Version, int]], requirements: list[str]) -> list[str]:
    found = []
    for requirement in wanted(requirements):
        name = canonicalize_name(requirement.name)
        if name not in lock:
            found.append(f"{name} is not in the lock")
        elif not requirement.specifier.contains(lock[name][0], prereleases=True):
            found.append(f"{name}=={lock[name][0]} does not satisfy {requirement.specifier}")
        found += [
            f"{extra} ({requirement}) is not in the lock"
            for extra in brought_by_extras(requirement)
            if extra not in lock
        ]
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        (RUNTIME, PROJECT["dependencies"]),
        (DEV, PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]),
    ],
    ids=["runtime", "dev"],
)
def test_the_lock_satisfies_pyproject(lock: dict[str, tuple[Version, int]], requirements: list[str]) -> None:
    found = disagreements(lock, requirements)
    assert found == [], "run `sh requirements/refresh`: " + "; ".join(found)


def test_every_pin_carries_hashes_and_both_locks_agree() -> None:
    assert all(hashes for _, hashes in RUNTIME.values())
    assert all(hashes for _, hashes in DEV.values())
    differ = {name: (version, DEV.get(name, (None,))[0]) for name, (version, _) in RUNTIME.items()}
    assert {n: v for n, v in differ.items() if v[0] != v[1]} == {}, "runtime and dev pin different versions"


def test_a_stale_lock_is_caught() -> None:
    """The check itself fails when pyproject.toml moves past the lock or adds a package."""
    babel = RUNTIME["babel"][0]
    assert disagreements(RUNTIME, [f"babel>{babel}", "not-a-locked-package>=1", f"Babel=={babel}"]) == [
        f"babel=={babel} does not satisfy >{babel}",
        "not-a-locked-package is not in the lock",
    ]
    assert disagreements(RUNTIME, ["psycopg[binary,pool]>=3.2"]) == [
        "psycopg-pool (psycopg[binary,pool]>=3.2) is not in the lock"
    ]
