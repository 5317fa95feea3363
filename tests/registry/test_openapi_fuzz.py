"""The registry's OpenAPI document against what the server does: schemathesis generates
requests from the document (valid and invalid) and checks every answer against it; no
request may produce a server error."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "target" / "debug" / "portfolio-registry"
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
SEED = "20261126"


@pytest.fixture
def registry(tmp_path):
    db = f"sqlite://{tmp_path / 'registry.db'}"

    def token(user, role="admin"):
        out = subprocess.run(
            [REGISTRY, "--database-url", db, "token", "create", "--user", user, "--role", role],
            check=True, capture_output=True, text=True,
        )
        return out.stdout.strip()

    server = subprocess.Popen(
        [REGISTRY, "--database-url", db, "serve", "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "RUST_LOG": "warn"},
    )
    url = server.stdout.readline().strip().removeprefix("listening on ")
    yield url, token
    server.terminate()
    server.wait(timeout=20)


def fuzz(url, token, *selection):
    run = subprocess.run(
        [SCHEMATHESIS, "run", f"{url}/api/v1/openapi.json",
         "-H", f"Authorization: Bearer {token}",
         "--checks", "all", "--max-examples", "40", "--seed", SEED, "--workers", "2",
         "--no-color", *selection],
        capture_output=True, text=True, timeout=600,
    )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    tested = re.search(r"Tested: (\d+)", report)
    assert tested and int(tested.group(1)) > 0, report
    return report


def test_every_operation_answers_as_its_document_says(registry):
    url, token = registry
    # Revoking and rotating would take the fuzzer's own token away mid-run: they get theirs.
    report = fuzz(url, token("fuzz@example.org"),
                  "--exclude-method", "DELETE", "--exclude-path-regex", "rotate$")
    assert "Authentication failed" not in report, report
    fuzz(url, token("fuzz-tokens@example.org"),
         "--include-path-regex", r"^/api/v1/tokens/\{id\}")
