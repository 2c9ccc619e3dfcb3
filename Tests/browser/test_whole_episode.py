"""Journey (b): a CAF from consent to closure — TAC meeting with attendance, a lead
professional, an action plan, a review compared level by level, closure, and the print
view — with axe on every page."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from test_safeguarding import register


def complete_form(visit_, level):
    page = visit_.page
    page.select_option("#identifying-ethnicity", "Not given")
    page.fill("#identifying-childFirstLanguage", "English")
    page.check("#parents-0--parentalResponsibility")
    for radio in page.locator(f"input[type=radio][value='{level}']").all():
        radio.check()


def test_caf_to_closure(visit):
    amy = visit()
    amy.sign_in("amy@demo.test")
    register(amy, "Ada", "Wholejourney")
    page = amy.page

    amy.follow("Start a CAF")
    page.check("#consent-decision")
    page.check("#consent-givenBy-2")
    page.fill("#consent-name", "Kim Wholejourney")
    page.fill("#consent-relationship", "Mother")
    page.check("#consent-method")
    page.check("#consent-scope-store")
    page.check("input[name='consent.scope.shareWithAgencyTypes[]'][value='health']")
    page.check("input[name='consent.scope.shareWithAgencyTypes[]'][value='education']")
    amy.submit("Record consent and start the CAF")
    episode_path = page.url.replace(amy.base, "").replace("/assessment/edit", "")

    page.fill("#reasonForAssessment", "Ada is tired and often late.")
    complete_form(amy, "2")
    amy.submit("Complete the assessment")
    assert "It cannot be changed" in page.content()

    amy.goto(episode_path)
    page.fill("#practitionerEmail", "ben@demo.test")
    amy.submit("Share")

    # Team around the child: plan a meeting an hour ago, record who came, agree the lead.
    amy.follow("Team, meetings and lead professional")
    page.click("text=Plan a TAC meeting")
    earlier = datetime.now(ZoneInfo("Europe/London")) - timedelta(hours=1)
    page.fill("#scheduledAt", str(earlier.day))
    page.fill("#scheduledAt-month", str(earlier.month))
    page.fill("#scheduledAt-year", str(earlier.year))
    page.fill("#scheduledAtTime", earlier.strftime("%H:%M"))
    page.fill("#place", "Riverside Primary, family room")
    amy.submit("Plan the meeting")
    assert "Meeting planned" in page.content()
    page.get_by_role("link", name="Meeting on").first.click()
    amy.check()
    radios = page.locator("input[type=radio][value='attended']").all()
    assert len(radios) == 2
    for radio in radios:
        radio.check()
    page.fill("#minutes", "Agreed mornings are the priority.")
    amy.submit("Record the meeting")
    assert page.locator(".govuk-error-summary").count() == 0, page.inner_text("main")
    assert "Agreed mornings are the priority." in page.inner_text("main")
    amy.goto(episode_path + "/team")
    page.click("text=Agree a lead professional")
    page.get_by_role("radio", name="Ben Okafor, Health visitor").check()
    amy.submit("Save lead professional")
    assert "Lead professional saved" in page.content()
    assert "Ben Okafor" in page.inner_text("#current-lead")

    # Action plan.
    amy.goto(episode_path + "/plan")
    page.fill("#description", "Breakfast club place")
    page.check("input[name='elementCodes[]'][value='dev.selfcare']")
    page.get_by_role("radio", name="Amy Clarke, SENCo").check()
    due = datetime.now() + timedelta(days=21)
    page.fill("#dueOn", str(due.day))
    page.fill("#dueOn-month", str(due.month))
    page.fill("#dueOn-year", str(due.year))
    amy.submit("Add the action")
    assert "Action added" in page.content()

    # Review: a new version; self-care improves.
    amy.goto(episode_path)
    amy.submit("Start a review")
    assert page.input_value("#reasonForAssessment") == "Ada is tired and often late."
    page.check("input[name='level.dev.selfcare'][value='1']")
    amy.submit("Complete the assessment")
    amy.goto(episode_path)
    amy.follow("Compare levels of need between versions")
    assert "Down" in page.content()

    # Close, then print the whole episode.
    amy.goto(episode_path)
    page.click("text=Close this episode")
    page.check("#close-reason")  # needs met
    amy.submit("Close the episode")
    assert "Episode closed" in page.content()
    amy.follow("Print the whole episode")
    content = page.content()
    assert "Breakfast club place" in content and "Agreed mornings are the priority." in content and "Needs met" in content
