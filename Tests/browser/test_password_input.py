"""GOV.UK's password input (ASVS V2.1.12): a person can show what they typed, the field is
masked again before the form is sent, and without JavaScript there is no button to mislead.
A strength meter (V2.1.8) says in words, as a new password is typed, whether the policy
allows it and how strong it is, and agrees with the server. axe on every page."""
from conftest import PASSWORD


def test_a_password_can_be_shown_and_is_masked_again_when_sent(visit):
    v = visit()
    v.goto("/sign-in")
    field = v.page.locator("#password")
    toggle = v.page.get_by_role("button", name="Show password")
    assert field.get_attribute("type") == "password"
    v.page.fill("#email", "amy@demo.test")
    field.fill(PASSWORD)
    toggle.click()
    assert field.get_attribute("type") == "text"
    assert field.input_value() == PASSWORD
    hide = v.page.get_by_role("button", name="Hide password")
    assert hide.inner_text() == "Hide"
    assert v.page.get_by_text("Your password is visible").count() == 1
    v.check()
    # Keyboard: the toggle is a real button in the tab order.
    hide.focus()
    v.page.keyboard.press("Enter")
    assert field.get_attribute("type") == "password"
    # Shown when the form is sent: masked first (seen by a listener that holds the first send).
    v.page.get_by_role("button", name="Show password").click()
    v.page.evaluate("() => document.querySelector('#password').form.addEventListener('submit', (event) => {"
                    " window.typeWhenSent = document.querySelector('#password').type; event.preventDefault(); },"
                    " { once: true })")
    v.page.get_by_role("button", name="Sign in", exact=True).click()
    assert v.page.evaluate("() => window.typeWhenSent") == "password"
    v.page.get_by_role("button", name="Sign in", exact=True).click()
    assert v.page.locator("h1").inner_text() == "Your worktray"


def test_without_javascript_the_field_is_a_plain_password_field(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/sign-in")
    assert page.locator("#password").get_attribute("type") == "password"
    assert not page.locator(".govuk-password-input__toggle").is_visible()
    page.fill("#email", "amy@demo.test")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.locator("h1").inner_text() == "Your worktray"
    page.goto(server + "/account/password")
    meter = page.locator("#newPassword-strength")
    assert meter.count() == 1 and meter.get_attribute("hidden") is not None and not meter.is_visible()
    context.close()


def test_the_strength_meter_says_what_the_policy_will_say(visit):
    hana = visit()
    hana.sign_in("hana@demo.test")
    hana.goto("/account/password")
    page = hana.page
    meter = page.locator("#newPassword-strength")
    assert meter.is_visible() and meter.get_attribute("aria-live") == "polite"
    assert "newPassword-strength" in page.locator("#newPassword").get_attribute("aria-describedby").split()
    for typed, said in [
        ("short", "not allowed yet: use at least 12 characters"),
        ("passwordpassword", "not allowed: it is too common"),
        ("aaaaaaaaaaaaaa", "not allowed: it is too common"),
        ("hana-likes-tea-99", "not allowed: it has your name or e-mail address in it"),  # her address
        ("tangerine-ito-lamp", "not allowed: it has your name or e-mail address in it"),  # her name
        ("e\u0301" * 12, "not allowed: it is too common"),  # one letter, typed decomposed
        ("\u00e9" * 40, "not allowed: use a shorter password"),  # 40 letters, 80 bytes
        ("\U0001F1EC\U0001F1E7" * 6, "good (a longer one is stronger)"),  # 12 code points
        ("tangerine otter", "good (a longer one is stronger)"),
        ("tangerine otter lamp", "strong"),
    ]:
        page.fill("#newPassword", typed)
        assert meter.inner_text() == "Password strength: " + said, typed
    hana.check()
    # The server refuses what the meter called not allowed, for the same reasons.
    for typed, reason in [
        ("tangerine-ito-lamp", "Do not use your name or e-mail address in your password"),
        ("e\u0301" * 12, "That password is too common"),
        ("\u00e9" * 40, "Use a shorter password"),
    ]:
        page.fill("#currentPassword", PASSWORD)
        page.fill("#newPassword", typed)
        page.fill("#confirmPassword", typed)
        hana.submit("Change my password")
        assert reason in page.inner_text(".govuk-error-summary"), typed
