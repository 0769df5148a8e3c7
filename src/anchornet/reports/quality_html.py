"""The data-quality report as one self-contained HTML page (no scripts, no CDN).

It holds counts and shares only, never a payee's name, so it can be shared.
"""

from __future__ import annotations

import datetime as dt

from anchornet import __version__
from anchornet.ingest.rules import FLAGS
from anchornet.reports.rendering import environment


def render_quality_html(report: dict, workspace_name: str) -> str:
    template = environment().get_template("quality.html.j2")
    return template.render(
        report=report,
        workspace=workspace_name,
        flags=FLAGS,
        generated=dt.datetime.now().strftime("%d %B %Y %H:%M"),
        version=__version__,
    )
