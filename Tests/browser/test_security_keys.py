"""Security keys (WebAuthn) in a real browser: Chromium's virtual authenticator (through the
DevTools protocol) stands in for a USB key, so the page's script, the browser's ceremony and
the server's checks all run as they would with a real one. axe on every page."""
from conftest import PASSWORD, Visit


def virtual_key(visit):
    session = visit.context.new_cdp_session(visit.page)
    session.send("WebAuthn.enable")
    authenticator = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "usb", "hasResidentKey": False, "hasUserVerification": False,
        "isUserConsenting": True, "automaticPresenceSimulation": True}})["authenticatorId"]
    return lambda: session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]


def submit_to_key(visit, text):
    """Presses a button whose form waits for the key's answer before it is sent."""
    with visit.page.expect_navigation():
        visit.page.get_by_role("button", name=text, exact=True).click()
    visit.check()


def test_adding_a_security_key_then_signing_in_with_it(visit):
    mia = visit()
    credentials = virtual_key(mia)
    page = mia.page
    mia.sign_in("mia@demo.test")
    mia.follow("Security keys")
    assert page.locator("h1").inner_text() == "Security keys"

    # The key answers, but the password was wrong: nothing is added, and the page says why.
    page.fill("#name", "Virtual key")
    page.fill("#password", "not-the-password")
    submit_to_key(mia, "Add a security key")
    assert "Your password is not right" in page.locator(".govuk-error-summary").inner_text()

    page.fill("#name", "Virtual key")
    page.fill("#password", PASSWORD)
    submit_to_key(mia, "Add a security key")
    assert "Security key ‘Virtual key’ added" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("tbody tr").count() == 1 and "Virtual key" in page.locator("tbody tr").inner_text()
    # The key made a credential each time it answered (the refused one too): every one for this site.
    made = credentials()
    assert len(made) == 2 and all(credential["rpId"] == "localhost" for credential in made)

    mia.submit("Sign out")
    page.fill("#email", "mia@demo.test")
    page.fill("#password", PASSWORD)
    mia.submit("Sign in")
    assert page.locator("h1").inner_text() == "Use your security key"
    assert page.locator("input[name=code]").count() == 0
    submit_to_key(mia, "Use my security key")
    assert page.locator("h1").inner_text() == "Your worktray"

    # The key's row says when it last signed her in; removed again (with her password), so
    # signing in is as it was for the other tests.
    mia.follow("Security keys")
    assert "Not yet" not in page.locator("tbody tr").inner_text()
    page.get_by_role("link", name="Remove Virtual key").click()
    mia.check()
    page.fill("#password", PASSWORD)
    mia.submit("Remove the key")
    assert "Security key ‘Virtual key’ removed" in page.locator(".govuk-notification-banner").inner_text()
    assert "You have not added a security key" in page.locator("main").inner_text()


def test_without_javascript_the_page_says_what_a_key_needs(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        nat = Visit.__new__(Visit)
        nat.context, nat.page, nat.base, nat.checked = context, context.new_page(), server, []
        nat.page.goto(server + "/sign-in")
        nat.page.fill("#email", "nat@demo.test")
        nat.page.fill("#password", PASSWORD)
        nat.page.get_by_role("button", name="Sign in", exact=True).click()
        nat.page.goto(server + "/account/security-keys")
        assert "Security keys need JavaScript" in nat.page.locator("main").inner_text()
        nat.page.fill("#name", "Key")
        nat.page.fill("#password", PASSWORD)
        nat.page.get_by_role("button", name="Add a security key", exact=True).click()
        summary = nat.page.locator(".govuk-error-summary").inner_text()
        assert "Security keys need JavaScript turned on" in summary
        # The summary's link lands on the button that starts the key's ceremony.
        assert nat.page.locator(".govuk-error-summary a").get_attribute("href") == "#securityKey"
        assert nat.page.locator("#securityKey").inner_text() == "Add a security key"
    finally:
        context.close()
