"""Errors a user can act on. The CLI prints their message on one line and exits non-zero."""


class AnchornetError(Exception):
    """A problem with the user's input or workspace, explained in plain words."""

    exit_code = 2


class BadFileError(AnchornetError):
    """A file that cannot be ingested as it is (empty, binary, no usable columns...)."""


class WorkspaceError(AnchornetError):
    """The workspace is missing, locked, or newer than this version of anchornet."""
