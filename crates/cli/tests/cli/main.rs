//! The `portfolio` command line's contract (docs/cli.md): outputs, JSON shapes, error lines and
//! exit codes, run as a script would run it, on a temporary store.

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod store_safety;

struct Store {
    dir: TempDir,
}

impl Store {
    fn new() -> Store {
        let s = Store {
            dir: TempDir::new().unwrap(),
        };
        s.ok(&[
            "init",
            "--name",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
        ]);
        s
    }

    fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.process(args))
    }

    /// The command as a plain process, for a test that starts it and kills it.
    fn process(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("portfolio"));
        c.env_remove("PORTFOLIO_USER")
            .env_remove("PORTFOLIO_TOKEN")
            .env_remove("PORTFOLIO_REGISTRY")
            // Never the keyring or saved tokens of whoever runs the tests.
            .env("PORTFOLIO_KEYRING", "off")
            .env("PORTFOLIO_CONFIG_DIR", self.dir.path().join("config"))
            .env("PORTFOLIO_DB", self.dir.path().join("p.db"))
            .args(args);
        c
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("--json prints exactly one JSON document")
    }

    /// Runs a command that must fail with `code`; returns its stderr.
    fn fails(&self, args: &[&str], exit: i32, code: &str) -> String {
        let out = self.cmd(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(exit),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "stdout stays empty on error");
        let err = String::from_utf8(out.stderr).unwrap();
        if exit == 1 {
            assert!(err.starts_with(&format!("error[{code}]: ")), "{err}");
        }
        err
    }

    fn add(&self, title: &str) -> String {
        let out = self.ok(&["add", "--title", title]);
        assert_eq!(
            out.lines().count(),
            1,
            "add prints the id alone on one line"
        );
        out.trim().to_owned()
    }
}

#[test]
fn every_command_but_init_needs_an_existing_store() {
    let dir = TempDir::new().unwrap();
    let out = Command::cargo_bin("portfolio")
        .unwrap()
        .args(["--db"])
        .arg(dir.path().join("none.db"))
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error[not_found]: no store at ") && err.contains("run `portfolio init`"),
        "{err}"
    );
    assert!(
        !dir.path().join("none.db").exists(),
        "a failed command does not create the store"
    );
}

#[test]
fn init_is_idempotent_and_keeps_the_data() {
    let s = Store::new();
    let id = s.add("Invoice extraction");
    s.ok(&["init"]);
    assert_eq!(
        s.json(&["show", &id, "--json"])["title"],
        "Invoice extraction"
    );
}

#[test]
fn a_use_case_is_captured_scored_owned_and_moved() {
    let s = Store::new();
    let id = s.add("-20% churn");
    uuid_v7(&id);
    s.ok(&["set", &id, "problem", "Customers leave at renewal"]);
    s.ok(&["set", &id, "expected_benefit", "250000"]);
    s.ok(&["set", &id, "tags", "retention, ml"]);
    s.ok(&["set", &id, "attr.agency", "Marketing ops"]);
    s.ok(&[
        "owner",
        &id,
        "business",
        "Bea@Example.org",
        "--name",
        "Bea Smith",
    ]);
    for (c, v) in [
        ("strategic-fit", "5"),
        ("business-impact", "4"),
        ("reach", "3"),
        ("urgency", "2"),
    ] {
        s.ok(&["score", &id, c, v]);
    }
    s.ok(&["stage", &id, "assessment"]);
    let uc = s.json(&["show", &id, "--json"]);
    assert_eq!(
        uc["title"], "-20% churn",
        "a title that starts with a dash is just text"
    );
    assert_eq!(uc["stage"], "assessment");
    assert_eq!(uc["owners"]["business"], "bea@example.org");
    assert_eq!(uc["owners"]["technical"], Value::Null);
    assert_eq!(uc["expected_benefit"], 250000.0);
    assert_eq!(uc["tags"], serde_json::json!(["retention", "ml"]));
    assert_eq!(uc["attributes"]["agency"], "Marketing ops");
    assert_eq!(uc["scores"]["strategic-fit"], 5);
    assert_eq!(uc["scores"]["data-readiness"], Value::Null);
    // (3·4 + 4·3 + 2·2 + 1·1)/4 · 100/10 = 72.5
    assert_eq!(uc["value_score"], 72.5);
    assert_eq!(
        uc["feasibility_score"],
        Value::Null,
        "null until every feasibility criterion is scored"
    );
    assert_eq!(uc["quadrant"], Value::Null);
    assert_eq!(uc["score_breakdown"]["value"][0]["contribution"], 30.0);
    for key in [
        "problem",
        "solution",
        "proposer",
        "expected_cost",
        "data_sources",
        "source_id",
        "version",
        "created_at",
        "archived",
        "updated_at",
        "priority",
    ] {
        assert!(uc.get(key).is_some(), "show --json has `{key}`");
    }
    assert_eq!(uc["proposer"], "ada@example.org");

    let history = s.json(&["history", &id, "--json"]);
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "create", "field", "field", "field", "field", "owner", "score", "score", "score",
            "score", "stage"
        ]
    );
    let stage = &history[10];
    assert_eq!(
        (
            stage["old"].as_str(),
            stage["new"].as_str(),
            stage["actor"].as_str()
        ),
        (Some("idea"), Some("assessment"), Some("ada@example.org"))
    );
    assert_eq!(stage["field"], Value::Null);
    assert_eq!(history[5]["field"], "business");
}

#[test]
fn refusals_exit_one_with_a_code_and_malformed_command_lines_exit_two() {
    let s = Store::new();
    let id = s.add("Claims triage");
    s.fails(&["score", &id, "reach", "6"], 1, "validation");
    s.fails(&["stage", &id, "done"], 1, "validation");
    s.fails(&["set", &id, "colour", "red"], 1, "validation");
    s.fails(&["show", "0190-nope"], 1, "not_found");
    s.fails(&["owner", &id, "business", "not-an-email"], 1, "validation");
    let err = s.fails(&["stage", &id, "assessment"], 1, "gate_blocked");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[1..],
        [
            "  missing: a business owner",
            "  missing: a problem statement"
        ],
        "one detail line per missing requirement"
    );
    s.fails(&["stage", &id, "pilot"], 1, "gate_blocked");
    s.fails(&["stage", &id, "parked"], 1, "validation");
    s.ok(&["stage", &id, "parked", "--note", "Waiting for data"]);
    s.fails(&["frobnicate"], 2, "");
    s.fails(&["list", "--bogus"], 2, "");
    s.fails(&["score", &id], 2, "");
}

#[test]
fn a_stale_expect_version_is_refused() {
    let s = Store::new();
    let id = s.add("Forecasting");
    s.ok(&[
        "set",
        &id,
        "title",
        "Demand forecasting",
        "--expect-version",
        "1",
    ]);
    s.fails(
        &["set", &id, "title", "Old idea", "--expect-version", "1"],
        1,
        "stale",
    );
    assert_eq!(
        s.json(&["show", &id, "--json"])["title"],
        "Demand forecasting"
    );
}

#[test]
fn the_actor_comes_from_as_then_the_environment_then_the_store() {
    let s = Store::new();
    let id = s.add("Routing");
    s.ok(&[
        "--as",
        "bob@example.org",
        "set",
        &id,
        "problem",
        "Late deliveries",
    ]);
    let out = s
        .cmd(&["set", &id, "solution", "Optimise routes"])
        .env("PORTFOLIO_USER", "cy@example.org")
        .output()
        .unwrap();
    assert!(out.status.success());
    let actors: Vec<String> = s
        .json(&["history", &id, "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["actor"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actors,
        ["ada@example.org", "bob@example.org", "cy@example.org"]
    );

    let bare = TempDir::new().unwrap();
    let db = bare.path().join("p.db");
    Command::cargo_bin("portfolio")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .arg("init")
        .assert()
        .success();
    let out = Command::cargo_bin("portfolio")
        .unwrap()
        .env_remove("PORTFOLIO_USER")
        .arg("--db")
        .arg(&db)
        .args(["add", "--title", "X"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error[validation]: no identity"));
}

#[test]
fn list_filters_sorts_and_prints_json_rows() {
    let s = Store::new();
    s.ok(&["demo"]);
    s.fails(&["demo"], 1, "validation");
    let all = s.json(&["list", "--json"]);
    let rows = all.as_array().unwrap();
    assert!(rows.len() >= 36);
    let priorities: Vec<f64> = rows.iter().filter_map(|r| r["priority"].as_f64()).collect();
    assert!(
        priorities.windows(2).all(|w| w[0] >= w[1]),
        "default order is priority, highest first"
    );
    for key in [
        "id",
        "title",
        "stage",
        "business_unit",
        "value_score",
        "feasibility_score",
        "priority",
        "quadrant",
        "owners",
        "tags",
        "archived",
        "updated_at",
    ] {
        assert!(rows[0].get(key).is_some(), "list --json rows have `{key}`");
    }
    let either = s.json(&[
        "list",
        "--stage",
        "pilot",
        "--stage",
        "production",
        "--json",
    ]);
    assert!(
        either
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["stage"] == "pilot" || r["stage"] == "production")
    );
    let pilots = either
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["stage"] == "pilot")
        .count();
    assert!(
        pilots > 0 && pilots < either.as_array().unwrap().len(),
        "a flag given twice means either value"
    );
    let both = s.json(&[
        "list",
        "--stage",
        "pilot",
        "--quadrant",
        "quick-win",
        "--json",
    ]);
    assert!(
        both.as_array()
            .unwrap()
            .iter()
            .all(|r| r["stage"] == "pilot" && r["quadrant"] == "quick-win")
    );
    let by_title = s.json(&["list", "--sort", "title", "--limit", "3", "--json"]);
    let titles: Vec<&str> = by_title
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 3);
    assert!(
        titles
            .windows(2)
            .all(|w| w[0].to_lowercase() <= w[1].to_lowercase())
    );
    s.fails(&["list", "--quadrant", "top-right"], 1, "validation");
    let criteria = s.json(&["criteria", "--json"]);
    assert_eq!(criteria["version"], 1);
    assert_eq!(criteria["value"][0]["slug"], "strategic-fit");
    assert!(criteria["value"][0]["rubric"]["5"].is_string());
    assert_eq!(criteria["thresholds"]["value"], 50.0);
}

fn uuid_v7(id: &str) {
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(&id[14..15], "7", "ids are UUID v7: {id}");
}

#[test]
fn destructive_commands_need_yes_when_nobody_can_be_asked() {
    let s = Store::new();
    let id = s.add("Short-lived");
    let err = s.fails(&["delete", &id], 1, "validation");
    assert!(err.contains("--yes"), "{err}");
    s.ok(&["archive", &id]);
    assert!(s.json(&["list", "--json"]).as_array().unwrap().is_empty());
    assert_eq!(
        s.json(&["list", "--include-archived", "--json"])[0]["archived"],
        true
    );
    s.ok(&["unarchive", &id]);
    s.ok(&["delete", &id, "--yes"]);
    s.fails(&["show", &id], 1, "not_found");
    let history = s.json(&["history", &id, "--json"]);
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["create", "archive", "unarchive", "delete"]);
}

#[test]
fn backup_and_restore_round_trip() {
    let s = Store::new();
    let id = s.add("In the backup");
    let file = s.dir.path().join("copy.db");
    s.ok(&["backup", file.to_str().unwrap()]);
    s.add("Not in the backup");
    s.fails(&["restore", file.to_str().unwrap()], 1, "validation");
    let out = s.ok(&["restore", file.to_str().unwrap(), "--yes"]);
    assert!(out.contains("the replaced store is kept at"), "{out}");
    let rows = s.json(&["list", "--json"]);
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["id"], id.as_str());
}

#[test]
fn gate_rules_are_listed_and_set_from_the_command_line() {
    let s = Store::new();
    let rules = s.json(&["gates", "--json"]);
    assert_eq!(
        rules["stages"]["assessment"][0],
        serde_json::json!({"kind": "owner", "role": "business"})
    );
    s.ok(&[
        "gate",
        "set",
        "pilot",
        "owner:data",
        "field:expected_benefit",
    ]);
    let rules = s.json(&["gates", "--json"]);
    assert_eq!(rules["version"], 2);
    assert_eq!(rules["stages"]["pilot"].as_array().unwrap().len(), 2);
    s.ok(&["gate", "set", "assessment"]);
    let id = s.add("No gate now");
    s.ok(&["stage", &id, "assessment"]);
    s.fails(&["gate", "set", "pilot", "owner:boss"], 1, "validation");
    s.fails(&["gate", "set", "parked", "all-scored"], 1, "validation");
    let human = s.ok(&["gates"]);
    assert!(
        human.contains("pilot") && human.contains("owner:data field:expected_benefit"),
        "{human}"
    );
}

#[test]
fn the_dashboard_agrees_with_list_and_keys_stages_by_name() {
    let s = Store::new();
    s.ok(&["demo"]);
    let d = s.json(&["dashboard", "--json"]);
    let rows = s.json(&["list", "--json"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(d["total"]["use_cases"], rows.len());
    for stage in [
        "idea",
        "assessment",
        "proof-of-concept",
        "pilot",
        "production",
        "scaled",
        "parked",
        "retired",
    ] {
        let n = rows.iter().filter(|r| r["stage"] == stage).count();
        assert_eq!(d["by_stage"][stage]["use_cases"], n, "{stage}");
    }
    let top: Vec<&str> = d["top"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let by_priority: Vec<&str> = rows
        .iter()
        .take(top.len())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(top, by_priority, "the top is the list's default order");
    assert!(s.ok(&["dashboard"]).contains("funnel"));
}

#[test]
fn sensitivity_covers_every_scored_use_case_in_ranking_order() {
    let s = Store::new();
    s.ok(&["demo"]);
    let report = s.json(&["sensitivity", "--top", "12", "--json"]);
    let rows = s.json(&["list", "--json"]);
    let scored: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["priority"].is_null())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(report["top"], 12);
    assert_eq!(report["scored"], scored.len());
    let ranked: Vec<&str> = report["use_cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(ranked, scored, "the same ranking as list");
    s.fails(&["sensitivity", "--top", "0"], 1, "validation");
}

#[test]
fn review_changes_list_what_happened_since_the_mark() {
    let s = Store::new();
    s.fails(&["review", "changes"], 1, "not_found");
    s.ok(&["review", "mark", "--note", "Q4 review"]);
    let id = s.add("New idea");
    s.ok(&["score", &id, "strategic-fit", "4"]);
    let c = s.json(&["review", "changes", "--json"]);
    assert_eq!(c["since"]["note"], "Q4 review");
    assert_eq!(c["new_use_cases"]["count"], 1);
    assert_eq!(c["new_use_cases"]["changes"][0]["use_case_id"], id.as_str());
    assert_eq!(c["score_changes"]["changes"][0]["field"], "strategic-fit");
    assert_eq!(c["score_changes"]["changes"][0]["new"], 4);
    assert_eq!(c["stage_moves"]["count"], 0);
}

#[test]
fn kpis_are_added_recorded_and_listed_and_realised_benefit_waits_for_pilot() {
    let s = Store::new();
    let id = s.ok(&["add", "--title", "Claims triage"]).trim().to_owned();
    let kpi = s
        .ok(&[
            "kpi",
            "add",
            &id,
            "--name",
            "Handling time",
            "--unit",
            "min",
            "--baseline",
            "30",
            "--target",
            "10",
        ])
        .trim()
        .to_owned();
    uuid_v7(&kpi);
    let k = s.json(&["kpi", "record", &kpi, "9.5", "--json"]);
    assert_eq!(k["direction"], "lower");
    assert_eq!(k["status"], "on-track");
    assert_eq!(k["actuals"][0]["value"], 9.5);
    s.ok(&["kpi", "record", &kpi, "12", "--on", "2025-01-31"]);
    let list = s.json(&["kpi", "list", &id, "--json"]);
    assert_eq!(list[0]["actuals"].as_array().unwrap().len(), 2);
    assert_eq!(list[0]["actuals"][0]["on"], "2025-01-31", "oldest first");
    let err = s.fails(
        &[
            "kpi",
            "add",
            &id,
            "--name",
            "handling time",
            "--target",
            "5",
        ],
        1,
        "conflict",
    );
    assert!(err.contains("already has a KPI"), "{err}");
    s.fails(
        &["kpi", "record", &kpi, "1", "--on", "yesterday"],
        1,
        "validation",
    );
    s.fails(&["kpi", "record", "no-such-kpi", "1"], 1, "not_found");
    s.fails(&["kpi", "record", &kpi], 2, "");

    let err = s.fails(&["set", &id, "realised_benefit", "1000"], 1, "validation");
    assert!(err.contains("from Pilot on"), "{err}");
    let dashboard = s.json(&["dashboard", "--json"]);
    assert_eq!(dashboard["kpi_status"]["on-track"], 1);
    assert_eq!(dashboard["benefits"]["recorded"], 0);
}

#[test]
fn patterns_are_listed_mapped_and_their_controls_set() {
    let s = Store::new();
    let catalogue = s.json(&["patterns", "--json"]);
    let slugs: Vec<&str> = catalogue["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"rag-knowledge-assistant") && slugs.len() >= 10);
    let id = s.add("Policy assistant");
    s.ok(&["map", &id, "rag-knowledge-assistant", "--primary"]);
    let controls = s.json(&["controls", &id, "--json"]);
    assert_eq!(controls[0]["slug"], "data-leakage-check");
    assert_eq!(controls[0]["status"], "open");
    s.ok(&[
        "control",
        &id,
        "data-leakage-check",
        "in-place",
        "--note",
        "access rights enforced",
    ]);
    let controls = s.json(&["controls", &id, "--json"]);
    assert_eq!(controls[0]["status"], "in-place");
    assert_eq!(controls[0]["note"], "access rights enforced");
    s.fails(
        &["control", &id, "data-leakage-check", "done"],
        1,
        "validation",
    );
    s.fails(&["map", &id, "no-such-pattern"], 1, "not_found");
    let listed = s.json(&["list", "--pattern", "rag-knowledge-assistant", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    s.ok(&[
        "pattern",
        "add",
        "entity-resolution",
        "--name",
        "Entity resolution",
        "--component",
        "matching model",
        "--control",
        "match-review=Match review",
    ]);
    s.ok(&["pattern", "retire", "entity-resolution"]);
    let err = s.fails(&["map", &id, "entity-resolution"], 1, "validation");
    assert!(err.contains("retired"), "{err}");
    s.ok(&["map", &id, "rag-knowledge-assistant", "--remove"]);
    assert_eq!(
        s.json(&["show", &id, "--json"])["patterns"],
        serde_json::json!([])
    );
}

#[test]
fn triage_answers_come_from_a_file_and_give_a_tier() {
    let s = Store::new();
    let id = s.add("Customer chatbot");
    let shown = s.json(&["triage", &id, "--json"]);
    assert!(shown["triage"].is_null());
    assert!(
        shown["rule_set"]["disclaimer"]
            .as_str()
            .unwrap()
            .contains("not legal advice")
    );
    let questions = shown["rule_set"]["questions"].as_array().unwrap();
    let mut answers: serde_json::Map<String, Value> = questions
        .iter()
        .map(|q| (q["id"].as_str().unwrap().to_owned(), Value::Bool(false)))
        .collect();
    answers.insert("interacts-with-people".into(), Value::Bool(true));
    answers.insert("personal_data".into(), Value::Bool(true));
    let file = s.dir.path().join("answers.json");
    std::fs::write(&file, Value::Object(answers).to_string()).unwrap();
    let t = s.json(&["triage", &id, "--answers", file.to_str().unwrap(), "--json"]);
    assert_eq!(t["triage"]["outcome"]["tier"], "limited");
    assert_eq!(t["triage"]["personal_data"], true);
    std::fs::write(&file, r#"{"interacts-with-people": "yes"}"#).unwrap();
    let err = s.fails(
        &["triage", &id, "--answers", file.to_str().unwrap()],
        1,
        "validation",
    );
    assert!(err.contains("true or false"), "{err}");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let s = Store::new();
    s.ok(&[
        "import",
        "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv",
        "--preset",
        "omb-2025",
    ]);
    // 3,611 rows are far more than a pipe holds: `list | head -1` closes it mid-way.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("portfolio"))
        .env("PORTFOLIO_DB", s.dir.path().join("p.db"))
        .args(["list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!first.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no panic report");
    assert!(out.status.success());
}

#[test]
fn sync_says_what_is_missing_and_what_it_cannot_reach() {
    let s = Store::new();
    let err = s.fails(&["sync"], 1, "validation");
    assert!(err.contains("--registry"), "{err}");
    let err = s.fails(
        &["sync", "--registry", "http://127.0.0.1:9"],
        1,
        "unauthenticated",
    );
    assert!(err.contains("PORTFOLIO_TOKEN"), "{err}");
    let err = s.fails(
        &["sync", "--registry", "ftp://registry", "--token", "pfr_x"],
        1,
        "validation",
    );
    assert!(err.contains("https://"), "{err}");
    // Port 9 (discard) has nobody listening on a test machine.
    let err = s.fails(
        &[
            "sync",
            "--registry",
            "http://127.0.0.1:9",
            "--token",
            "pfr_x",
        ],
        1,
        "unreachable",
    );
    assert!(
        err.contains("cannot reach the registry at http://127.0.0.1:9"),
        "{err}"
    );

    let status = s.json(&["sync", "--status", "--json"]);
    assert_eq!(status["pending"], 1, "Ada's own entry waits: {status}");
    assert!(
        status["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot reach")
    );
    assert_eq!(status["rejected"], serde_json::json!([]));
    assert_eq!(s.json(&["conflicts", "--json"]), serde_json::json!([]));
    assert!(s.ok(&["conflicts"]).contains("no open conflicts"));
    s.fails(&["resolve", "nope", "--take", "mine"], 1, "not_found");
    s.fails(&["resolve", "nope"], 2, "");
    s.fails(&["resolve", "nope", "--take", "both"], 2, "");
    s.fails(&["revert", "nope"], 1, "not_found");
}
