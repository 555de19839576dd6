"""The HTML report of each example career laid out in headless Chromium on a phone, a desktop and an A4 page:
no element wider than the page, and a screenshot of each in the test's artefacts.

The screenshots go to $ADVISOR_TEST_ARTEFACTS when it is set (to keep and look at), else to a
temporary folder. Chromium is needed as in test_report_browser.py: skipped without it, except in CI.
"""

from __future__ import annotations

import pytest

from .browser import (
    DESKTOP,
    PHONE,
    PRINT,
    Viewport,
    artefacts_folder,
    layouts,
    needs_chromium,
)
from .conftest import ROOT, CommandLine

EXAMPLES = sorted((ROOT / "profiles").glob("*.yaml"))
def cases():
    for profile in EXAMPLES:
        for viewport in (PHONE, DESKTOP, PRINT):
            yield pytest.param(profile, viewport, id=f"{profile.stem}-{viewport.name}")


needs_chromium()


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory):
    """The layouts of an example's HTML report, by name and viewport (each report laid out once)."""
    folder = artefacts_folder(tmp_path_factory)
    found = {}

    def get(profile, viewport: Viewport):
        if profile.stem not in found:
            page = folder / f"{profile.stem}.html"
            assert CommandLine()("report", profile, "--output", page)[0] == 0
            found[profile.stem] = {layout.viewport: layout for layout in layouts(page, folder)}
        return found[profile.stem][viewport]
    return get


@pytest.mark.parametrize("profile, viewport", list(cases()))
def test_no_element_is_wider_than_the_page(laid_out, profile, viewport):
    layout = laid_out(profile, viewport)
    assert layout.screenshot.stat().st_size > 0
    assert layout.fits(), (f"{profile.stem} at {viewport.width} px ({viewport.name}, see {layout.screenshot}): "
                           f"the page is {layout.page_width} px wide; too wide: {'; '.join(layout.too_wide)}")


def test_the_check_finds_what_is_too_wide(tmp_path):
    """The check above can fail: a wide block is found by its tag, class and section; a wide table inside a box
    that scrolls sideways is not counted."""
    page = tmp_path / "wide.html"
    page.write_text('<!DOCTYPE html><meta name="viewport" content="width=device-width">'
                    '<h2>Partners</h2><div class="strip" style="width: 900px">x</div>'
                    '<div style="overflow-x: auto"><table style="width: 900px"><tr><td>y</td></tr></table></div>')
    (layout,) = layouts(page, tmp_path, (PHONE,))
    assert not layout.fits()
    assert layout.too_wide == ['div.strip under "Partners": 8-908 px']
    assert layout.screenshot == tmp_path / "wide-phone.png" and layout.screenshot.read_bytes()[:4] == b"\x89PNG"
