"""The network's own records in the web app: one module per kind of record, each a thin
layer over ``anchornet.network``; ``ROUTERS`` is what the app includes."""

from __future__ import annotations

from anchornet.web.views.network import (
    framework,
    groups,
    hub,
    members,
    pipeline,
    plans,
    pledges,
    social_value,
)

ROUTERS = [module.router for module in (hub, members, groups, pledges, pipeline, framework, social_value, plans)]
