"""A thin wrapper around headless Chromium (the Debian package) for the report tests and
the README screenshot:

    python3 -m tests.browser REPORT.html SCREENSHOT.png [WIDTH HEIGHT]
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\)|:\d+)\]\s*(.*)")


def chromium() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("headless Chromium not found: install it with `scripts/setup.sh --test` "
                       "(Debian package chromium)")


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 2400, timeout: int = 90) -> list[str]:
    """Open `page` in headless Chromium, save a screenshot, and return what the page
    wrote to the browser console (errors included)."""
    with tempfile.TemporaryDirectory(prefix="finsam-chromium-") as profile:
        done = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             f"--window-size={width},{height}", f"--screenshot={png}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-500:]}")
    return [m.group(1) for m in CONSOLE.finditer(done.stderr)]


if __name__ == "__main__":
    args = sys.argv[1:]
    size = [int(a) for a in args[2:4]] or [1200, 2400]
    messages = screenshot(Path(args[0]), Path(args[1]), *size)
    print("\n".join(messages) or "no console messages", file=sys.stderr)
