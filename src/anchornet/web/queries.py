"""Moved to the library: anchornet.ingest.browse and anchornet.suppliers.browse."""

from anchornet.ingest.browse import *  # noqa: F403
from anchornet.suppliers.browse import *  # noqa: F403
from anchornet.suppliers.browse import current_entity  # noqa: F401
