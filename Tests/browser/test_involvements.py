"""A health visitor records a sensitive service's involvement from the child's record; a
school leading the child's CAF does not see it until the service lets her, and not once it
withdraws that; a police officer never does. axe on every page."""
from conftest import api, api_token

CONSENT = {"consent": {"givenBy": "parent", "name": "Jo Quinn", "relationship": "Mother", "method": "written",
                       "scope": {"store": True, "shareWithAgencyTypes": ["health", "education"]}}}


def test_recording_and_disclosing_a_sensitive_involvement(visit, server):
    amy_token = api_token(server, "amy@demo.test")
    child = api(server, "POST", "/api/v1/children", amy_token,
                {"givenName": "Maya", "familyName": "Quinn", "dateOfBirth": "2012-10-03"})
    api(server, "POST", f"/api/v1/children/{child['id']}/episodes", amy_token, CONSENT)

    ben = visit()
    ben.sign_in("ben@demo.test")
    ben.goto(f"/children/{child['id']}")
    ben.follow("Record that your service is involved")
    page = ben.page
    ben.submit("Record the involvement")  # empty: each field is named
    assert "Enter the service" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#service", "CAMHS")
    page.fill("#role", "Anxiety support")
    page.fill("#startedOn", "10")
    page.fill("#startedOn-month", "1")
    page.fill("#startedOn-year", "2026")
    page.check("input[name='sensitive'][value='mental-health']")
    ben.submit("Record the involvement")
    assert "CAMHS" in page.content() and "Mental health: sensitive" in page.content()

    # Amy leads the CAF with the family's consent, and still does not see it.
    amy = visit()
    amy.sign_in("amy@demo.test")
    amy.goto(f"/children/{child['id']}")
    assert "CAMHS" not in amy.page.content()

    ben.follow("Who else may see CAMHS")
    assert page.locator("h1").inner_text() == "Who else may see this involvement"
    ben.submit("Let them see it")  # nothing chosen: both questions are named
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose who may see this involvement" in summary
    page.get_by_label("Amy Clarke", exact=False).check()
    page.get_by_label("The service’s judgement").check()
    ben.submit("Let them see it")
    assert "Amy Clarke" in page.locator("table").inner_text()

    amy.goto(f"/children/{child['id']}")
    assert "CAMHS" in amy.page.content()
    assert "Who else may see CAMHS" not in amy.page.content()  # hers to see, not to manage

    ben.submit("Withdraw Amy Clarke’s view")
    assert "No one outside your service." in page.content()
    amy.goto(f"/children/{child['id']}")
    assert "CAMHS" not in amy.page.content()

    carla = visit()
    carla.sign_in("carla@demo.test")
    carla.goto(f"/children/{child['id']}")
    assert "CAMHS" not in carla.page.content()
