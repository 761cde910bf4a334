"""The run summary: counts per status and entity type, audio and wall time, as JSON
(``--summary``) and as Prometheus textfile metrics (``--metrics``), written atomically."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redactor.fs import write_atomic
from redactor.jobs import FileResult


@dataclass
class Summary:
    started: float = field(default_factory=time.time)
    finished: float = 0.0
    files: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    audio_seconds: float = 0.0
    processing_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    failures: list[dict[str, str]] = field(default_factory=list)
    #: Calls per transcript verdict (good, degraded, unusable), and the labels of those
    #: that are not good: a person should listen to them.
    quality: Counter[str] = field(default_factory=Counter)
    needs_review: list[str] = field(default_factory=list)

    def add(self, result: FileResult) -> None:
        self.files[result.status] += 1
        self.peak_rss_mb = max(self.peak_rss_mb, result.rss_mb)
        if result.ok and not result.skipped:
            self.entities.update(result.entities)
            if result.quality:
                self.quality[result.quality] += 1
            if result.quality not in ("", "good"):
                self.needs_review.append(result.label)
            self.audio_seconds += result.duration
            self.processing_seconds += result.seconds
        if not result.ok:
            self.failures.append({"input": result.label, "reason": result.error})

    @property
    def wall_seconds(self) -> float:
        return (self.finished or time.time()) - self.started

    def to_dict(self) -> dict[str, Any]:
        wall = self.wall_seconds
        return {
            "schema": "redactor.summary/1",
            "started": self.started,
            "finished": self.finished,
            "files": dict(self.files),
            "entities": dict(sorted(self.entities.items())),
            "audio_seconds": round(self.audio_seconds, 3),
            "wall_seconds": round(wall, 3),
            # the files' own times, summed over workers: no model loading, no skipped files
            "processing_seconds": round(self.processing_seconds, 3),
            "real_time_factor": round(self.audio_seconds / wall, 3) if wall else 0.0,
            "peak_rss_mb_per_worker": round(self.peak_rss_mb, 1),
            "failures": self.failures,
            "transcript_quality": dict(sorted(self.quality.items())),
            "needs_review": self.needs_review,
        }

    def write_json(self, path: Path) -> None:
        write_atomic(path, (json.dumps(self.to_dict(), indent=2) + "\n").encode())

    def write_metrics(self, path: Path) -> None:
        """Prometheus textfile-collector format; the last-success time only when all went well."""
        data = self.to_dict()
        lines = [
            "# HELP redactor_run_duration_seconds Wall time of the last run.",
            "# TYPE redactor_run_duration_seconds gauge",
            f"redactor_run_duration_seconds {data['wall_seconds']}",
            "# HELP redactor_run_audio_seconds Audio processed by the last run.",
            "# TYPE redactor_run_audio_seconds gauge",
            f"redactor_run_audio_seconds {data['audio_seconds']}",
            "# HELP redactor_run_files Files of the last run by status.",
            "# TYPE redactor_run_files gauge",
            *(
                f'redactor_run_files{{status="{status}"}} {self.files.get(status, 0)}'
                for status in ("ok", "skipped", "failed")
            ),
            "# HELP redactor_run_entities Entities found by the last run by type.",
            "# TYPE redactor_run_entities gauge",
            *(f'redactor_run_entities{{type="{t}"}} {n}' for t, n in data["entities"].items()),
            "# HELP redactor_run_calls_by_quality Calls of the last run by transcript verdict.",
            "# TYPE redactor_run_calls_by_quality gauge",
            *(
                f'redactor_run_calls_by_quality{{verdict="{v}"}} {self.quality.get(v, 0)}'
                for v in ("good", "degraded", "unusable")
            ),
            "# HELP redactor_run_last_run_timestamp_seconds When the last run ended.",
            "# TYPE redactor_run_last_run_timestamp_seconds gauge",
            f"redactor_run_last_run_timestamp_seconds {self.finished or time.time():.0f}",
        ]
        success = "redactor_run_last_success_timestamp_seconds"
        if not self.files.get("failed"):
            last_success = f"{self.finished or time.time():.0f}"
        else:  # keep the previous run's value: alerts fire on its age
            previous = path.read_text().splitlines() if path.is_file() else []
            found = [line.split()[-1] for line in previous if line.startswith(success + " ")]
            last_success = found[0] if found else ""
        if last_success:
            lines += [
                f"# HELP {success} When a run last ended with no failed file.",
                f"# TYPE {success} gauge",
                f"{success} {last_success}",
            ]
        write_atomic(path, ("\n".join(lines) + "\n").encode())
