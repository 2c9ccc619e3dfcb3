"""A police officer off the child's team corrects a child's name: it goes, with her reason, to
the coordinator, who makes it from her worktray. axe on every page."""
from conftest import api, api_token


def test_a_name_correction_from_off_the_team(visit, server):
    amy_token = api_token(server, "amy@demo.test")
    child = api(server, "POST", "/api/v1/children", amy_token,
                {"givenName": "Ellie", "familyName": "Marsh", "dateOfBirth": "2014-02-09", "notADuplicate": True})

    carla = visit()
    carla.sign_in("carla@demo.test")
    carla.goto(f"/children/{child['id']}")
    carla.follow("Add or correct a name")
    page = carla.page
    page.get_by_label("A name the child is known by").check()
    page.fill("#givenName", "Ells")
    page.fill("#familyName", "Marsh")
    carla.submit("Send to the coordinator")  # no reason: named, nothing sent
    assert "Say how you know" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#reason", "She gave this name when we met her.")
    carla.submit("Send to the coordinator")
    assert "Sent to the coordinator to check" in page.content()

    erin = visit()
    erin.sign_in("erin@demo.test")
    erin.follow("Ellie Marsh")
    assert erin.page.locator("h1").inner_text() == "Check a name correction"
    erin.page.get_by_label("Yes, make it").check()
    erin.submit("Save the decision")
    assert "Accepted" in erin.page.content()
    erin.goto(f"/children/{child['id']}")
    assert "Ells Marsh" in erin.page.content()
