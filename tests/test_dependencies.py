"""Every package the code imports is pinned, and the lock files agree with the pins."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PACKAGES = {"clinic", "blog", "booking", "demo", "bench", "tests"}
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path):
    text = path.read_text()
    found = {canonical(name): version for name, version in PIN.findall(text)}
    for included in re.findall(r"^-r\s+(\S+)", text, re.MULTILINE):
        found.update(pins(path.parent / included))
    return found


def imported_distributions(folders):
    """Distributions providing the third-party modules imported under these folders."""
    providers = packages_distributions()
    found = {}
    for folder in folders:
        for source in (ROOT / folder).rglob("*.py"):
            if "migrations" in source.parts:  # written by makemigrations, not by us
                continue
            for node in ast.walk(ast.parse(source.read_text(), str(source))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in PROJECT_PACKAGES or top in sys.stdlib_module_names:
                        continue
                    for distribution in providers.get(top, [top]):
                        found.setdefault(canonical(distribution), source.relative_to(ROOT))
    return found


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_the_lock_file_holds_every_direct_pin_at_its_version(requirements, lock):
    direct, locked = pins(ROOT / requirements), pins(ROOT / lock)
    stale = {
        name: (version, locked.get(name))
        for name, version in direct.items()
        if locked.get(name) != version
    }
    assert not stale, f"run `make lock`: {lock} disagrees with {requirements}: {stale}"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_its_hashes(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text().split("\n", 2)[2])
    unhashed = [
        entry.split()[0] for entry in entries if "==" in entry and "--hash=sha256:" not in entry
    ]
    assert not unhashed


def test_every_package_the_site_imports_is_pinned_directly():
    direct = pins(ROOT / "requirements.txt")
    missing = {
        name: str(where)
        for name, where in imported_distributions(["clinic", "blog", "booking", "demo"]).items()
        if name not in direct
    }
    assert not missing, f"imported but not pinned in requirements.txt: {missing}"


def test_every_package_the_tests_and_tools_import_is_pinned_directly():
    direct = pins(ROOT / "requirements-dev.txt")
    missing = {
        name: str(where)
        for name, where in imported_distributions(["tests", "bench"]).items()
        if name not in direct
    }
    assert not missing, f"imported but not pinned in requirements-dev.txt: {missing}"
