"""A teacher decides that sharing what a pupil told her would do the pupil more harm, and
records why; the coordinator finds it, counted, from her worktray. axe on every page."""
from conftest import api, api_token


def test_a_decision_not_to_share_reaches_the_coordinator(visit, server):
    amy_token = api_token(server, "amy@demo.test")
    child = api(server, "POST", "/api/v1/children", amy_token,
                {"givenName": "Nia", "familyName": "Hollis", "dateOfBirth": "2012-06-21", "notADuplicate": True})

    amy = visit()
    amy.sign_in("amy@demo.test")
    amy.goto(f"/children/{child['id']}")
    amy.follow("Record a decision not to share")
    page = amy.page
    page.fill("#withheld", "What Nia told us about home")
    amy.submit("Record the decision")  # two questions unanswered: both named
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Say who asked" in summary and "Say why sharing would do the child more harm" in summary
    page.fill("#withheldFrom", "Her father, who asked the school")
    page.fill("#reason", "Telling him would put her at greater risk at home.")
    amy.submit("Record the decision")
    assert page.locator("h1").inner_text() == "Nia Hollis"

    erin = visit()
    erin.sign_in("erin@demo.test")
    erin.follow("Decisions not to share")
    assert "1 in the last 30 days" in erin.page.inner_text("#decisions-count")
    assert "Telling him would put her at greater risk at home." in erin.page.content()
