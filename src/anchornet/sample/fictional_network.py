"""The demo network's own records: fictional profiles for the demo members (Oxford City
Council's profile is fictional too: the council did not supply it), two fictional
businesses, a procurement working group with a business co-chair, pledges, self-
assessments, a prospect pipeline, contracts with social value commitments and an action
plan. Every person named here is made up; every organisation added here is labelled
"(fictional)". Written once per workspace: a re-run changes nothing."""

from __future__ import annotations

import datetime as dt

from anchornet.sample import SAMPLE_MEMBER
from anchornet.sample.fictional import HOUSING, NHS, UNIVERSITY
from anchornet.workspace import Workspace

ENGINEERING = "Radcliffe Precision Engineering (fictional)"
BREWERY = "Headington Hill Brewery (fictional)"
BUSINESS_GROUP = "Oxford Business Forum (fictional)"

PROFILES = {
    SAMPLE_MEMBER: dict(sector="local_authority", employees=1300, annual_spend="110000000", network_role="founding",
                        sponsor_name="Sam Placeholder (fictional)", sponsor_title="Chief Executive",
                        hq_postcode="OX1 1BX", main_sites="Town Hall\nRamsay House", staff_local_share="0.62",
                        joined_on="2014-04-01", publish_listing=True,
                        notes="Demo: this profile is made up; the payments are the council's real published data."),
    NHS: dict(sector="nhs", employees=12000, annual_spend="380000000", network_role="founding",
              sponsor_name="Jo Example (fictional)", sponsor_title="Director of Finance",
              main_sites="Main hospital\nCommunity hospital", staff_local_share="0.71", joined_on="2014-04-01",
              publish_listing=True),
    UNIVERSITY: dict(sector="higher_education", employees=4500, annual_spend="150000000", network_role="core",
                     sponsor_name="Chris Sample (fictional)", sponsor_title="Chief Operating Officer",
                     staff_local_share="0.55", joined_on="2015-01-15", publish_listing=True),
    HOUSING: dict(sector="housing", employees=900, annual_spend="60000000", network_role="core",
                  sponsor_name="Pat Demo (fictional)", sponsor_title="Chief Executive", staff_local_share="0.8",
                  joined_on="2015-06-01", publish_listing=False),
}
BUSINESSES = {
    ENGINEERING: dict(sector="business", employees=420, network_role="associate", via_organisation=BUSINESS_GROUP,
                      sponsor_name="Robin Invented (fictional)", sponsor_title="Managing Director",
                      staff_local_share="0.85", joined_on="2016-02-01", publish_listing=True),
    BREWERY: dict(sector="business", employees=140, network_role="associate", via_organisation=BUSINESS_GROUP,
                  sponsor_name="Morgan Madeup (fictional)", sponsor_title="Chief Executive",
                  staff_local_share="0.9", joined_on="2016-05-01", publish_listing=True),
}


def _empty(ws: Workspace, table: str) -> bool:
    return ws.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == 0


def seed_network_records(ws: Workspace) -> bool:
    """Add the demo network's records once; returns whether anything was added."""
    if not (_empty(ws, "member_profiles") and _empty(ws, "working_groups")):
        return False
    _members(ws)
    _groups(ws)
    _pledges(ws)
    _assessments(ws)
    _pipeline(ws)
    _plans(ws)
    _social_value(ws)
    return True


def _members(ws: Workspace) -> None:
    from anchornet.network import members

    for name, profile in PROFILES.items():
        if ws.member_id(name) is not None:
            members.update_profile(ws, name, **profile)
    for name, profile in BUSINESSES.items():
        if ws.member_id(name) is None:
            members.add_member(ws, name, **profile)


def _groups(ws: Workspace) -> None:
    from anchornet.network import groups

    group = groups.add_group(ws, "Procurement (fictional demo)", "procurement",
                             "Spend more of the network's money with local firms, SMEs and voluntary organisations.")
    groups.set_role(ws, group, SAMPLE_MEMBER, "chair")
    groups.set_role(ws, group, ENGINEERING, "co-chair")
    for member in (NHS, UNIVERSITY, HOUSING, BREWERY):
        groups.set_role(ws, group, member, "member")
    meeting = groups.add_meeting(ws, group, dt.date(2016, 3, 10), "First meeting",
                                 "Agreed to share the over-£500 spend files and to look at cleaning and agency "
                                 "staff first, where most spend leaves the county.",
                                 attendees=[SAMPLE_MEMBER, ENGINEERING, NHS, UNIVERSITY])
    groups.add_action(ws, group, "Publish a joint pipeline of cleaning contracts due for renewal", NHS,
                      due_on=dt.date(2016, 6, 30), meeting_id=meeting)
    groups.add_action(ws, group, "Run a meet-the-buyer event for local firms", ENGINEERING,
                      due_on=dt.date(2016, 9, 30), meeting_id=meeting, status="in_progress")
    done = groups.add_action(ws, group, "Share each member's spend files for 2015", SAMPLE_MEMBER,
                             due_on=dt.date(2016, 4, 30), meeting_id=meeting)
    groups.update_action(ws, done, status="done", done_on=dt.date(2016, 4, 20))
    employment = groups.add_group(ws, "Good employment (fictional demo)", "employment",
                                  "Real Living Wage, local recruitment and apprenticeships across the network.")
    groups.set_role(ws, employment, UNIVERSITY, "chair")
    groups.set_role(ws, employment, BREWERY, "co-chair")
    groups.set_role(ws, employment, HOUSING, "member")


def _pledges(ws: Workspace) -> None:
    from anchornet.network import pledges

    local = pledges.add_pledge(
        ws, title="Spend more in Oxfordshire (fictional demo)", theme="procurement", measure="local:county",
        grain="quarter", text="Each signatory raises the share of its influenceable spend with suppliers based "
                              "in the county.",
        baseline_value="33", baseline_period="2015-Q1", target_value="55", target_date="2018-03-31")
    for member, own_baseline in ((NHS, None), (UNIVERSITY, None), (HOUSING, None), (SAMPLE_MEMBER, None)):
        pledges.sign(ws, local, member, signed_on=dt.date(2015, 4, 1), baseline_value=own_baseline,
                     public=member != HOUSING)
    pledges.add_update(ws, local, NHS, period="2015-Q4",
                       note="Two cleaning contracts re-let to county firms from October.")
    wage = pledges.add_pledge(
        ws, title="Pay the Real Living Wage (fictional demo)", theme="employment", measure="manual",
        measure_text="Staff paid at least the Real Living Wage", unit="% of staff",
        text="Every signatory pays all its staff, and asks its main contractors to pay theirs, at least the Real "
             "Living Wage.", baseline_value="80", baseline_period="2015-Q1", target_value="100",
        target_date="2017-03-31")
    for member, values in ((UNIVERSITY, [("2015-06-30", "84"), ("2016-03-31", "93")]),
                           (ENGINEERING, [("2016-03-31", "97")]), (BREWERY, [("2016-06-30", "88")])):
        pledges.sign(ws, wage, member, signed_on=dt.date(2015, 4, 1) if member == UNIVERSITY else dt.date(2016, 2, 1),
                     public=True)
        for as_of, value in values:
            pledges.add_update(ws, wage, member, as_of=as_of, value=value,
                               evidence="Payroll report to the board (fictional)")


def _pipeline(ws: Workspace) -> None:
    """Three of the fictional register's large local employers at different stages, and one
    business that declined."""
    from anchornet.network import pipeline

    moves = {"ZZ000055": ["approached", "senior-meeting"], "ZZ000056": ["approached"], "ZZ000058": []}
    for number, stages in moves.items():
        prospect = pipeline.add_from_register(
            ws, number, by="demo", on=dt.date(2016, 1, 11), owner="Network coordinator",
            next_step="Invite the chief executive to the spring roundtable", next_step_on=dt.date(2016, 4, 20),
            contact_name="Lee Notreal (fictional)", contact_role="Head of corporate affairs")
        for i, stage in enumerate(stages, start=1):
            pipeline.move(ws, prospect, stage, on=dt.date(2016, 1 + i, 15), by="demo",
                          note="Agreed to meet" if stage == "senior-meeting" else None)
    declined = pipeline.add_prospect(ws, "Folly Bridge Boatyard (fictional)", sector="business", employees=35,
                                     fit=["place"], fit_note="Family firm on the river for 90 years", by="demo",
                                     on=dt.date(2015, 11, 2))
    pipeline.move(ws, declined, "declined", on=dt.date(2016, 1, 20), by="demo",
                  note="Too small to take part for now; asked to be contacted again next year")


def _plans(ws: Workspace) -> None:
    from anchornet.network import plans

    plan = plans.add_plan(ws, "Oxfordshire Living Wage Place (fictional demo)", start_year=2016, end_year=2018,
                          goal="Make the county a Living Wage Place: the anchors accredited, their contractors "
                               "paying the Real Living Wage, and 50 more local employers accredited.",
                          status="active", publish=True)
    milestones = [
        ("Form the action group with a business co-chair", 2016, "2016-03-31", SAMPLE_MEMBER, "done"),
        ("All founding members accredited as Living Wage Employers", 2016, "2016-12-31", NHS, "in-progress"),
        ("Living Wage clauses in every new cleaning and catering contract", 2017, "2017-06-30", UNIVERSITY,
         "not-started"),
        ("20 more local employers accredited", 2017, "2017-12-31", ENGINEERING, "at-risk"),
        ("50 more local employers accredited; apply for Living Wage Place recognition", 2018, "2018-12-31",
         SAMPLE_MEMBER, "not-started"),
    ]
    for title, year, due, owner, status in milestones:
        milestone = plans.add_milestone(ws, plan, title, year=year, due_on=due, owner_member=owner)
        if status != "not-started":
            plans.set_milestone_status(ws, milestone, status,
                                       done_on=dt.date(2016, 3, 20) if status == "done" else None)


def _social_value(ws: Workspace) -> None:
    from anchornet.network import social_value as sv

    contracts = [
        (NHS, "Hospital cleaning 2015-2018", "CV-2015-014", "Wychwood Office Cleaning (fictional) Ltd", "1850000",
         "2015-04-01", "2018-03-31", True,
         [("local-jobs", "25", [("2015-09-30", "9"), ("2016-03-31", "8")]),
          ("apprentice-weeks", "208", [("2016-03-31", "52")]),
          ("vcse-donations", "6000", [])]),
        (UNIVERSITY, "Catering services", "IU-CAT-07", "Godstow Kitchen Supplies (fictional) Ltd", "640000",
         "2015-08-01", "2017-07-31", True,
         [("local-supply-spend", "150000", [("2016-01-31", "82000"), ("2016-07-31", "79000")]),
          ("volunteering-hours", "300", [("2016-07-31", "120")])]),
        (HOUSING, "Responsive repairs", "THG-R-22", "Shotover Building Services (fictional) Ltd", "2300000",
         "2015-01-01", "2019-12-31", False,
         [("local-jobs", "12", [("2015-12-31", "12")]),
          ("placements", "20", [("2016-06-30", "6")]),
          ("carbon-saved", "40", [])]),
    ]
    for member, title, ref, supplier, value, start, end, publish, commitments in contracts:
        found = [f for f in sv.suggest_suppliers(ws, supplier) if f["score"] >= 1.0]
        contract = sv.add_contract(ws, member, title, supplier, reference=ref, value=value, start=start, end=end,
                                   supplier_entity_id=found[0]["entity_id"] if found else None, publish=publish,
                                   by="demo")
        for code, quantity, deliveries in commitments:
            sv.commit(ws, contract, code, quantity)
            for as_of, delivered in deliveries:
                sv.record_delivery(ws, contract, code, delivered, as_of, evidence="Contract monitoring return "
                                   "(fictional)", by="demo")


def _assessments(ws: Workspace) -> None:
    """Four public anchors on the public framework (enough for its anonymous distribution)
    and the two businesses on the business framework (too few: it stays hidden), one of
    them twice, to show the change."""
    from anchornet.network import assessments

    public = {
        SAMPLE_MEMBER: (3, 2, 2, 3, 2),
        NHS: (2, 2, 1, 2, 3),
        UNIVERSITY: (3, 3, 2, 2, 2),
        HOUSING: (2, 1, 2, 3, 3),
    }
    dims = ("employment", "procurement", "environment_assets", "corporate_community", "service_delivery")
    for member, levels in public.items():
        assessments.record(ws, member, dict(zip(dims, levels, strict=True)), by="demo", assessed_on="2016-03-01")
    business = dims[:4]
    assessments.record(ws, ENGINEERING, dict(zip(business, (2, 1, 2, 1), strict=True)),
                       {"procurement": "No policy yet; most of our spend goes to national distributors."},
                       by="demo", assessed_on="2016-02-15")
    assessments.record(ws, ENGINEERING, dict(zip(business, (2, 2, 2, 2), strict=True)),
                       {"procurement": "Local suppliers now invited to every quote over £10,000.",
                        "corporate_community": "Staff volunteering day with two local charities."},
                       by="demo", assessed_on="2016-09-01")
    assessments.record(ws, BREWERY, dict(zip(business, (3, 3, 1, 3), strict=True)), by="demo",
                       assessed_on="2016-06-01")
