// Import: choosing a file, the preview (counts, notes, problems, changes), remapping a column, mapping the stage values, skipping invalid rows, how the file is read, progress, Cancel and errors.
import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { targetOf } from "./importOptions";
import { attributeName, retarget } from "./portfolioImport";
import type { Error as BackendError } from "../../bindings/Error";
import type { ImportReport } from "../../bindings/ImportReport";
import type { Mapping } from "../../bindings/Mapping";
import { resetBackend } from "../../test/backend";
import { renderApp, tableRows } from "../../test/render";

const FILE = "/data/inventory.csv";
const PREVIEW = { path: FILE, dry_run: true, skip_invalid: false };
const HEADERS = ["Use case", "Business unit", "Stage", "Owner", "Expected benefit"];

/** The engine's words for the problems and notes these files have. */
const NOT_MONEY = "the expected annual benefit must be a plain number such as 250000, not `lots`";
const NOT_A_STAGE =
  "unknown stage; stages are idea, assessment, proof-of-concept, pilot, production, scaled, parked, retired (or map this value in the mapping's `values`)";
const STAGE_LEFT_ALONE =
  "row 2: the stage in the file (pilot) differs from “Claims triage”’s (idea); stages move through their gates in the app, so it was left alone";

/** A mapping as the engine reports it: these columns, no values mapped. */
function mapping(columns: Mapping["columns"], values: Mapping["values"] = {}): Mapping {
  return { source: "import", columns, values, date_order: "month-day" };
}

/** What the engine suggests for the inventory's headers. */
const SUGGESTED = mapping({
  "Use case": "title",
  "Business unit": "business_unit",
  Stage: "stage",
  Owner: "owner.business",
  "Expected benefit": "expected_benefit",
});

/** An import's report, a CSV previewed unless stated; counts and lists as the test states them. */
function report(fields: Partial<ImportReport>): ImportReport {
  return {
    file: FILE,
    sheets: [],
    sheet: null,
    encoding: "UTF-8",
    delimiter: ",",
    headers: HEADERS,
    mapping: SUGGESTED,
    mapping_from: "suggested",
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    problems: [],
    notes: [],
    changes: [],
    stage_values: [],
    applied: false,
    ...fields,
  };
}

/**
 * The engine's preview of the inventory (rows 2–4: Claims triage, Claims, Pilot,
 * helen@example.org, 250000; Invoice matching, Finance, Idea, "", "lots"; Churn forecast,
 * Marketing, Someday) against a store holding Claims triage at Idea.
 */
function inventoryPreview(fields: Partial<ImportReport> = {}): ImportReport {
  return report({
    rows: 3,
    updated: 1,
    invalid: 2,
    problems: [
      { row: 3, column: "Expected benefit", value: "lots", why: NOT_MONEY },
      { row: 4, column: "Stage", value: "Someday", why: NOT_A_STAGE },
    ],
    notes: [STAGE_LEFT_ALONE],
    changes: [{ row: 2, action: "update", title: "Claims triage", id: "uc-0001", fields: ["expected_benefit", "owner.business"] }],
    stage_values: [
      { value: "Pilot", stage: "pilot", rows: 1 },
      { value: "Idea", stage: "idea", rows: 1 },
      { value: "Someday", stage: null, rows: 1 },
    ],
    ...fields,
  });
}

/** The same file previewed with its Stage column ignored: Churn forecast can be created, Invoice matching still cannot. */
function stageIgnored(given: Mapping): ImportReport {
  return report({
    mapping: given,
    mapping_from: "given",
    rows: 3,
    created: 1,
    updated: 1,
    invalid: 1,
    problems: [{ row: 3, column: "Expected benefit", value: "lots", why: NOT_MONEY }],
    changes: [
      { row: 2, action: "update", title: "Claims triage", id: "uc-0001", fields: ["expected_benefit", "owner.business"] },
      { row: 4, action: "create", title: "Churn forecast", id: null, fields: ["title", "business_unit"] },
    ],
  });
}

/** What the engine says when a running import is cancelled. */
const CANCELLED: BackendError = { code: "cancelled", message: "The import was cancelled; nothing was written" };

function scene() {
  const backend = resetBackend();
  const claims = backend.seed({ title: "Claims triage", business_unit: "Claims" });
  backend.answer("import_choose_file", FILE);
  // Previewed as suggested, then as the person maps it; imported, the engine writes what the preview said.
  backend.answer("import_run", (req) => {
    if (!req.mapping) return inventoryPreview();
    if (req.dry_run) return stageIgnored(req.mapping);
    backend.update(claims.id, { expected_benefit: 250_000, owners: { ...claims.owners, business: "helen@example.org" } });
    backend.seed({ title: "Churn forecast", business_unit: "Marketing" });
    return { ...stageIgnored(req.mapping), applied: true };
  });
  return backend;
}

const importDialog = () => screen.getByRole("dialog", { name: "Import use cases" });

/** Opens Import…, chooses the file and waits for its preview (of `rows` rows). */
async function preview(user: ReturnType<typeof renderApp>["user"], rows = 3) {
  await screen.findByRole("row", { name: /Claims triage/ });
  await user.click(screen.getByRole("button", { name: "Import…" }));
  const dialog = importDialog();
  expect(within(dialog).getByRole("button", { name: "Choose file…" })).toHaveFocus();
  await user.click(within(dialog).getByRole("button", { name: "Choose file…" }));
  await within(dialog).findByText(new RegExp(`^${rows} rows:`));
  return dialog;
}

describe("import", () => {
  it("previews the file, re-runs the preview when a column is remapped, and imports the valid rows once skipping is chosen", async () => {
    const backend = scene();
    const { user } = renderApp();
    const dialog = await preview(user);

    expect(backend.callsOf("import_run")).toEqual([PREVIEW]);
    expect(within(dialog).getByText(FILE)).toBeInTheDocument();
    expect(within(dialog).getByText("3 rows: 0 to create, 1 to update, 0 unchanged, 2 with problems")).toBeInTheDocument();
    expect(within(dialog).getByText("Suggested from the file’s headers: check each column.")).toBeInTheDocument();
    expect(within(dialog).getByRole("combobox", { name: "Where “Use case” goes" })).toHaveDisplayValue("Title");
    expect(within(dialog).getByRole("combobox", { name: "Where “Owner” goes" })).toHaveDisplayValue("Business owner (email)");
    expect(within(within(dialog).getByRole("list", { name: "Notes" })).getByRole("listitem")).toHaveTextContent(STAGE_LEFT_ALONE);
    const problems = within(dialog).getByRole("table", { name: "Problems" });
    expect(
      within(problems)
        .getAllByRole("row")
        .map((r) => r.textContent),
    ).toEqual(["RowColumnValueWhy", `3Expected benefitlots${NOT_MONEY}`, `4StageSomeday${NOT_A_STAGE}`]);
    const changes = within(dialog).getByRole("table", { name: "Changes" });
    expect(within(changes).getAllByRole("row")[1]).toHaveTextContent("2UpdateClaims triageExpected annual benefit, Business owner");

    // Stage ignored: the preview runs again with the mapping changed in that one column.
    await user.selectOptions(within(dialog).getByRole("combobox", { name: "Where “Stage” goes" }), "Ignore");
    expect(await within(dialog).findByText("3 rows: 1 to create, 1 to update, 0 unchanged, 1 with problems")).toBeInTheDocument();
    const mapping = { ...SUGGESTED, columns: { ...SUGGESTED.columns, Stage: "ignore" } };
    expect(backend.callsOf("import_run")[1]).toEqual({ ...PREVIEW, mapping });
    expect(within(dialog).getByText("As you set them.")).toBeInTheDocument();
    expect(within(dialog).queryByRole("list", { name: "Notes" })).not.toBeInTheDocument();

    // One row is still wrong: nothing is imported until skipping it is chosen.
    const importButton = within(dialog).getByRole("button", { name: "Import" });
    expect(importButton).toBeDisabled();
    expect(importButton).toHaveAccessibleDescription("Fix the problems in the file and choose it again, or skip the invalid rows.");
    expect(within(dialog).getByRole("radio", { name: "Cancel (import nothing until fixed)" })).toBeChecked();
    await user.click(within(dialog).getByRole("radio", { name: "Skip the 1 invalid row and import the rest" }));
    expect(importButton).toBeEnabled();
    await user.click(importButton);

    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent("Imported: 1 created, 1 updated, 1 skipped."));
    expect(backend.callsOf("import_run")[2]).toEqual({ path: FILE, mapping, dry_run: false, skip_invalid: true });
    // The table refreshes with the new use case.
    await waitFor(() => expect(tableRows()).toHaveLength(2));
    expect(screen.getByRole("row", { name: /Churn forecast/ })).toBeInTheDocument();

    // Closing after an import starts the next one afresh.
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    await user.click(screen.getByRole("button", { name: "Import…" }));
    expect(within(importDialog()).getByRole("button", { name: "Choose file…" })).toBeInTheDocument();
    expect(backend.callsOf("import_run")).toHaveLength(3);
  });

  it("lists the stage column's values, flags an unknown one, and previews again with the stage chosen for it", async () => {
    const backend = scene();
    // Rows 2–5: Claims triage (Claims, Pilot), Invoice matching and Churn forecast (Galaxy), Fraud alerts (blank).
    const headers = ["Use case", "Business unit", "Stage"];
    const suggested = mapping({ "Use case": "title", "Business unit": "business_unit", Stage: "stage" });
    const created = (row: number, title: string) => ({ row, action: "create" as const, title, id: null, fields: ["title", "business_unit"] });
    const answer = (fields: Partial<ImportReport>) =>
      report({ headers, mapping: suggested, rows: 4, unchanged: 1, notes: [STAGE_LEFT_ALONE], changes: [created(5, "Fraud alerts")], ...fields });
    backend.answer("import_run", (req) => {
      if (!req.mapping)
        return answer({
          created: 1,
          invalid: 2,
          problems: [
            { row: 3, column: "Stage", value: "Galaxy", why: NOT_A_STAGE },
            { row: 4, column: "Stage", value: "Galaxy", why: NOT_A_STAGE },
          ],
          stage_values: [
            { value: "Pilot", stage: "pilot", rows: 1 },
            { value: "Galaxy", stage: null, rows: 2 },
            { value: "", stage: "idea", rows: 1 },
          ],
        });
      return answer({
        mapping: req.mapping,
        mapping_from: "given",
        created: 3,
        changes: [created(3, "Invoice matching"), created(4, "Churn forecast"), created(5, "Fraud alerts")],
        stage_values: [
          { value: "Pilot", stage: "pilot", rows: 1 },
          { value: "Galaxy", stage: "parked", rows: 2 },
          { value: "", stage: "idea", rows: 1 },
        ],
        applied: !req.dry_run,
      });
    });
    const { user } = renderApp();
    const dialog = await preview(user, 4);
    expect(within(dialog).getByText("4 rows: 1 to create, 0 to update, 1 unchanged, 2 with problems")).toBeInTheDocument();

    const values = within(dialog).getByRole("table", { name: "Stage values" });
    expect(within(values).getByRole("combobox", { name: "Stage for “Pilot”" })).toHaveDisplayValue("Pilot");
    expect(within(values).getByRole("combobox", { name: "Stage for blank cells" })).toHaveDisplayValue("Idea");
    expect(within(values).getByText("(blank)")).toBeInTheDocument();
    const galaxy = within(values).getByRole("combobox", { name: "Stage for “Galaxy”" });
    expect(galaxy).toHaveDisplayValue("Not a stage — choose one");
    expect(galaxy).toHaveAccessibleDescription("Not a stage: 2 rows have a problem until you choose one.");
    expect(within(galaxy.closest("tr")!).getByText("2 rows")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Import" })).toBeDisabled();

    // Galaxy means Parked: the preview runs again with that in the mapping's values, the columns as they were.
    await user.selectOptions(galaxy, "Parked");
    expect(await within(dialog).findByText("4 rows: 3 to create, 0 to update, 1 unchanged, 0 with problems")).toBeInTheDocument();
    const mapped = { ...suggested, values: { stage: { Galaxy: "parked" } } };
    expect(backend.callsOf("import_run")[1]).toEqual({ ...PREVIEW, mapping: mapped });
    expect(within(dialog).queryByRole("table", { name: "Problems" })).not.toBeInTheDocument();
    const chosen = within(dialog).getByRole("combobox", { name: "Stage for “Galaxy”" });
    expect(chosen).toHaveDisplayValue("Parked");
    expect(chosen).not.toHaveAccessibleDescription();

    const importButton = within(dialog).getByRole("button", { name: "Import" });
    expect(importButton).toBeEnabled();
    await user.click(importButton);
    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent("Imported: 3 created, 0 updated, 0 skipped."));
    expect(backend.callsOf("import_run")[2]).toEqual({ path: FILE, mapping: mapped, dry_run: false, skip_invalid: false });
  });

  it("shows the detected encoding and separator, previews again with what the person picks, and says why a mapping cannot import", async () => {
    const backend = scene();
    // The file read as the person says; with no column left for the title, the engine refuses the mapping.
    backend.answer("import_run", (req) => {
      if (req.mapping && targetOf(req.mapping.columns["Use case"]) === "ignore")
        throw { code: "validation", field: "mapping", message: `no column is mapped to the title; map one of ${HEADERS.join(", ")} to \`title\`` };
      return inventoryPreview({ encoding: req.encoding ?? "UTF-8", delimiter: req.delimiter ?? "," });
    });
    const { user } = renderApp();
    const dialog = await preview(user);

    const encoding = within(dialog).getByRole("combobox", { name: "Text encoding" });
    expect(encoding).toHaveValue("utf-8");
    expect(encoding).toHaveAccessibleDescription("Detected: UTF-8. Change it if letters look wrong.");
    const separator = within(dialog).getByRole("combobox", { name: "Separator" });
    expect(separator).toHaveValue(",");
    expect(within(dialog).queryByRole("combobox", { name: "Sheet" })).not.toBeInTheDocument();

    await user.selectOptions(separator, "Semicolon ( ; )");
    await waitFor(() => expect(backend.callsOf("import_run")).toHaveLength(2));
    expect(backend.callsOf("import_run")[1]).toEqual({ ...PREVIEW, delimiter: ";" });
    await waitFor(() => expect(within(dialog).getByRole("combobox", { name: "Separator" })).toHaveAccessibleDescription("As you chose."));
    await user.selectOptions(within(dialog).getByRole("combobox", { name: "Text encoding" }), "Windows-1252 (Western European)");
    await waitFor(() => expect(backend.callsOf("import_run")[2]).toEqual({ ...PREVIEW, delimiter: ";", encoding: "windows-1252" }));

    await user.selectOptions(within(dialog).getByRole("combobox", { name: "Where “Use case” goes" }), "Ignore");
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("no column is mapped to the title; map one of Use case, Business unit, Stage, Owner, Expected benefit to `title`");
    expect(backend.lastCall("import_run")).toMatchObject({
      ...PREVIEW,
      delimiter: ";",
      encoding: "windows-1252",
      mapping: { columns: { "Use case": "ignore" } },
    });
    // The columns stay on screen to be fixed; nothing can be imported as they are.
    expect(within(dialog).getByRole("button", { name: "Import" })).toBeDisabled();

    await user.selectOptions(within(dialog).getByRole("combobox", { name: "Where “Use case” goes" }), "Title");
    expect(await within(dialog).findByText(/^3 rows:/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
  });

  it("offers the sheets of a workbook, shows progress with Cancel, and shows the engine's refusal with its details", async () => {
    const backend = scene();
    const book = "/data/inventory.xlsx";
    backend.answer("import_choose_file", book);
    // The same rows in a workbook's sheets: no encoding or separator to read it with.
    const sheet = (name: string) => inventoryPreview({ file: book, sheets: ["Inventory", "Retired"], sheet: name, encoding: null, delimiter: null });
    backend.answer("import_run", (req) => sheet(req.sheet ?? "Inventory"));
    const { user } = renderApp();
    const dialog = await preview(user);
    expect(within(dialog).queryByRole("combobox", { name: "Text encoding" })).not.toBeInTheDocument();
    const sheets = within(dialog).getByRole("combobox", { name: "Sheet" });
    expect(sheets).toHaveValue("Inventory");
    await user.selectOptions(sheets, "Retired");
    await waitFor(() => expect(backend.callsOf("import_run")[1]).toEqual({ path: book, sheet: "Retired", dry_run: true, skip_invalid: false }));
    await waitFor(() => expect(within(dialog).getByRole("combobox", { name: "Sheet" })).toHaveValue("Retired"));

    await user.click(within(dialog).getByRole("radio", { name: /^Skip the 2 invalid rows/ }));
    const held = backend.holdNext("import_run");
    backend.answer("task_cancel", () => {
      held.reject(CANCELLED);
      return null;
    });
    await user.click(within(dialog).getByRole("button", { name: "Import" }));
    const bar = await within(dialog).findByRole("progressbar", { name: "Import progress" });
    act(() => backend.progress({ phase: "Writing use cases", done: 1, total: 2 }));
    expect(bar).toHaveAttribute("aria-valuetext", "Writing use cases 1 of 2");
    expect(within(dialog).getByRole("combobox", { name: "Sheet" })).toBeDisabled();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(within(dialog).getByRole("status")).toHaveTextContent("Import cancelled; nothing was written."));
    expect(backend.callsOf("task_cancel")).toHaveLength(1);
    expect(backend.callsOf("import_run")[2]).toEqual({ path: book, sheet: "Retired", dry_run: false, skip_invalid: true });

    // Tried again, the engine refuses (the file changed meanwhile, say): the message and each problem show.
    backend.failNext("import_run", {
      code: "validation",
      message: "inventory.xlsx: 2 of 3 rows have problems, so nothing was imported; fix them, or skip the invalid rows",
      details: [`row 3, Expected benefit: \`lots\`: ${NOT_MONEY}`],
    });
    await user.click(within(dialog).getByRole("button", { name: "Import" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("2 of 3 rows have problems, so nothing was imported");
    expect(within(alert).getByRole("listitem")).toHaveTextContent("row 3, Expected benefit: `lots`");
    expect(within(alert).getByText("validation")).toBeInTheDocument();
  });

  it("keeps the wizard when closed before importing, and previews again on reopening", async () => {
    const backend = scene();
    const { user } = renderApp();
    const dialog = await preview(user);
    await user.selectOptions(within(dialog).getByRole("combobox", { name: "Where “Stage” goes" }), "Ignore");
    await within(dialog).findByText(/1 to create/);
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: "Import use cases" })).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Import…" }));
    await waitFor(() => expect(backend.callsOf("import_run")).toHaveLength(3));
    expect(backend.callsOf("import_run")[2]).toEqual(backend.callsOf("import_run")[1]);
    expect(within(importDialog()).getByRole("combobox", { name: "Where “Stage” goes" })).toHaveDisplayValue("Ignore");
    expect(within(importDialog()).getByRole("button", { name: "Choose another file…" })).toBeInTheDocument();
  });
});

describe("mapping helpers", () => {
  it("keeps how a column is read when only its target changes", () => {
    expect(retarget("title", "problem")).toBe("problem");
    expect(retarget({ to: "attr.operational_date", as: "date" }, "attr.went_live")).toEqual({ to: "attr.went_live", as: "date" });
    expect(retarget(undefined, "tags")).toBe("tags");
  });

  it("names an attribute after its header the way the engine does", () => {
    expect(attributeName("Agency Name")).toBe("agency_name");
    expect(attributeName("  Use Case ID  [Agency Abbrev.] – [#]")).toBe("use_case_id_agency_abbrev");
    expect(attributeName("---")).toBe("column");
  });
});
