"""The Network page: the sections of the network's own records this account may open."""

from __future__ import annotations

from fastapi import APIRouter, Request

from anchornet.web import permissions
from anchornet.web.deps import SignedIn
from anchornet.web.rendering import render

router = APIRouter()


@router.get("/network", include_in_schema=False)
def network_page(request: Request, *, principal: SignedIn):
    return render(request, "network/hub.html", {"title": "Network",
                                                "sections": permissions.network_sections(principal)})
