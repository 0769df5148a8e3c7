"""Fixtures for the web tests; they live in web_support.py so that test modules can import
its helpers without naming a conftest (each test folder has its own)."""

from web_support import *  # noqa: F401,F403
