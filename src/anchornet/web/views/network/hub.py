"""The Network page: the sections of the network's own records this account may open."""

from __future__ import annotations

from fastapi import APIRouter, Request

from anchornet.network.report import at_a_glance
from anchornet.web import permissions
from anchornet.web.deps import WS, SignedIn
from anchornet.web.rendering import render

router = APIRouter()


@router.get("/network", include_in_schema=False)
def network_page(request: Request, *, principal: SignedIn, ws: WS):
    return render(request, "network/hub.html", {"title": "Network", "glance": at_a_glance(ws),
                                                "sections": permissions.network_sections(principal)})
