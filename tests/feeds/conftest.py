"""Builds the bundled example and the fixture sites once per test session with the lantern
binary named by $LANTERN_BIN (scripts/test sets it), into temporary folders."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITES = {
    "example": ROOT,
    "small": ROOT / "tests/fixtures/build/small",
    "zones": ROOT / "tests/fixtures/feeds/zones",
    "world": ROOT / "tests/fixtures/feeds/world",
}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    binary = os.environ.get("LANTERN_BIN")
    if not binary or not Path(binary).is_file():
        pytest.fail("set LANTERN_BIN to the lantern binary (scripts/test does)")
    out = {}
    for name, site in SITES.items():
        dest = tmp_path_factory.mktemp(name) / "public"
        subprocess.run(
            [binary, "build", "--site", str(site), "--output", str(dest)], check=True
        )
        out[name] = dest
    return out


@pytest.fixture(scope="session")
def feeds(built):
    """Every feed of every built site: {(site, relative path): bytes}."""
    found = {}
    for name, dest in built.items():
        for path in sorted(dest.rglob("*.ics")):
            found[(name, path.relative_to(dest).as_posix())] = path.read_bytes()
    assert len(found) > 100, f"only {len(found)} feeds were built"
    return found
