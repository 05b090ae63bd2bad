"""The served demo for the safety tests: the shared one (tests/browser.py)."""

from tests.browser import PASSWORD, demo_server, login  # noqa: F401 - re-exported
