"""The web app: `anchornet serve`. See docs/web.md and :func:`anchornet.web.app.create_app`."""
