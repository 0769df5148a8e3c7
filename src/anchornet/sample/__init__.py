"""The bundled sample: Oxford City Council's published payments over £500,
January 2014 to December 2015 (Open Government Licence v3.0)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SAMPLE_MEMBER = "Oxford City Council"


def sample_files() -> list[Path]:
    folder = resources.files("anchornet.sample").joinpath("oxford")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".csv"))
