"""Builds the bundled example (also in every shipped language besides English, as
`example-<code>`, and bilingual as `example-en-es`) and the fixture sites once per test session with the lantern binary named by
$LANTERN_BIN (scripts/test sets it), into temporary folders."""

import os
import re
import shutil
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
# The default theme's languages besides English: the example is built in each, so calendar
# names and descriptions in other scripts and accents go through every reader.
LANGUAGES = sorted(
    p.stem for p in (ROOT / "themes/default/translations").glob("*.yaml") if p.stem != "en"
)


def example_in(language, tmp_path_factory, line=None):
    """A copy of the example's records with `language:` set to `language` (or the site.yaml
    line `line` in its place)."""
    site = tmp_path_factory.mktemp(f"example-{language}-src")
    shutil.copytree(ROOT / "content", site / "content")
    yaml = site / "content/site.yaml"
    line = line or f"language: {language}"
    text, n = re.subn(r"(?m)^language: en$", line, yaml.read_text())
    assert n == 1, "the example's site.yaml sets `language: en` on a line of its own"
    yaml.write_text(text)
    return site


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    binary = os.environ.get("LANTERN_BIN")
    if not binary or not Path(binary).is_file():
        pytest.fail("set LANTERN_BIN to the lantern binary (scripts/test does)")
    out = {}
    sites = dict(SITES)
    for language in LANGUAGES:
        sites[f"example-{language}"] = example_in(language, tmp_path_factory)
    # A bilingual build: its Spanish feeds under es/ go through every reader too.
    sites["example-en-es"] = example_in("en-es", tmp_path_factory, "languages: [en, es]")
    for name, site in sites.items():
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
