"""The dependency locks: every requirement pinned, the two locks agree, and this is what runs.

`make setup` installs requirements-dev.lock (hash-checked) and the Dockerfile requirements.lock;
`make lock` regenerates both. These tests fail when pyproject.toml gains or tightens a
requirement without `make lock`, so CI never tests something a fresh clone would not install.
"""

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _pins(lock: str) -> dict[str, tuple[Version, Marker | None]]:
    """name -> (pinned version, environment marker) from a `uv pip compile` hashed lock."""
    pins: dict[str, tuple[Version, Marker | None]] = {}
    requirement: Requirement | None = None
    for line in (ROOT / lock).read_text().splitlines():
        if line.startswith("    --hash=sha256:") and requirement is not None:
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", f"{lock}: {requirement} is not an exact pin"
            key = canonicalize_name(requirement.name)
            pins[key] = (Version(specifier.version), requirement.marker)
            requirement = None  # one hash is enough to know it is hashed
        elif line and line[0] not in " #-":
            assert requirement is None, f"{lock}: {requirement} has no hash"
            requirement = Requirement(line.removesuffix("\\").strip())
    assert requirement is None, f"{lock}: {requirement} has no hash"
    return pins


DEV = _pins("requirements-dev.lock")
RUNTIME = _pins("requirements.lock")
BUILD = [
    line
    for line in (ROOT / "build-requirements.in").read_text().splitlines()
    if line and not line.startswith("#")
]


def _requirements(lock: dict[str, tuple[Version, Marker | None]]) -> list[str]:
    wanted = list(PYPROJECT["project"]["dependencies"]) + BUILD
    if lock is DEV:
        wanted += PYPROJECT["project"]["optional-dependencies"]["dev"]
    return wanted


@pytest.mark.parametrize(
    ("name", "lock"), [("requirements-dev.lock", DEV), ("requirements.lock", RUNTIME)]
)
def test_every_requirement_is_pinned_within_its_range(
    name: str, lock: dict[str, tuple[Version, Marker | None]]
) -> None:
    for line in _requirements(lock):
        requirement = Requirement(line)
        pinned = lock.get(canonicalize_name(requirement.name))
        assert pinned, f"{requirement.name} is not in {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[0], prereleases=True), (
            f"{name} pins {requirement.name}=={pinned[0]}, outside {requirement.specifier}: "
            "run `make lock`"
        )


def test_build_requirements_cover_the_build_system() -> None:
    listed = {canonicalize_name(Requirement(line).name) for line in BUILD}
    for line in PYPROJECT["build-system"]["requires"]:
        assert canonicalize_name(Requirement(line).name) in listed


def test_the_runtime_lock_is_the_dev_lock_without_the_tools() -> None:
    """The image runs the very versions the suite tested."""
    for name, (version, _) in RUNTIME.items():
        assert name in DEV, f"{name} is in requirements.lock only"
        assert DEV[name][0] == version, f"{name}: {version} in the image, {DEV[name][0]} tested"
    for dev_only in ("pytest", "mypy", "ruff", "uv"):
        assert dev_only not in RUNTIME


def test_this_environment_was_installed_from_the_lock() -> None:
    """What the suite runs against is exactly what the lock pins (no resolver ran at setup)."""
    for name, (version, marker) in DEV.items():
        if marker is not None and not marker.evaluate():
            continue
        installed = Version(metadata.version(name))
        assert installed == version, f"{name} {installed} installed, {version} locked"
