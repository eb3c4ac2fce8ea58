"""Where the survey exports live: HYTE_SURVEY_DIR, else data/surveys/ (git-ignored)."""

from __future__ import annotations

import os
from pathlib import Path

from pipelines.config import PROJECT_ROOT

DEFAULT_DIR = PROJECT_ROOT / "data" / "surveys"
ENV = "HYTE_SURVEY_DIR"


def survey_dir(option: Path | None = None) -> tuple[Path, bool]:
    """(the folder, whether it was named explicitly by --surveys or HYTE_SURVEY_DIR)."""
    if option is not None:
        return Path(option), True
    if os.environ.get(ENV):
        return Path(os.environ[ENV]), True
    return DEFAULT_DIR, False
