"""Journey: two practitioners write one assessment at once (issue 15). Each sees who else has
it open; the second to save on an older revision is shown both texts, loses nothing, and
saves the merged form. Two browser contexts, axe on every page."""
from conftest import api, api_token

CONSENT = {"consent": {"givenBy": "parent", "name": "Kim Together", "relationship": "Mother", "method": "written",
                       "scope": {"store": True, "shareWithAgencyTypes": ["health", "education"]}}}


def test_two_people_write_one_assessment(visit, server):
    amy_token = api_token(server, "amy@demo.test")
    child = api(server, "POST", "/api/v1/children", amy_token,
                {"givenName": "Ida", "familyName": "Together", "dateOfBirth": "2017-03-04", "notADuplicate": True})["id"]
    episode = api(server, "POST", f"/api/v1/children/{child}/episodes", amy_token, CONSENT)["id"]
    api(server, "POST", f"/api/v1/episodes/{episode}/shares", amy_token, {"practitionerEmail": "ben@demo.test"})
    team = api(server, "GET", f"/api/v1/episodes/{episode}/team", amy_token)
    api(server, "POST", f"/api/v1/episodes/{episode}/lead-professional", api_token(server, "erin@demo.test"),
        {"practitionerEmail": "ben@demo.test", "basis": "assigned-by-coordinator"},
        headers={"If-Match": '"%d"' % team["teamVersion"]})
    form = f"/episodes/{episode}/assessment/edit"

    amy = visit()
    amy.sign_in("amy@demo.test")
    amy.goto(form)
    ben = visit()
    ben.sign_in("ben@demo.test")
    ben.goto(form)
    assert "Amy Clarke has had this assessment open in the last five minutes" in ben.page.content()

    ben.page.fill("#conclusions", "Ben: a sleep routine first.")
    ben.page.fill("#childViews", "Ida wants to sleep better.")
    ben.submit("Save draft")

    amy.page.fill("#conclusions", "Amy: breakfast club daily.")
    amy.page.fill("#parentViews", "Kim wants mornings calmer.")
    amy.submit("Save draft")
    banner = amy.page.get_by_role("alert")
    assert "Someone else saved this assessment while you were writing" in banner.inner_text()
    assert "Ben Okafor saved “Views and conclusions”" in banner.inner_text()
    merged = amy.page.input_value("#conclusions")
    assert merged == "Ben: a sleep routine first.\n\nAmy: breakfast club daily."
    assert amy.page.input_value("#childViews") == "Ida wants to sleep better."
    assert amy.page.input_value("#parentViews") == "Kim wants mornings calmer."
    # The field both changed is one link away, by keyboard too.
    amy.page.get_by_role("link", name="Summary of strengths and needs").focus()
    amy.page.keyboard.press("Enter")
    assert amy.page.evaluate("location.hash") == "#conclusions"

    amy.page.fill("#conclusions", "A sleep routine first, then breakfast club daily.")
    amy.submit("Save draft")
    saved = api(server, "GET", f"/api/v1/episodes/{episode}/assessment", amy_token)
    assert saved["conclusions"] == "A sleep routine first, then breakfast club daily."
    assert saved["childViews"] == "Ida wants to sleep better."
    assert saved["parentViews"] == "Kim wants mornings calmer."
    assert saved["revisions"]["conclusions"] == 3
