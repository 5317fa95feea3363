"""The leadership pack and the CSV export, read back with openpyxl and LibreOffice."""

import csv
import datetime

import openpyxl

from conftest import soffice

SHEETS = ["Cover", "Portfolio", "Scoring", "Matrix", "By stage", "By business unit", "Owners", "Stage history"]


def test_the_pack_has_every_sheet_styled_and_typed(demo):
    out = demo.dir / "pack.xlsx"
    demo.run("export", "--out", out)
    rows = demo.json("list")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS

    cover = wb["Cover"]
    assert cover["A1"].value == "AI use-case portfolio"
    labels = {r[0]: r[1] for r in cover.iter_rows(min_row=3, max_row=9, values_only=True) if r[0]}
    assert labels["By"] == "Ada Lovelace <ada@example.org>"
    assert labels["Filters"] == "none: the whole portfolio"
    assert labels["Use cases"] == len(rows)
    assert isinstance(labels["Generated"], datetime.datetime)

    ws = wb["Portfolio"]
    header = [c.value for c in ws[1]]
    assert header[0] == "Title" and "ID" in header and "Expected annual benefit" in header
    assert ws.freeze_panes == "B2", "header row and title column frozen"
    table = ws.tables["Portfolio"]
    assert table.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{len(rows) + 1}"
    col = {h: i for i, h in enumerate(header)}
    by_id = {r["id"]: r for r in rows}
    money_seen = False
    for row in ws.iter_rows(min_row=2):
        app = by_id[row[col["ID"]].value]
        assert row[col["Title"]].value == app["title"]
        assert row[col["Stage"]].value == app["stage"]
        assert row[col["Priority"]].value == app["priority"]
        assert isinstance(row[col["Created"]].value, datetime.datetime), "dates are real dates"
        benefit = row[col["Expected annual benefit"]]
        if benefit.value is not None:
            money_seen = True
            assert benefit.value == app["expected_benefit"]
            assert "€" in benefit.number_format, benefit.number_format
    assert money_seen
    ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert any(r.startswith("M2:M") for r in ranges), ranges
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width for i in range(3)]
    assert widths[0] > 30, "the title column is wide enough to read"

    chart = wb["Matrix"]._charts[0]
    names = [s.tx.v for s in chart.series]
    assert "Pilot" in names and "Value threshold" in names and "Feasibility threshold" in names
    assert type(chart).__name__ == "ScatterChart"
    for sheet in ["By stage", "By business unit"]:
        assert wb[sheet]._charts, f"{sheet} has a chart"
    stage_rows = list(wb["By stage"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in stage_rows) == len(rows)

    owners = list(wb["Owners"].iter_rows(min_row=2, values_only=True))
    expected_owners = sum(1 for r in rows for e in r["owners"].values() if e)
    assert len(owners) == expected_owners
    moves = list(wb["Stage history"].iter_rows(min_row=2, values_only=True))
    some = next(r for r in rows if r["stage"] == "production")
    history = [h for h in demo.json("history", some["id"]) if h["kind"] == "stage"]
    assert len([m for m in moves if m[6] == some["id"]]) == len(history)
    assert all(isinstance(m[0], datetime.datetime) for m in moves)


def test_the_scoring_formulas_compute_the_apps_numbers_and_follow_the_weights(demo):
    out = demo.dir / "pack.xlsx"
    demo.run("export", "--out", out)
    rows = {r["id"]: r for r in demo.json("list")}
    model = demo.json("criteria")

    # openpyxl keeps the formulas and drops the cached results, so LibreOffice has to
    # compute every score itself.
    wb = openpyxl.load_workbook(out)
    wb.save(demo.dir / "stripped.xlsx")
    first = model["value"][0]
    wb["Scoring"]["C1"].value = first["weight"] * 4
    wb.save(demo.dir / "reweighted.xlsx")
    for name in ["stripped.xlsx", "reweighted.xlsx"]:
        p = soffice("--convert-to", "xlsx", "--outdir", "calc", name, cwd=demo.dir)
        assert (demo.dir / "calc" / name).exists(), p.stderr

    def sheet(name):
        ws = openpyxl.load_workbook(demo.dir / "calc" / name, data_only=True)["Scoring"]
        header = [c.value for c in ws[3]]
        return header, list(ws.iter_rows(min_row=4, values_only=True))

    header, values = sheet("stripped.xlsx")
    col = {h: i for i, h in enumerate(header)}
    checked = 0
    for r in values:
        app = rows[r[col["ID"]]]
        for field, h in [("value_score", "Value score"), ("feasibility_score", "Feasibility score"), ("priority", "Priority")]:
            got = r[col[h]]
            assert (got if got != "" else None) == app[field], (app["title"], h, got, app[field])
        assert (r[col["Quadrant"]] or None) == app["quadrant"]
        checked += app["priority"] is not None
    assert checked > 20

    # The same maths by hand, with the first value criterion's weight four times over.
    weights = {c["slug"]: c["weight"] for c in model["value"]}
    weights[first["slug"]] *= 4
    header2, values2 = sheet("reweighted.xlsx")
    for r in values2:
        app = demo.json("show", r[col["ID"]])
        if app["value_score"] is None:
            continue
        total = sum(weights.values())
        expected = round(sum(w * (app["scores"][s] - 1) / 4 for s, w in weights.items()) * 100 / total + 1e-9, 1)
        assert r[col["Value score"]] == expected, (app["title"], r[col["Value score"]], expected)


def test_the_pack_opens_in_libreoffice_without_repair(demo):
    demo.run("export", "--out", demo.dir / "pack.xlsx")
    p = soffice("--convert-to", "pdf", "--outdir", "pdf", "pack.xlsx", cwd=demo.dir)
    pdf = demo.dir / "pdf" / "pack.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000, p.stderr


def test_a_filtered_export_says_so_and_holds_only_those_rows(demo):
    out = demo.dir / "pilots.xlsx"
    demo.run("export", "--out", out, "--stage", "pilot", "--stage", "production")
    expected = demo.json("list", "--stage", "pilot", "--stage", "production")
    wb = openpyxl.load_workbook(out, read_only=True)
    cover = {r[0]: r[1] for r in wb["Cover"].iter_rows(values_only=True) if r and r[0]}
    assert cover["Filters"] == "stage: Pilot or Production"
    titles = [r[0] for r in wb["Portfolio"].iter_rows(min_row=2, values_only=True)]
    assert sorted(titles) == sorted(r["title"] for r in expected)


def test_the_csv_has_a_bom_rfc4180_quoting_and_escaped_formulas(store):
    uc = store.run("add", "--title", "-20% churn", "--problem", 'Says "hi", then\nleaves').stdout.strip()
    store.run("set", uc, "solution", "=HYPERLINK(\"http://x\")")
    out = store.dir / "portfolio.csv"
    store.run("export", "--out", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["Title"] == "'-20% churn"
    assert rows[0]["Solution"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["Problem"] == 'Says "hi", then\nleaves'
    # ...and the importer takes the escape off again: the round trip changes nothing.
    report = store.json("import", out)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 1)
    assert store.json("show", uc)["title"] == "-20% churn"
