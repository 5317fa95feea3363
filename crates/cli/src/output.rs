//! How the CLI prints: one JSON document for `--json`, short human summaries otherwise.

use portfolio::change_log::HistoryEntry;
use portfolio::gate::{GateRules, Requirement};
use portfolio::scoring::{Quadrant, ScoringModel};
use portfolio::stage::Stage;
use portfolio::use_case::UseCase;
use portfolio::view::Page;

pub fn json(v: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).expect("engine types serialise")
    );
}

pub fn score(s: Option<f64>) -> String {
    s.map_or("—".into(), |v| format!("{v:.1}"))
}

pub fn list(page: &Page) {
    for r in &page.rows {
        println!(
            "{}  {:<16}  {:>5}  {}",
            r.id,
            r.stage.as_str(),
            score(r.priority),
            r.title
        );
    }
    println!("{} of {} use case(s)", page.rows.len(), page.total);
}

pub fn show(uc: &UseCase, model: &ScoringModel) {
    println!("{}\n  id {} · version {}", uc.title, uc.id, uc.version);
    println!("  stage {} since {}", uc.stage.as_str(), uc.stage_since);
    if !uc.business_unit.is_empty() {
        println!("  business unit {}", uc.business_unit);
    }
    for (role, email) in [
        ("business", &uc.owners.business),
        ("technical", &uc.owners.technical),
        ("data", &uc.owners.data),
        ("risk", &uc.owners.risk),
    ] {
        if let Some(e) = email {
            println!("  {role} owner {e}");
        }
    }
    println!(
        "  value {} · feasibility {} · priority {} · {}",
        score(uc.value_score),
        score(uc.feasibility_score),
        score(uc.priority),
        uc.quadrant.map_or("not yet scored", Quadrant::as_str)
    );
    for (_, c) in model.criteria() {
        let s = uc.scores.get(&c.slug).copied().flatten();
        println!(
            "    {:<22} {}",
            c.slug,
            s.map_or("—".into(), |s| s.to_string())
        );
    }
    if !uc.problem.is_empty() {
        println!("  problem: {}", uc.problem);
    }
    if !uc.solution.is_empty() {
        println!("  solution: {}", uc.solution);
    }
    if !uc.tags.is_empty() {
        println!("  tags: {}", uc.tags.join(", "));
    }
}

pub fn history(entries: &[HistoryEntry]) {
    for e in entries {
        let field = e
            .field
            .as_deref()
            .map(|f| format!(" {f}"))
            .unwrap_or_default();
        let show = |v: &Option<serde_json::Value>| {
            v.as_ref().map_or("—".into(), |v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let change = if e.kind == "create" {
            String::new()
        } else {
            format!(": {} → {}", show(&e.old), show(&e.new))
        };
        let note = e
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        println!("{}  {}  {}{field}{change}{note}", e.at, e.actor, e.kind);
    }
}

pub fn criteria(model: &ScoringModel) {
    println!(
        "scoring model version {} · thresholds value {} / feasibility {}",
        model.version, model.thresholds.value, model.thresholds.feasibility
    );
    for (axis, list) in [("value", &model.value), ("feasibility", &model.feasibility)] {
        println!("{axis}:");
        for c in list {
            println!("  {:<22} weight {:<4} {}", c.slug, c.weight, c.name);
        }
    }
}

pub fn requirements(reqs: &[Requirement]) -> String {
    if reqs.is_empty() {
        "nothing".into()
    } else {
        reqs.iter()
            .map(Requirement::spell)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub fn gates(rules: &GateRules) {
    println!("gate rules version {}", rules.version);
    for stage in &Stage::PATH[1..] {
        println!(
            "  {:<17} {}",
            stage.as_str(),
            requirements(rules.for_stage(*stage))
        );
    }
}

/// An import's report: the mapping it applied, what it did (or would do), and why rows
/// were skipped.
pub fn import(r: &portfolio::import::ImportReport) {
    println!("{} ({} rows), mapping {}:", r.file, r.rows, r.mapping_from);
    for h in &r.headers {
        println!("  {h} → {}", r.mapping.columns[h].target());
    }
    let verb = if r.applied { "" } else { "would be " };
    println!(
        "{verb}created {}, {verb}updated {}, unchanged {}, invalid {}",
        r.created, r.updated, r.unchanged, r.invalid
    );
    if !r.applied && r.invalid == 0 {
        println!("dry run: nothing was written");
    }
    for p in &r.problems {
        println!("  row {}, {}: `{}`: {}", p.row, p.column, p.value, p.why);
    }
    for n in &r.notes {
        println!("  note: {n}");
    }
}

/// The dashboard in a terminal: one block per figure.
pub fn dashboard(d: &portfolio::dashboard::Dashboard) {
    println!(
        "{} use cases, expected annual benefit {:.0}",
        d.total.use_cases, d.total.expected_benefit
    );
    println!("by stage:");
    for (stage, f) in &d.by_stage {
        println!(
            "  {:<17} {:>6}  {:>14.0}",
            stage.as_str(),
            f.use_cases,
            f.expected_benefit
        );
    }
    println!("funnel (reached, share of the previous stage):");
    for f in &d.funnel {
        let share = f
            .conversion
            .map_or("—".to_owned(), |c| format!("{:.0}%", c * 100.0));
        println!("  {:<17} {:>6}  {share:>5}", f.stage.as_str(), f.reached);
    }
    println!(
        "aging (average and longest days in stage, over {} days):",
        d.stale_after_days
    );
    for a in d
        .aging
        .iter()
        .filter(|a| d.by_stage[&a.stage].use_cases > 0)
    {
        println!(
            "  {:<17} {:>6.1}  {:>5}  {:>5}",
            a.stage.as_str(),
            a.average_days,
            a.max_days,
            a.stale
        );
    }
    println!("by business unit:");
    for u in &d.by_business_unit {
        let name = if u.business_unit.is_empty() {
            "(none)"
        } else {
            &u.business_unit
        };
        println!(
            "  {name:<24} {:>6}  {:>14.0}",
            u.use_cases, u.expected_benefit
        );
    }
    println!("top by priority:");
    for t in &d.top {
        println!("  {:>5.1}  {}  {}", t.priority, t.id, t.title);
    }
    let b = &d.benefits;
    println!(
        "realised benefit (Pilot and later): {:.0} recorded by {} of {} use cases, against {:.0} expected of them ({:.0} expected in all)",
        b.realised_benefit, b.recorded, b.use_cases, b.expected_where_recorded, b.expected_benefit
    );
    let kpis: Vec<String> = d
        .kpi_status
        .iter()
        .map(|(s, n)| format!("{n} {}", s.label()))
        .collect();
    println!("KPIs: {}", kpis.join(", "));
    println!(
        "ownership gaps (past assessment without a technical or data owner): {}",
        d.ownership_gaps
    );
    for g in &d.ownership_gaps_listed {
        let missing: Vec<&str> = g.missing.iter().map(|r| r.as_str()).collect();
        println!("  {}  {}  missing {}", g.id, g.title, missing.join(", "));
    }
}

/// A use case's triage, or the questions to answer.
pub fn triage(uc: &UseCase) {
    let rules = portfolio::triage::rule_set();
    println!(
        "{} (version {}, {}): {}",
        rules.title, rules.version, rules.date, rules.source
    );
    println!("{}", rules.disclaimer);
    match &uc.triage {
        None => println!("{}: not triaged yet", uc.title),
        Some(t) => {
            println!("{}: {}", uc.title, t.outcome.tier.as_str());
            for r in &t.outcome.reasons {
                println!("  {r}");
            }
            if t.needs_retriage {
                println!(
                    "  re-triage: the rules changed for {}",
                    t.affected.join(", ")
                );
            }
        }
    }
    let answers = uc.triage.as_ref().map(|t| &t.answers);
    for q in &rules.questions {
        let a = match answers.and_then(|a| a.get(&q.id)) {
            Some(true) => "yes",
            Some(false) => "no",
            None => "—",
        };
        println!("{a:>4}  {}  [{}] {}", q.id, q.reference, q.text);
    }
}

/// The pattern catalogue, one block per pattern.
pub fn patterns(c: &portfolio::pattern::Catalogue) {
    for p in &c.patterns {
        let retired = if p.retired { " [retired]" } else { "" };
        println!(
            "{}  {}{retired}: {} use case(s), primary for {}",
            p.slug, p.name, p.reuse, p.primary_for
        );
        let controls: Vec<&str> = p.controls.iter().map(|c| c.slug.as_str()).collect();
        println!("    controls: {}", controls.join(", "));
    }
    println!("use cases with no pattern: {}", c.unmapped);
}

/// A use case's inherited controls with their status.
pub fn controls(cs: &[portfolio::pattern::InheritedControl]) {
    if cs.is_empty() {
        println!("no controls: the use case has no pattern");
    }
    for c in cs {
        let note = c
            .note
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        println!(
            "{:<16} {}  ({}; from {}){note}",
            c.status.as_str(),
            c.slug,
            c.name,
            c.from.join(", ")
        );
    }
}

/// KPIs, one line each, then their actuals.
pub fn kpis(ks: &[portfolio::kpi::Kpi]) {
    if ks.is_empty() {
        println!("no KPIs");
    }
    for k in ks {
        let unit = if k.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", k.unit)
        };
        let baseline = k
            .baseline
            .map(|b| format!("{b}{unit} → "))
            .unwrap_or_default();
        let due = k
            .due
            .as_deref()
            .map(|d| format!(" by {d}"))
            .unwrap_or_default();
        println!(
            "{}  {}: {baseline}{}{unit}{due} ({} is better) · {}",
            k.id,
            k.name,
            k.target,
            k.direction.as_str(),
            k.status.label()
        );
        for a in &k.actuals {
            println!("    {}  {}{unit}  ({})", a.on, a.value, a.recorded_by);
        }
    }
}

/// What changed since the latest review point, kind by kind.
pub fn review_changes(c: &portfolio::review::ReviewChanges) {
    let note = c
        .since
        .note
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    println!(
        "since the review point of {} by {}{note}:",
        c.since.at, c.since.actor
    );
    for (what, list) in [
        ("new use cases", &c.new_use_cases),
        ("stage moves", &c.stage_moves),
        ("score changes", &c.score_changes),
        ("owner changes", &c.owner_changes),
    ] {
        println!("{what}: {}", list.count);
        for ch in &list.changes {
            let detail = match (&ch.field, &ch.old, &ch.new) {
                // A creation: the stage it started at.
                (None, None, Some(serde_json::Value::Object(first))) => first
                    .get("stage")
                    .and_then(serde_json::Value::as_str)
                    .map(|stage| format!(" at {stage}"))
                    .unwrap_or_default(),
                (field, old, Some(new)) => format!(
                    " {}{} → {new}",
                    field
                        .as_deref()
                        .map(|f| format!("{f}: "))
                        .unwrap_or_default(),
                    old.as_ref().map_or("—".to_owned(), ToString::to_string)
                ),
                _ => String::new(),
            };
            println!("  {}  {}  {}{detail}", ch.at, ch.use_case_id, ch.title);
        }
    }
}

fn value(v: &Option<serde_json::Value>) -> String {
    match v {
        None => "(empty)".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

pub fn conflicts(all: &[portfolio::sync::conflict::Conflict]) {
    if all.is_empty() {
        println!("no open conflicts");
        return;
    }
    for c in all {
        // A use case is the usual subject; anything else (a pattern, the model) says what it is.
        let entity = match c.entity.as_str() {
            "use_case" => String::new(),
            other => format!("{other} "),
        };
        println!(
            "{}  {entity}{} · {}",
            c.id,
            c.title.as_deref().unwrap_or(&c.entity_id),
            c.field.as_deref().unwrap_or(&c.kind)
        );
        println!("    mine:   {}", value(&c.mine));
        println!("    theirs: {}  ({})", value(&c.theirs), c.theirs_actor);
        println!("    base:   {}", value(&c.base));
    }
}

/// The registry's changes this desktop could not apply, one line each (nothing when none).
pub fn set_aside(all: &[portfolio::sync::SetAside]) {
    for a in all {
        let what = [Some(a.kind.as_str()), a.field.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let of = a
            .title
            .as_deref()
            .or(a.use_case_id.as_deref())
            .unwrap_or(&a.entity);
        println!(
            "set aside #{} ({what} of {of}, by {}): {}",
            a.seq, a.actor, a.reason
        );
    }
}

pub fn sync_status(s: &portfolio::sync::SyncStatus) {
    match (&s.registry_url, &s.registry_user) {
        (Some(url), Some(user)) => println!("registry {url} as {user}"),
        (Some(url), None) => println!("registry {url}"),
        _ => println!("not connected to a registry"),
    }
    println!("last sync {}", s.last_sync_at.as_deref().unwrap_or("never"));
    if let Some(e) = &s.last_error {
        println!("last error: {e}");
    }
    println!(
        "{} pending, {} open conflict(s), {} refused",
        s.pending,
        s.conflicts,
        s.rejected.len()
    );
    for r in &s.rejected {
        println!(
            "refused {} ({} {} of {}): {}",
            r.change_id,
            r.kind,
            r.field.as_deref().unwrap_or(""),
            r.title.as_deref().unwrap_or("?"),
            r.reason
        );
    }
    set_aside(&s.set_aside);
}
