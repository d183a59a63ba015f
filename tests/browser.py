"""A real headless Chromium for the browser tests: Debian's chromium and chromium-driver, driven by Selenium."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
"""Chromium as root, on a machine with no network but loopback: nothing that would call out."""


def browser_missing(*modules: str) -> str | None:
    """Why the browser tests cannot run here, or None when Chromium, its driver, Selenium and ``modules`` are installed."""
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        return f"no browser: {CHROMIUM} and {CHROMEDRIVER} are needed (apt-get install chromium chromium-driver)"
    for name in ("selenium", *modules):
        try:
            __import__(name)
        except ImportError:
            return f"{name} is not installed (pip install -e '.[test]')"
    return None


def headless_chromium(profile_prefix: str, *flags: str, mobile: dict[str, Any] | None = None) -> tuple[Any, str]:
    """A Chrome WebDriver on a fresh profile of its own, and the profile's folder (delete it when done)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix=profile_prefix)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, *flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if mobile is not None:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": mobile})
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER)), profile
