"""The LA administrator signs in to the accounts page (never a worktray of children),
adds an organisation and creates an account, with axe on every page."""


def test_admin_creates_an_organisation_and_an_account(visit, server):
    fay = visit()
    fay.goto("/sign-in")
    fay.page.fill("#email", "fay@demo.test")
    fay.page.fill("#password", "browser-demo-password")
    fay.submit("Sign in")
    page = fay.page
    assert page.locator("h1").inner_text() == "Accounts and organisations"
    page.fill("#organisationName", "Parkside Nursery")
    page.select_option("#agencyType", "early-years")
    fay.submit("Add the organisation")
    assert "Organisation added" in page.content()
    page.fill("#name", "Kay Brook")
    page.fill("#email", "kay@demo.test")
    page.select_option("#organisationId", label="Parkside Nursery (Early years)")
    page.check("input[name='roles[]'][value='practitioner']")
    page.fill("#password", "copper meadow lantern 7")
    fay.submit("Create the account")
    assert "Account created" in page.content()
    assert "kay@demo.test" in page.content()

    # Change the account: a new job title and a second role.
    fay.follow("Kay Brook")
    assert page.locator("h1").inner_text() == "Change Kay Brook’s account"
    page.fill("#jobTitle", "Nursery manager")
    page.check("input[name='roles[]'][value='manager']")
    fay.submit("Save the account")
    assert "Account saved" in page.content()
    assert page.locator("#jobTitle").input_value() == "Nursery manager"

    # Rename the organisation.
    fay.goto("/admin")
    fay.follow("Parkside Nursery")
    page.fill("#name", "Parkside Nursery and Pre-school")
    fay.submit("Save the organisation")
    assert "Organisation saved" in page.content()
