"""Journey (a): a worry → the checklist → harm → the phone numbers first → the call
recorded → the written follow-up on the worktray until it is sent; the MASH sees it."""


def register(visit_, given, family):
    page = visit_.page
    visit_.goto("/children/new")
    page.fill("#givenName", given)
    page.fill("#familyName", family)
    page.fill("#dateOfBirth", "9")
    page.fill("#dateOfBirth-month", "6")
    page.fill("#dateOfBirth-year", "2018")
    visit_.submit("Register child")
    assert page.locator("h1").inner_text() == f"{given} {family}"


def test_checklist_to_phone_call_to_follow_up(visit):
    dan = visit()
    dan.sign_in("dan@demo.test")
    register(dan, "Sam", "Phonefirst")
    page = dan.page

    dan.follow("Is a CAF needed?")
    assert "No. There is no open CAF" in page.content()
    page.check("#harmConcern")  # yes
    dan.submit("Record the decision")

    assert page.locator("h1").inner_text() == "Phone children’s social care now"
    numbers = page.inner_text("#social-care-numbers")
    assert "01632 960 001" in numbers and "01632 960 002" in numbers

    page.fill("#spokeTo", "Jo, duty social worker")
    page.check("#advice-2")  # social care are taking it forward
    page.fill("#adviceNote", "We will visit today. Send your written account.")
    page.fill("#reference", "MASH-77")
    dan.submit("Record the call")
    assert page.locator("h1").inner_text() == "Safeguarding call"
    assert "Due" in page.content()

    dan.follow("Worktray")
    assert "Safeguarding follow-ups to send" in page.content()

    gus = visit()
    gus.sign_in("gus@demo.test")
    assert "Safeguarding calls to your local authority" in gus.page.content()
    gus.follow("Sam Phonefirst")
    assert "MASH-77" in gus.page.content()

    dan.follow("Sam Phonefirst")
    dan.submit("I have sent the written follow-up")
    assert "Written follow-up recorded as sent" in page.content()
    dan.follow("Worktray")
    assert "Safeguarding follow-ups to send" not in page.content()
