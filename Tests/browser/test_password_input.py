"""GOV.UK's password input (ASVS V2.1.12): a person can show what they typed, the field is
masked again before the form is sent, and without JavaScript there is no button to mislead.
axe on every page."""
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
    context.close()
