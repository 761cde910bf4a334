"""The deployment files in docs/deploy/ are valid: systemd units (systemd-analyze verify,
where available), the cron line, and the example config."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

from redactor.config import load_config
from tests.conftest import ROOT

DEPLOY = ROOT / "docs" / "deploy"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_units_verify(tmp_path: Path) -> None:
    # ExecStart must name an executable that exists: point it at this Python for the check
    service = (DEPLOY / "redactor-nightly.service").read_text()
    assert "/opt/redactor/bin/redactor run" in service
    (tmp_path / "redactor-nightly.service").write_text(
        service.replace("/opt/redactor/bin/redactor", sys.executable)
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


def containers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every container of a RayCluster or CronJob, by name."""
    if document["kind"] == "RayCluster":
        groups = [document["spec"]["headGroupSpec"], *document["spec"]["workerGroupSpecs"]]
        pods = [group["template"]["spec"] for group in groups]
    else:
        pods = [document["spec"]["jobTemplate"]["spec"]["template"]["spec"]]
    return {
        c["name"]: {**c, "volumes": pod.get("volumes", [])}
        for pod in pods
        for c in pod["containers"]
    }


def test_kuberay_example_keeps_the_writer_key_with_the_driver() -> None:
    yaml = pytest.importorskip("yaml")  # comes with Ray
    import typer
    from typer.core import TyperGroup

    from redactor.cli import app

    cluster, cron = yaml.safe_load_all((DEPLOY / "kuberay.yaml").read_text())
    every = {**containers(cluster), **containers(cron)}
    assert set(every) == {"ray-head", "ray-worker", "driver"}
    for container in every.values():  # token authentication everywhere, one token
        env = {e["name"]: e for e in container["env"]}
        assert env["RAY_AUTH_MODE"]["value"] == "token"
        assert env["RAY_AUTH_TOKEN"]["valueFrom"]["secretKeyRef"]["name"] == "redactor-ray-token"
    writer = [n for n, c in every.items() if "redactor-writer" in yaml.safe_dump(c)]
    assert writer == ["driver"]
    assert cluster["spec"]["headGroupSpec"]["rayStartParams"]["num-cpus"] == "0"
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"

    driver = every["driver"]
    command = driver["command"]
    assert command[:2] == ["redactor", "run"]
    group = cast(TyperGroup, typer.main.get_command(app))  # the app has subcommands
    context = group.commands["run"].make_context("run", command[2:])
    assert context.params["engine"] == "ray"
    assert context.params["ray_address"] == f"ray://{cluster['metadata']['name']}-head-svc:10001"
    recipient = context.params["recipient"][0].removeprefix("file:")
    worker = every["ray-worker"]
    for container in (driver, worker):  # the same paths on the driver and the actors
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert mounts[str(Path(recipient).parent)] == "recipients"
        assert mounts[str(context.params["inputs"][0])] == "calls"
    models = {e["name"]: e.get("value") for e in worker["env"]}["REDACTOR_MODELS_DIR"]
    assert models == {e["name"]: e.get("value") for e in driver["env"]}["REDACTOR_MODELS_DIR"]
    volumes = [{v["name"]: v for v in c["volumes"]} for c in (driver, worker)]
    assert volumes[0]["calls"] == volumes[1]["calls"]
    assert volumes[0]["recipients"] == volumes[1]["recipients"]
