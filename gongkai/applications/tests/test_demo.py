from datetime import date
from io import StringIO

from gongkai.applications.demo import load_demo
from gongkai.applications.models import Application, Status
from gongkai.applications.selectors import application_report_table, report_rows_by_key
from gongkai.orgs import demo as orgs_demo


def test_it_loads_the_2012_case_and_a_handful_of_2026_cases(db):
    orgs = orgs_demo.load_organisations()
    users, _logins = orgs_demo.load_users(orgs=orgs)
    load_demo(orgs=orgs, users=users, stdout=StringIO())

    town = orgs["liaobu"]
    rows = report_rows_by_key(application_report_table(organisation=town, year=2012))
    assert rows["new"].values["total"] == 1
    assert rows["disclosed"].values["total"] == 1
    assert rows["carried_out"].values["total"] == 0
    seed = Application.objects.get(number="LB-2012-00001")
    assert seed.closed_on <= seed.due_on  # answered within the time limit
    assert not seed.events.filter(kind="fee_paid").exists()

    statuses = set(Application.objects.filter(year=2026).values_list("status", flat=True))
    assert statuses == {s.value for s in Status}
    overdue = Application.objects.filter(
        status__in=["new", "in_progress"], due_on__lt=date(2026, 11, 26)
    )
    assert overdue.exists()
