"""One module per page group; each handler is thin: check the role, call the library, render."""
