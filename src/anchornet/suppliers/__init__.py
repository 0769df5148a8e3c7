"""Suppliers: normalise names, classify payees, resolve them into entities, link to registers."""
