"""A caseload past one page: the worktray shows the newest 25 and links to the whole list,
which pages 25 at a time with GOV.UK pagination, without JavaScript. axe on every page."""
import re

from conftest import api, api_token

CONSENT = {"consent": {"givenBy": "parent", "name": "Pat Pager", "relationship": "Mother", "method": "written",
                       "scope": {"store": True, "shareWithAgencyTypes": ["health"]}}}


def test_a_long_caseload_pages(visit, server):
    token = api_token(server, "dan@demo.test")
    for index in range(27):
        given = "Page" + chr(97 + index // 26) + chr(97 + index % 26)
        child = api(server, "POST", "/api/v1/children", token, {
            "givenName": given, "familyName": "Pager", "dateOfBirth": "2015-04-01", "notADuplicate": True})
        api(server, "POST", f"/api/v1/children/{child['id']}/episodes", token, CONSENT)
    total = api(server, "GET", "/api/v1/episodes", token)["total"]

    dan = visit()
    dan.sign_in("dan@demo.test")
    page = dan.page
    assert page.locator("table:has-text('Your episodes') tbody tr").count() == 25
    dan.follow("See all your episodes")
    assert page.locator("h1").inner_text() == "Your episodes"
    assert f"Showing 1 to 25 of {total:,}" in page.content()
    assert page.locator("[aria-current='page']").inner_text() == "1"

    dan.follow("Next page")
    assert re.search(r"page=2$", page.url)
    assert f"Showing 26 to {min(50, total)} of {total:,}" in page.content()
    assert page.locator("[aria-current='page']").inner_text() == "2"
    dan.follow("Previous page")
    assert page.locator("[aria-current='page']").inner_text() == "1"

    dan.goto("/worktray/episodes?page=0")
    assert "Enter a page number from 1 to 4000" in page.content()
