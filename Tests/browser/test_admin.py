"""The LA administrator signs in to the accounts page (never a worktray of children),
adds an organisation and creates an account; its holder chooses a password from the link
e-mailed to them (through the server's postman to an SMTP sink) and sets up two-factor
sign-in. axe on every page."""
import re
import time

from test_two_factor import totp


def test_admin_creates_an_organisation_and_an_account(visit, server, mailbox):
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
    fay.submit("Create the account")
    assert "Account created" in page.content()
    assert "kay@demo.test" in page.content()

    # Kay's link reaches her mailbox, and nowhere on the administrator's page.
    body = mailbox.wait_for("kay@demo.test", "Your eCAF account")
    link = re.search(r"(http://\S+/account/link\?token=\S+)", body).group(1)
    assert link.split("token=")[1] not in page.content()
    kay = visit()
    kay.page.goto(link)
    kay.check()
    assert kay.page.locator("h1").inner_text() == "Choose your password"
    kay.page.fill("#newPassword", "copper meadow lantern 7")
    kay.page.fill("#confirmPassword", "copper meadow lantern 8")
    kay.submit("Save my password")
    assert "Type the same new password twice" in kay.page.locator(".govuk-error-summary").inner_text()
    kay.page.fill("#newPassword", "copper meadow lantern 7")
    kay.page.fill("#confirmPassword", "copper meadow lantern 7")
    kay.submit("Save my password")
    key = kay.page.locator("#manual-key").inner_text().replace(" ", "")
    kay.page.fill("#code", totp(key, int(time.time()) // 30))
    kay.submit("Set up two-factor sign-in")
    assert kay.page.locator("h1").inner_text() == "Your worktray"
    # The link worked once.
    kay.page.goto(link)
    kay.check()
    assert kay.page.locator("h1").inner_text() == "This link has expired or has already been used"

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
