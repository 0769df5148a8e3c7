from anchornet.ingest.columns import find_header, load_synonyms, map_header, normalise_header

SYN = load_synonyms()


def test_normalise_header():
    assert normalise_header(" Supplier_Name ") == "supplier name"
    assert normalise_header("Amount (£)") == "amount"
    assert normalise_header("Pitch & Site") == "pitch and site"


def test_oxford_spellings_map_to_the_same_fields():
    headers = [
        ["Body Name", "Organisational Unit", "Expenditure Category", "Paid Date", "Amount",
         "Type", "Supplier ID", "Supplier Name"],
        ["body_name", "organisational_unit", "expenditure_category", "paid_date", "amount",
         "caporrev", "supplier_id", "supplier_name"],
        ["Body Name", "Organisatonal Unit", "Expenditure Category", "Paid Date", "Amount",
         "Capital or Revenue", "Supplier ID", "Supplier Name "],
    ]
    for header in headers:
        cmap = map_header(header, SYN)
        assert set(cmap.fields) >= {"body", "service_area", "category", "payment_date", "amount",
                                     "capital_revenue", "supplier_ref", "supplier_name"}, header


def test_typo_is_read_fuzzily_and_said():
    cmap = map_header(["Organisatonal Unit", "Supplier", "Amount"], SYN)
    assert cmap.how["service_area"] == "fuzzy"
    assert any("close spelling" in n for n in cmap.notes)


def test_name_of_body_wins_over_a_body_code():
    cmap = map_header(["Body", "Name of Body", "Date", " Amount ", "Supplier name"], SYN)
    assert cmap.fields["body"] == 1
    assert cmap.fields["amount"] == 3


def test_header_found_below_title_rows():
    preview = [
        (1, ["Anytown Borough Council", "", ""]),
        (2, ["Payments over £500: April 2024", "", ""]),
        (4, ["Date", "Supplier", "Amount"]),
        (5, ["01/04/2024", "ACME LTD", "600.00"]),
    ]
    assert find_header(preview, SYN) == (4, ["Date", "Supplier", "Amount"])


def test_no_header_found():
    preview = [(1, ["a", "b", "c"]), (2, ["1", "2", "3"])]
    assert find_header(preview, SYN) is None
