"""Shielding: the coordinator shields a child; a practitioner's search by the hidden postcode
finds nothing, a search by name shows the child without it, and the record names whom to
ask; another LA's safeguarding worker's override shows the address and lands on the coordinator's review queue,
where it is reviewed. axe on every page."""
from conftest import api, api_token


def test_shielded_search_override_and_review(visit, server):
    dan_token = api_token(server, "dan@demo.test")
    child = api(server, "POST", "/api/v1/children", dan_token,
                {"givenName": "Rosa", "familyName": "Marsh", "dateOfBirth": "2014-07-09", "postcode": "CB4 3AA"})
    api(server, "PUT", f"/api/v1/children/{child['id']}/whereabouts", dan_token,
        {"address": "12 Orchard Way, Cambridge", "postcode": "CB4 3AA", "school": "Riverside Primary School"},
        headers={"If-Match": '"1"'})  # a new child's whereabouts are at their first version

    erin = visit()
    erin.sign_in("erin@demo.test")
    erin.goto(f"/children/{child['id']}")
    page = erin.page
    assert "12 Orchard Way" in page.content()
    erin.submit("Shield the whereabouts")  # no reason yet
    assert "Say why" in page.locator(".govuk-error-summary").inner_text()
    page.fill("#reason", "Non-molestation order: the father must not find the family.")
    erin.submit("Shield the whereabouts")
    assert "Shielded" in page.content()

    dan = visit()
    dan.sign_in("dan@demo.test")
    dan.follow("Find a child")
    page = dan.page
    page.fill("#postcode", "CB4 3AA")
    dan.submit("Search")
    assert "No children found" in page.content()
    page.fill("#postcode", "")
    page.fill("#q", "Rosa Marsh")
    dan.submit("Search")
    row = page.locator("table tbody tr").first
    assert "Rosa Marsh" in row.inner_text() and "Shielded" in row.inner_text() and "CB4" not in row.inner_text()
    dan.follow("Rosa Marsh")
    assert "12 Orchard Way" not in page.content()
    assert "erin@demo.test" in page.content()  # whom to ask
    assert "Override the shield" not in page.content()  # safeguarding staff only

    sid = visit()  # Suffolk's safeguarding front door, in an emergency
    sid.sign_in("sid@demo.test")
    sid.goto(f"/children/{child['id']}")
    page = sid.page
    assert "12 Orchard Way" not in page.content()
    page.locator("summary", has_text="Override the shield").click()
    page.fill("#reason", "Rosa is missing from school and the police need her address now.")
    sid.submit("Override the shield")
    assert "12 Orchard Way" in page.content()

    erin.goto("/")
    assert "Shield overrides to review" in erin.page.content()
    erin.follow("Sid Moore")
    erin.page.fill("#note", "Justified: police confirmed Rosa was missing.")
    erin.submit("Mark as reviewed")
    assert "Justified: police confirmed" in erin.page.content()
