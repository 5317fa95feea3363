//! Exports and imports, through the same engine functions the app and the CLI call.

use crate::support::*;
use portfolio::export::{self, ExportRequest};
use portfolio::import::{self, ImportReport, ImportRequest};
use portfolio::task::{Cancel, no_progress};

const OMB_CSV: &str = "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv";
const OMB_XLSX: &str = "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.xlsx";

async fn export_to(ctx: &Ctx, path: &std::path::Path, filters: Filters) -> export::ExportSummary {
    export::export(
        ctx,
        ExportRequest {
            path: path.display().to_string(),
            format: None,
            filters,
        },
        no_progress(),
        Cancel::default(),
    )
    .await
    .unwrap()
}

async fn import_file(
    ctx: &Ctx,
    path: &str,
    preset: Option<&str>,
    dry_run: bool,
) -> portfolio::Result<ImportReport> {
    import::import(
        ctx,
        ImportRequest {
            path: path.into(),
            preset: preset.map(str::to_owned),
            dry_run,
            ..Default::default()
        },
        no_progress(),
        Cancel::default(),
    )
    .await
}

/// A read-only look at the store's file, as another program would have.
async fn peek(dir: &TempDir) -> sqlx::SqlitePool {
    let url = format!("sqlite://{}?mode=ro", dir.path().join("p.db").display());
    sqlx::SqlitePool::connect(&url).await.unwrap()
}

async fn counts(dir: &TempDir) -> (i64, i64) {
    let db = &peek(dir).await;
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM use_cases")
        .fetch_one(db)
        .await
        .unwrap();
    let log = sqlx::query_scalar("SELECT COUNT(*) FROM change_log")
        .fetch_one(db)
        .await
        .unwrap();
    (n, log)
}

#[tokio::test]
async fn an_exported_csv_reimports_unchanged_and_an_edited_one_updates_in_place() {
    let (dir, ctx) = fresh().await;
    portfolio::demo::load(&ctx).await.unwrap();
    let churn = add(&ctx, "-20% churn").await;
    set(&ctx, &churn.id, "problem", "=HYPERLINK(\"http://evil\")")
        .await
        .unwrap();
    let csv = dir.path().join("pack.csv");
    let done = export_to(&ctx, &csv, Filters::default()).await;
    assert_eq!(done.use_cases, 42);

    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with('\u{feff}'),
        "a byte-order mark comes first"
    );
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    assert!(
        text.contains("'-20% churn,"),
        "a formula-like title is escaped: {}",
        &text[..300]
    );
    assert!(text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""));

    let again = import_file(&ctx, csv.to_str().unwrap(), None, false)
        .await
        .unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged, again.invalid),
        (0, 0, 42, 0)
    );
    assert_eq!(
        use_case::get(&ctx, &churn.id).await.unwrap().title,
        "-20% churn"
    );

    // Someone edits a title and a business unit in the file and imports it back.
    let edited = text.replace("'-20% churn,", "'-25% churn,").replacen(
        ",Claims,",
        ",Claims and Recoveries,",
        1,
    );
    std::fs::write(&csv, edited).unwrap();
    let before = counts(&dir).await;
    let preview = import_file(&ctx, csv.to_str().unwrap(), None, true)
        .await
        .unwrap();
    assert_eq!(
        (preview.created, preview.updated, preview.unchanged),
        (0, 2, 40)
    );
    assert_eq!(counts(&dir).await, before, "a preview writes nothing");
    let done = import_file(&ctx, csv.to_str().unwrap(), None, false)
        .await
        .unwrap();
    assert_eq!((done.created, done.updated), (0, 2));
    let uc = use_case::get(&ctx, &churn.id).await.unwrap();
    assert_eq!(uc.title, "-25% churn");
    let last = use_case::history(&ctx, &churn.id)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (last.kind.as_str(), last.field.as_deref()),
        ("field", Some("title"))
    );
    assert_eq!(last.note.as_deref(), Some("import from pack.csv"));
    assert_eq!(
        counts(&dir).await.0,
        before.0,
        "updated in place, nothing duplicated"
    );
}

#[tokio::test]
async fn the_federal_inventory_imports_as_published_and_reimports_without_duplicates() {
    let (dir, ctx) = fresh().await;
    let first = import_file(&ctx, OMB_CSV, Some("omb-2025"), false)
        .await
        .unwrap();
    assert_eq!((first.rows, first.created, first.invalid), (3611, 3611, 0));
    assert!(
        first.notes.iter().any(|n| n.contains("DOJ-0357")),
        "repeated ids are reported"
    );
    let page = view::list(
        &ctx,
        ListQuery {
            filters: Filters {
                search: Some("Veterans".into()),
                ..Filters::default()
            },
            limit: Some(1),
            ..ListQuery::default()
        },
    )
    .await
    .unwrap();
    assert!(page.total > 0);
    let db = peek(&dir).await;
    let source: Option<String> = sqlx::query_scalar(
        "SELECT source_id FROM use_cases WHERE source_id = 'omb-2025:VA-24-413'",
    )
    .fetch_optional(&db)
    .await
    .unwrap();
    assert!(source.is_some(), "ids are kept as source ids");
    // Fields without a column of their own are kept as attributes, dates normalised.
    let (attrs, stage): (String, String) = sqlx::query_as(
        "SELECT attributes, stage FROM use_cases WHERE source_id = 'omb-2025:VA-24-413'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let attrs: BTreeMap<String, String> = serde_json::from_str(&attrs).unwrap();
    assert!(attrs.contains_key("agency_name"), "{attrs:?}");
    assert!(Stage::parse(&stage).is_ok());
    let dates: Vec<String> = sqlx::query_scalar(
        "SELECT json_extract(attributes, '$.operational_date') FROM use_cases WHERE json_extract(attributes, '$.operational_date') IS NOT NULL",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert!(dates.len() > 1000);
    assert!(
        dates
            .iter()
            .all(|d| d.len() >= 4 && d[..4].parse::<u32>().is_ok()),
        "ISO dates only"
    );

    let before = counts(&dir).await;
    let again = import_file(&ctx, OMB_CSV, Some("omb-2025"), false)
        .await
        .unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 3611)
    );
    assert_eq!(
        counts(&dir).await,
        before,
        "a repeated import changes nothing"
    );
    // The workbook edition of the same inventory matches the same use cases.
    let xlsx = import_file(&ctx, OMB_XLSX, Some("omb-2025"), true)
        .await
        .unwrap();
    assert_eq!(xlsx.rows, 3611);
    assert_eq!(
        xlsx.created,
        0,
        "{:?}",
        &xlsx.changes[..3.min(xlsx.changes.len())]
    );
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_unless_told_to_skip_them() {
    let (dir, ctx) = fresh().await;
    let path = dir.path().join("mixed.csv");
    std::fs::write(
        &path,
        "Title;Stage;Expected annual benefit;Owner\nGood one;Pilot;250000;ann@example.org\n;Idea;;\nBad stage;Galaxy;;\nBad money;Idea;lots;\n",
    )
    .unwrap();
    let before = counts(&dir).await;
    let e = import_file(&ctx, path.to_str().unwrap(), None, false)
        .await
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(
        e.message.contains("3 of 4 rows have problems"),
        "{}",
        e.message
    );
    assert!(
        e.details
            .iter()
            .any(|d| d.starts_with("row 4, Stage: `Galaxy`: unknown stage")),
        "{:?}",
        e.details
    );
    assert!(
        e.details.iter().any(|d| d.starts_with("row 3, Title")),
        "{:?}",
        e.details
    );
    assert_eq!(counts(&dir).await, before, "nothing half-imported");

    // The preview lists the stage column's values; mapping the unknown one fixes its row.
    let preview = import_file(&ctx, path.to_str().unwrap(), None, true)
        .await
        .unwrap();
    let galaxy = preview
        .stage_values
        .iter()
        .find(|v| v.value == "Galaxy")
        .unwrap();
    assert_eq!((galaxy.stage, galaxy.rows), (None, 1));
    let pilot = preview
        .stage_values
        .iter()
        .find(|v| v.value == "Pilot")
        .unwrap();
    assert_eq!(pilot.stage, Some(Stage::Pilot));
    let mut mapping = preview.mapping.clone();
    mapping.values.insert(
        "stage".into(),
        BTreeMap::from([("Galaxy".to_owned(), "parked".to_owned())]),
    );
    let fixed = import::import(
        &ctx,
        ImportRequest {
            path: path.display().to_string(),
            mapping: Some(mapping),
            dry_run: true,
            ..Default::default()
        },
        no_progress(),
        Cancel::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        (fixed.invalid, fixed.created),
        (2, 2),
        "{:?}",
        fixed.problems
    );

    let r = import::import(
        &ctx,
        ImportRequest {
            path: path.display().to_string(),
            skip_invalid: true,
            ..Default::default()
        },
        no_progress(),
        Cancel::default(),
    )
    .await
    .unwrap();
    assert_eq!((r.created, r.invalid), (1, 3));
    let page = view::list(&ctx, ListQuery::default()).await.unwrap();
    let good = use_case::get(&ctx, &page.rows[0].id).await.unwrap();
    assert_eq!(
        (good.title.as_str(), good.stage),
        ("Good one", Stage::Pilot)
    );
    assert_eq!(good.expected_benefit, Some(250000.0));
    assert_eq!(good.owners.business.as_deref(), Some("ann@example.org"));
    let created = use_case::history(&ctx, &good.id).await.unwrap().remove(0);
    assert_eq!(
        created.note.as_deref(),
        Some("imported from mixed.csv, row 2")
    );
}

#[tokio::test]
async fn a_cancelled_export_leaves_no_file_and_keeps_the_old_one() {
    let (dir, ctx) = fresh().await;
    portfolio::demo::load(&ctx).await.unwrap();
    let path = dir.path().join("pack.xlsx");
    std::fs::write(&path, b"the previous pack").unwrap();
    let cancel = Cancel::default();
    cancel.cancel();
    let e = export::export(
        &ctx,
        ExportRequest {
            path: path.display().to_string(),
            format: None,
            filters: Filters::default(),
        },
        no_progress(),
        cancel,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(std::fs::read(&path).unwrap(), b"the previous pack");
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".portfolio-export")
        })
        .count();
    assert_eq!(leftovers, 0);
}

/// Writes `body` as `name` in the test's directory and returns its path.
fn write_csv(dir: &TempDir, name: &str, body: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, body).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn a_use_case_column_is_suggested_as_the_title() {
    let (dir, ctx) = fresh().await;
    let path = write_csv(
        &dir,
        "inventory.csv",
        "Use case,Business unit,Stage,Owner,Expected benefit\nClaims triage,Claims,Idea,bea@example.org,120000\n",
    );
    let preview = import_file(&ctx, &path, None, true).await.unwrap();
    assert_eq!(preview.mapping_from, "suggested");
    let targets: Vec<(&str, &str)> = preview
        .mapping
        .columns
        .iter()
        .map(|(h, spec)| (h.as_str(), spec.target()))
        .collect();
    assert_eq!(
        targets,
        [
            ("Business unit", "business_unit"),
            ("Expected benefit", "expected_benefit"),
            ("Owner", "owner.business"),
            ("Stage", "stage"),
            ("Use case", "title"),
        ]
    );
    assert_eq!(
        (preview.created, preview.changes[0].title.as_str()),
        (1, "Claims triage")
    );
}

#[tokio::test]
async fn a_reimport_with_another_stage_leaves_the_stage_alone_and_says_so_for_that_row() {
    let (dir, ctx) = fresh().await;
    let claims = add(&ctx, "Claims triage").await;
    let path = write_csv(&dir, "stages.csv", "Title,Stage\nClaims triage,Pilot\n");
    let r = import_file(&ctx, &path, None, false).await.unwrap();
    assert_eq!((r.created, r.updated, r.unchanged, r.invalid), (0, 0, 1, 0));
    assert_eq!(
        r.notes,
        [
            "row 2: the stage in the file (pilot) differs from “Claims triage”’s (idea); stages move through their gates in the app, so it was left alone"
        ]
    );
    let after = use_case::get(&ctx, &claims.id).await.unwrap();
    assert_eq!((after.stage, after.version), (Stage::Idea, claims.version));
}

#[tokio::test]
async fn an_update_by_import_lists_only_the_fields_that_changed() {
    let (dir, ctx) = fresh().await;
    let claims = add(&ctx, "Claims triage").await;
    set(&ctx, &claims.id, "problem", "Claims wait three weeks")
        .await
        .unwrap();
    set(&ctx, &claims.id, "expected_benefit", "100000")
        .await
        .unwrap();
    own(&ctx, &claims.id, OwnerRole::Business, "ann@example.org").await;
    let path = write_csv(
        &dir,
        "edited.csv",
        "Title,Problem,Expected annual benefit,Business owner\nClaims triage,Claims wait three weeks,250000,bea@example.org\n",
    );
    let r = import_file(&ctx, &path, None, false).await.unwrap();
    assert_eq!((r.created, r.updated, r.unchanged), (0, 1, 0));
    let change = &r.changes[0];
    assert_eq!(
        (change.row, change.action, change.id.as_deref()),
        (2, import::RowAction::Update, Some(claims.id.as_str()))
    );
    assert_eq!(change.fields, ["expected_benefit", "owner.business"]);
    let after = use_case::get(&ctx, &claims.id).await.unwrap();
    assert_eq!(after.expected_benefit, Some(250000.0));
    assert_eq!(after.owners.business.as_deref(), Some("bea@example.org"));
    assert_eq!(after.problem, "Claims wait three weeks");
}

#[tokio::test]
async fn a_stage_value_mapped_in_the_mapping_creates_the_use_case_at_that_stage() {
    let (dir, ctx) = fresh().await;
    let path = write_csv(&dir, "galaxy.csv", "Title,Stage\nStar charts,Galaxy\n");
    let mapping = import::Mapping {
        values: BTreeMap::from([(
            "stage".to_owned(),
            BTreeMap::from([("Galaxy".to_owned(), "parked".to_owned())]),
        )]),
        ..Default::default()
    };
    let r = import::import(
        &ctx,
        ImportRequest {
            path,
            mapping: Some(mapping),
            ..Default::default()
        },
        no_progress(),
        Cancel::default(),
    )
    .await
    .unwrap();
    assert_eq!((r.created, r.invalid, r.applied), (1, 0, true));
    let page = view::list(&ctx, ListQuery::default()).await.unwrap();
    let uc = use_case::get(&ctx, &page.rows[0].id).await.unwrap();
    assert_eq!(
        (uc.title.as_str(), uc.stage),
        ("Star charts", Stage::Parked)
    );
}

#[tokio::test]
async fn the_federal_preset_on_a_file_without_a_title_column_is_refused_by_the_mapping() {
    let (dir, ctx) = fresh().await;
    let path = write_csv(
        &dir,
        "ideas.csv",
        "Idea,Department,Expected benefit\nClaims triage,Claims,120000\n",
    );
    let before = counts(&dir).await;
    for dry_run in [true, false] {
        let e = import_file(&ctx, &path, Some("omb-2025"), dry_run)
            .await
            .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Validation, Some("mapping"))
        );
        assert_eq!(
            e.message,
            "no column is mapped to the title; map one of Idea, Department, Expected benefit to `title`"
        );
    }
    assert_eq!(counts(&dir).await, before, "nothing imported");
}

#[tokio::test]
async fn a_cancelled_import_writes_nothing() {
    let (dir, ctx) = fresh().await;
    let claims = add(&ctx, "Claims triage").await;
    let path = write_csv(
        &dir,
        "cases.csv",
        "Title,Problem\nClaims triage,Claims wait three weeks\nInvoice matching,Invoices keyed by hand\n",
    );
    let before = counts(&dir).await;
    let cancel = Cancel::default();
    cancel.cancel();
    let e = import::import(
        &ctx,
        ImportRequest {
            path,
            ..Default::default()
        },
        no_progress(),
        cancel,
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::Cancelled);
    assert_eq!(e.message, "The import was cancelled; nothing was written");
    assert_eq!(
        counts(&dir).await,
        before,
        "no use case, no change-log entry"
    );
    let page = view::list(&ctx, ListQuery::default()).await.unwrap();
    assert_eq!(
        page.rows
            .iter()
            .map(|r| r.title.as_str())
            .collect::<Vec<_>>(),
        ["Claims triage"]
    );
    assert_eq!(use_case::get(&ctx, &claims.id).await.unwrap().problem, "");
}

#[tokio::test]
async fn an_export_with_filters_writes_only_the_matching_use_cases() {
    let (dir, ctx) = fresh().await;
    import_cases(
        &ctx,
        &dir,
        "Title,Stage\nClaims triage,pilot\nClaims intake,idea\nInvoice matching,pilot\n",
    )
    .await;
    let csv = dir.path().join("filtered.csv");
    let done = export_to(
        &ctx,
        &csv,
        Filters {
            stage: vec![Stage::Pilot],
            search: Some("claims".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(done.use_cases, 1);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut file = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = file.headers().unwrap().clone();
    let title = headers.iter().position(|h| h == "Title").unwrap();
    let stage = headers.iter().position(|h| h == "Stage").unwrap();
    let rows: Vec<(String, String)> = file
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[title].to_owned(), r[stage].to_owned())
        })
        .collect();
    assert_eq!(rows, [("Claims triage".to_owned(), "pilot".to_owned())]);
}
