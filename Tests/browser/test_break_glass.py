"""Break-glass: a police officer outside the team reads an episode in an emergency, giving a
reason; the coordinator sees it on the worktray at once and marks it reviewed. axe on every
page."""
from conftest import api, api_token

CONSENT = {"consent": {"givenBy": "parent", "name": "Ann Fenn", "relationship": "Mother", "method": "written",
                       "scope": {"store": True, "shareWithAgencyTypes": ["education"]}}}


def test_break_glass_and_its_review(visit, server):
    amy_token = api_token(server, "amy@demo.test")
    child = api(server, "POST", "/api/v1/children", amy_token,
                {"givenName": "Theo", "familyName": "Fenn", "dateOfBirth": "2013-02-11"})
    episode = api(server, "POST", f"/api/v1/children/{child['id']}/episodes", amy_token, CONSENT)

    carla = visit()
    carla.sign_in("carla@demo.test")
    carla.goto(f"/episodes/{episode['id']}")
    page = carla.page
    assert page.locator("h1").inner_text() == "You cannot see this"
    page.fill("#breakGlassReason", "Theo found alone at 2am; we need to know who is working with the family.")
    carla.submit("Read it now (break glass)")
    assert "Theo Fenn" in page.content()

    erin = visit()
    erin.sign_in("erin@demo.test")
    assert "Break-glass access to review" in erin.page.content()
    erin.follow("Carla Singh")
    erin.submit("Mark as reviewed")  # a review needs a note
    assert "Record what the review found" in erin.page.locator(".govuk-error-summary").inner_text()
    erin.page.fill("#note", "Justified: police attended the same night.")
    erin.submit("Mark as reviewed")
    assert "Justified: police attended" in erin.page.content()
