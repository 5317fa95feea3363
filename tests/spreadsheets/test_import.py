"""Importing the files people really have, and refusing the ones that are not spreadsheets,
with the store unchanged."""

import datetime
import json
import zipfile

import openpyxl
import pytest

from conftest import OMB, soffice

HEADER = ["Use case", "Status", "Department", "Business owner", "Benefit (EUR)", "Go-live"]
ROWS = [
    ["Café rota planner", "Pilot", "Operations", "zoë@example.org", "120000", "Jul-25"],
    ["Invoice reader", "Live", "Finance", "", "", "01/2024"],
]


def write_csv(path, encoding, delimiter, bom=False):
    text = "\r\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\r\n"
    data = text.encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    path.write_bytes(data)


@pytest.mark.parametrize(
    "encoding,delimiter,bom",
    [("utf-8", ",", True), ("utf-8", ";", False), ("utf-16", "\t", False), ("cp1252", ";", False), ("utf-16-le", ",", False)],
)
def test_csv_in_any_common_encoding_and_delimiter(store, encoding, delimiter, bom):
    path = store.dir / "cases.csv"
    write_csv(path, encoding, delimiter, bom)
    report = store.json("import", path)
    assert report["created"] == 2, report["problems"]
    assert report["delimiter"] == {"\t": "tab"}.get(delimiter, delimiter)
    cases = {c["title"]: c for c in store.json("list")}
    assert set(cases) == {"Café rota planner", "Invoice reader"}, "accents survive"
    cafe = store.json("show", cases["Café rota planner"]["id"])
    assert cafe["stage"] == "pilot"
    assert cafe["business_unit"] == "Operations"
    assert cafe["owners"]["business"] == "zoë@example.org"
    assert cafe["attributes"]["benefit_eur"] == "120000"
    assert store.json("show", cases["Invoice reader"]["id"])["stage"] == "production"


def test_the_suggested_mapping_is_said_and_a_mapping_file_changes_it(store):
    path = store.dir / "cases.csv"
    write_csv(path, "utf-8", ",")
    preview = store.run("import", path, "--dry-run").stdout
    assert "mapping suggested" in preview and "Use case → title" in preview
    assert "would be created 2" in preview and "nothing was written" in preview
    assert store.count() == 0
    mapping = {
        "source": "ops-sheet",
        "columns": {"Benefit (EUR)": "expected_benefit", "Go-live": {"to": "attr.go_live", "as": "date"}},
    }
    (store.dir / "mapping.json").write_text(json.dumps(mapping))
    report = store.json("import", path, "--mapping", store.dir / "mapping.json")
    assert report["mapping_from"] == "given"
    cafe = next(c for c in store.json("list") if c["title"].startswith("Café"))
    shown = store.json("show", cafe["id"])
    assert shown["expected_benefit"] == 120000
    assert shown["attributes"]["go_live"] == "2025-07"


def test_a_workbook_with_title_rows_merged_headers_formulas_and_serial_dates(store):
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Read me"
    notes["A1"] = "This sheet is not the inventory"
    ws = wb.create_sheet("Inventory")
    ws["A1"] = "AI inventory FY2025"
    ws.merge_cells("A1:E1")
    ws.append(["Title", "Stage", "Owners", None, "Started"])
    ws.merge_cells("C2:D2")
    ws.append(["Forecast demand", "Proof of concept", "ann@example.org", "bo@example.org", datetime.date(2024, 3, 5)])
    ws.append(["=\"Route \"&\"optimiser\"", "Idea", "cy@example.org", None, datetime.date(2025, 1, 31)])
    wb.save(store.dir / "raw.xlsx")
    # LibreOffice computes the formula and stores its result, as Excel would.
    soffice("--convert-to", "xlsx", "--outdir", "saved", "raw.xlsx", cwd=store.dir)
    book = store.dir / "saved" / "raw.xlsx"

    refused = store.run("import", book, "--dry-run", check=False)
    assert refused.returncode == 1 and "no column is mapped to the title" in refused.stderr

    report = store.json("import", book, "--sheet", "Inventory")
    assert report["sheets"] == ["Read me", "Inventory"]
    assert report["headers"] == ["Title", "Stage", "Owners", "Owners (2)", "Started"]
    assert report["created"] == 2, report["problems"]
    cases = {c["title"]: c for c in store.json("list")}
    assert set(cases) == {"Forecast demand", "Route optimiser"}
    forecast = store.json("show", cases["Forecast demand"]["id"])
    assert forecast["stage"] == "proof-of-concept"
    assert forecast["attributes"]["started"] == "2024-03-05", "a date serial becomes a date"


def test_the_federal_inventory_csv_and_xlsx_import_with_the_preset(store):
    report = store.json("import", OMB / "2025_individually_reported_AI_use_cases.csv", "--preset", "omb-2025")
    assert (report["rows"], report["created"], report["invalid"]) == (3611, 3611, 0)
    again = store.json("import", OMB / "2025_individually_reported_AI_use_cases.xlsx", "--preset", "omb-2025", "--dry-run")
    assert again["created"] == 0 and again["rows"] == 3611


def untouched(store, *args, message):
    before = store.json("list")
    p = store.run("import", *args, check=False)
    assert p.returncode == 1, p.stdout
    assert p.stdout == ""
    assert message in p.stderr, p.stderr
    assert store.json("list") == before
    return p.stderr


def test_files_that_are_not_spreadsheets_are_refused_by_name(demo):
    png = demo.dir / "logo.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    untouched(demo, png, message="logo.csv: this is not a spreadsheet")
    (demo.dir / "empty.csv").write_bytes(b"")
    untouched(demo, demo.dir / "empty.csv", message="the file is empty")
    demo.run("export", "--out", demo.dir / "pack.xlsx")
    whole = (demo.dir / "pack.xlsx").read_bytes()
    (demo.dir / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    untouched(demo, demo.dir / "cut.xlsx", message="cut.xlsx: the workbook is damaged or incomplete")
    # An encrypted workbook is an OLE container holding an EncryptionInfo stream.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptionInfo".encode("utf-16-le") + bytes(500)
    (demo.dir / "locked.xlsx").write_bytes(ole)
    untouched(demo, demo.dir / "locked.xlsx", message="password-protected")
    untouched(demo, demo.dir / "missing.csv", message="cannot read")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(demo):
    bomb = demo.dir / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            chunk = b" " * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    untouched(demo, bomb, message="zip bomb")


def test_a_row_of_20000_columns_and_a_1_mb_cell_get_clear_errors(demo):
    wide = demo.dir / "wide.csv"
    wide.write_text("Title," + ",".join(f"c{i}" for i in range(20_000)) + "\nx\n")
    untouched(demo, wide, message="row 1 has 20001 columns; at most 1000")
    big = demo.dir / "big.csv"
    big.write_text("Title,Problem\nHuge," + "x" * (1 << 20) + "\n")
    err = untouched(demo, big, message="1 of 1 rows have problems")
    assert "row 2, Problem" in err and "at most 20000 characters" in err
