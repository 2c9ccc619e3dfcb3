"""The measures: a coordinator opens the LA dashboard, filters it and downloads a table as
CSV; a national analyst opens the national dashboard, where small counts are hidden. Axe runs
on every page."""

from conftest import PASSWORD


def test_coordinator_and_national_analyst_dashboards(visit):
    erin = visit()
    erin.sign_in("erin@demo.test")
    page = erin.page
    erin.follow("Measures")
    assert page.locator("h1").inner_text() == "Is early help coming sooner and working?"
    assert page.locator(".govuk-caption-l").inner_text() == "Cambridgeshire"
    # Every measure is a chart with a title and description, beside its table.
    charts = page.locator("svg[role='img']")
    assert charts.count() == 18
    assert page.locator("#chart-time-to-assessment-title").count() == 1
    assert page.locator("section#time-to-assessment table tbody tr").count() >= 2

    # Only the CAFs schools started.
    page.select_option("#agencyType", "education")
    erin.submit("Show figures")
    assert "agencyType=education" in page.url
    rows = page.locator("section#time-to-assessment table tbody tr th")
    assert rows.all_inner_texts() == ["Education", "All"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Download time to assessment as CSV").click()
    csv = open(download.value.path(), encoding="utf-8").read()
    assert csv.splitlines()[0] == "Agency type,Count,Median days,90th percentile days"
    assert csv.splitlines()[1].startswith("Education,")

    # A bad date is named, and what was typed is kept.
    page.fill("#from", "last spring")
    erin.submit("Show figures")
    assert page.locator(".govuk-error-summary a[href='#from']").count() == 1
    assert page.locator("#from").input_value() == "last spring"

    nat = visit()
    nat.goto("/sign-in")
    nat.page.fill("#email", "nat@demo.test")
    nat.page.fill("#password", PASSWORD)
    nat.submit("Sign in")
    national = nat.page
    assert national.locator(".govuk-caption-l").inner_text() == "All local authorities"
    assert "counts of 1 to 4 show as" in national.content()
    national.select_option("#localAuthorityId", label="Suffolk")
    nat.submit("Show figures")
    assert national.locator(".govuk-caption-l").inner_text() == "Suffolk"
    assert "Find a child" not in national.locator("header").inner_text()
