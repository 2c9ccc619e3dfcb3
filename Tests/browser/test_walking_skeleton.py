"""amy registers a child, starts a CAF with consent, completes it and shares it with ben;
ben reads it; carla is refused; erin, the coordinator, sees carla's refusal in the audit."""
import re


def test_register_assess_share_refuse_and_audit(visit):
    amy = visit()
    amy.sign_in("amy@demo.test")
    page = amy.page

    # Search first: nobody found, so register.
    amy.follow("Find a child")
    page.fill("#q", "Poppy Browser")
    amy.submit("Search")
    assert "No children found" in page.content()

    amy.follow("register them")
    amy.submit("Register child")  # empty: the error summary names each field
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter the child’s first name" in page.inner_text(".govuk-error-summary")
    page.fill("#givenName", "Poppy")
    page.fill("#familyName", "Browser")
    page.fill("#dateOfBirth", "14")
    page.fill("#dateOfBirth-month", "2")
    page.fill("#dateOfBirth-year", "2017")
    page.fill("#postcode", "cb4 1aa")
    amy.submit("Register child")
    assert page.locator("h1").inner_text() == "Poppy Browser"
    assert "CB4 1AA" in page.content()
    child_url = page.url

    # Consent, then the form.
    amy.follow("Start a CAF")
    page.check("#consent-decision")  # they agree
    page.check("#consent-givenBy-2")  # a parent or carer
    page.fill("#consent-name", "Rose Browser")
    page.fill("#consent-relationship", "Mother")
    page.check("#consent-method")  # in writing
    page.check("#consent-scope-store")
    page.check("input[name='consent.scope.shareWithAgencyTypes[]'][value='health']")
    page.check("input[name='consent.scope.shareWithAgencyTypes[]'][value='education']")
    amy.submit("Record consent and start the CAF")
    assert page.locator("h1").inner_text() == "Common Assessment"
    episode_url = page.url.replace("/assessment/edit", "")

    page.fill("#reasonForAssessment", "Poppy is often late and seems tired.")
    page.fill("#needs-dev-selfcare", "Needs help getting ready for school.")
    amy.submit("Save draft")
    assert "Continue the assessment" in page.content()

    amy.follow("Continue the assessment")
    assert page.input_value("#needs-dev-selfcare") == "Needs help getting ready for school."
    amy.submit("Complete the assessment")  # levels missing
    assert "Choose a level of need" in page.inner_text(".govuk-error-summary")
    assert page.input_value("#needs-dev-selfcare") == "Needs help getting ready for school."
    # The parent who consented and the assessor are already filled in.
    assert page.input_value("#parents-0--name") == "Rose Browser"
    assert page.input_value("#assessor-name") == "Amy Clarke"
    page.select_option("#identifying-ethnicity", "Not given")
    page.fill("#identifying-childFirstLanguage", "English")
    page.check("#parents-0--parentalResponsibility")  # yes
    for radio in page.locator("input[type=radio][value='1']").all():
        radio.check()
    page.check("input[name='level.dev.selfcare'][value='2']")
    amy.submit("Complete the assessment")
    assert "It cannot be changed" in page.content()
    assert "2 – additional need" in page.content()

    # Share with ben (health, within consent); carla (police) is outside it.
    amy.goto(episode_url.replace(amy.base, ""))
    page.fill("#practitionerEmail", "carla@demo.test")
    amy.submit("Share")
    assert "consent does not cover" in page.inner_text(".govuk-error-summary")
    page.fill("#practitionerEmail", "ben@demo.test")
    amy.submit("Share")
    assert "Shared with Ben Okafor" in page.content()

    # ben finds Poppy and reads the completed assessment.
    ben = visit()
    ben.sign_in("ben@demo.test")
    ben.goto("/children")
    ben.page.fill("#q", "popp")
    ben.page.fill("#dob", "14")
    ben.page.fill("#dob-month", "2")
    ben.page.fill("#dob-year", "2017")
    ben.submit("Search")
    ben.follow("Poppy Browser")
    ben.follow("View episode")
    ben.follow("Read the assessment")
    assert "Needs help getting ready for school." in ben.page.content()

    # carla is refused and told whom to contact.
    carla = visit()
    carla.sign_in("carla@demo.test")
    carla.goto(episode_url.replace(carla.base, ""))
    assert carla.page.locator("h1").inner_text() == "You cannot see this"
    assert "Amy Clarke" in carla.page.inner_text("#error-message")

    # erin reads who has seen Poppy, carla's refusal included.
    erin = visit()
    erin.sign_in("erin@demo.test")
    erin.goto(child_url.replace(erin.base, ""))
    erin.follow("Who has seen this child")
    rows = erin.page.locator("tbody tr").all_inner_texts()
    assert any("carla@demo.test" in row and "denied" in row for row in rows)
    assert any("ben@demo.test" in row and "view-assessment" in row for row in rows)


def test_signed_out_pages_redirect_and_forms_need_their_token(visit, server):
    anonymous = visit()
    anonymous.page.goto(server + "/children")
    assert re.search(r"/sign-in$", anonymous.page.url)
    anonymous.check()
    response = anonymous.context.request.post(server + "/sign-in", form={"email": "amy@demo.test", "password": "x"})
    assert response.status == 403
