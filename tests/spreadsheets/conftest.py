"""Spreadsheet tests: the `portfolio` CLI writes and reads files on a fresh store per test;
readers we did not write (openpyxl, LibreOffice) check what it wrote."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "target" / "debug" / "portfolio"
OMB = ROOT.parent / "shared" / "data" / "omb-2025"


class Store:
    def __init__(self, path: Path):
        self.path = path
        self.dir = path.parent

    def run(self, *args, check=True):
        """Runs the CLI on this store; returns the completed process."""
        p = subprocess.run(
            [str(CLI), "--db", str(self.path), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and p.returncode != 0:
            raise AssertionError(f"portfolio {' '.join(map(str, args))}: {p.stderr}")
        return p

    def json(self, *args):
        return json.loads(self.run(*args, "--json").stdout)

    def count(self):
        return len(self.json("list", "--include-archived"))


@pytest.fixture
def store(tmp_path):
    assert CLI.exists(), "the CLI is not built: cargo build -p portfolio-cli"
    s = Store(tmp_path / "portfolio.db")
    s.run("init", "--name", "Ada Lovelace", "--email", "ada@example.org")
    return s


@pytest.fixture
def demo(store):
    store.run("demo")
    return store


def soffice(*args, cwd):
    """LibreOffice headless; a private profile so parallel runs do not collide."""
    exe = shutil.which("soffice")
    assert exe, "LibreOffice is not installed (scripts/setup-system.sh installs it)"
    profile = Path(cwd) / "lo-profile"
    return subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
    )
