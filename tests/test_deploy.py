"""The deployment files in docs/deploy/ are valid: systemd units (systemd-analyze verify,
where available), the cron line, and the example config."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from redactor.config import load_config
from tests.conftest import ROOT

DEPLOY = ROOT / "docs" / "deploy"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path: Path) -> None:
    # ExecStart must name an executable that exists: point it at this Python for the check
    service = (DEPLOY / "redactor-nightly.service").read_text()
    assert "/opt/redactor/.venv/bin/redactor run" in service
    (tmp_path / "redactor-nightly.service").write_text(
        service.replace("/opt/redactor/.venv/bin/redactor", sys.executable)
    )
    shutil.copy(DEPLOY / "redactor-nightly.timer", tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", "redactor-nightly.service", "redactor-nightly.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_service_settings_the_issue_asks_for() -> None:
    service = (DEPLOY / "redactor-nightly.service").read_text()
    timer = (DEPLOY / "redactor-nightly.timer").read_text()
    for setting in (
        "Type=oneshot",
        "UMask=0077",
        "LoadCredential=",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "RuntimeDirectory=redactor",
    ):
        assert setting in service
    assert "Persistent=true" in timer


def test_cron_line_uses_flock_and_a_umask() -> None:
    lines = [
        line
        for line in (DEPLOY / "redactor.cron").read_text().splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    (job,) = lines
    fields = job.split(None, 6)
    assert len(fields) == 7 and fields[5] == "redactor"  # min hour dom mon dow user command
    assert "flock -n" in fields[6] and "umask 077" in fields[6]


def test_example_config_loads() -> None:
    config = load_config(DEPLOY / "redactor.toml")
    assert config.store.startswith("s3://") and config.language == "pt"
