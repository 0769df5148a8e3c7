"""anchornet: open tools for anchor networks.

The Python API mirrors the CLI: open a :class:`Workspace`, :func:`ingest_file` (or :func:`ingest_files`),
then read the workspace's tables or use the reports.
"""

__version__ = "0.1.0"

from anchornet.ingest.loader import FileResult, ingest_file, ingest_files  # noqa: E402
from anchornet.workspace import Workspace  # noqa: E402

__all__ = ["FileResult", "Workspace", "__version__", "ingest_file", "ingest_files"]
