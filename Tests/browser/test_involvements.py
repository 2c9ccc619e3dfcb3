"""A health visitor records a sensitive service's involvement from the child's record; a
police officer opening the same record does not see it. axe on every page."""
from conftest import api, api_token


def test_recording_a_sensitive_involvement(visit, server):
    amy_token = api_token(server, "amy@demo.test")
    child = api(server, "POST", "/api/v1/children", amy_token,
                {"givenName": "Maya", "familyName": "Quinn", "dateOfBirth": "2012-10-03"})

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

    carla = visit()
    carla.sign_in("carla@demo.test")
    carla.goto(f"/children/{child['id']}")
    assert "CAMHS" not in carla.page.content()
