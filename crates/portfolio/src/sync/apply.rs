//! Applies the registry's changes to this store, one field at a time, in the registry's
//! order, setting aside any it cannot apply; opens and closes conflicts; reverts a refused
//! change to the registry's value.
//! What each change writes is `write`'s.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::SqliteConnection;

use super::wire::{ServedChange, WireChange};
use super::write::{
    draft, drop_side_entries, exists, field_value, insert_entry, log_end, text, write,
};
use super::{conflict, key_of, state};
use crate::Ctx;
use crate::error::{Error, Result};
use crate::field::Field;
use crate::intake::{self, Draft};
use crate::owner::OwnerRole;
use crate::scoring::{CriterionScore, ScoringModel};

/// Per key, the latest place a change made here takes (or will take, `i64::MAX` while it
/// is unsent) in the registry's order, for changes that may still come after `from`. A
/// registry change to such a key earlier in the order is not written over it.
async fn own_outstanding(conn: &mut SqliteConnection, from: i64) -> Result<HashMap<String, i64>> {
    // Two ranges of the index of this desktop's own changes (unsent, and placed after
    // `from`): as one `OR`, SQLite walks every key of the log instead, a page at a time.
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT sync_key, max(place) FROM (
           SELECT sync_key, 9223372036854775807 AS place FROM change_log
           WHERE origin IS NULL AND server_seq IS NULL AND demo = 0 AND rejected IS NULL AND synced <> 2
             AND sync_key IS NOT NULL
           UNION ALL
           SELECT sync_key, server_seq FROM change_log
           WHERE origin IS NULL AND server_seq > ?1 AND demo = 0 AND rejected IS NULL AND synced <> 2
             AND sync_key IS NOT NULL
         ) GROUP BY sync_key",
    )
    .bind(from)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Which of these change ids this store holds already, and who made each (`None`: here).
async fn known(
    conn: &mut SqliteConnection,
    changes: &[ServedChange],
) -> Result<HashMap<String, Option<String>>> {
    let ids: Vec<&str> = changes.iter().map(|c| c.change.id.as_str()).collect();
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT id, origin FROM change_log WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(&ids)?)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// New use cases arriving in a row, gathered so they are written with one batched insert;
/// changes to their fields that follow in the same page are folded in before it.
#[derive(Default)]
struct Arrivals {
    drafts: Vec<Draft>,
    by_id: HashMap<String, usize>,
}

impl Arrivals {
    fn add(&mut self, c: &WireChange, now: &str) -> Result<()> {
        let Some(snapshot) = &c.new else {
            return Ok(());
        };
        let mut d = draft(&c.entity_id, snapshot)?;
        // Dated when it was proposed, though never after now (clocks differ).
        d.created_at = Some(c.at.as_str().min(now).to_owned());
        self.by_id.insert(c.entity_id.clone(), self.drafts.len());
        self.drafts.push(d);
        Ok(())
    }

    /// Folds a field, owner or score change into a use case still waiting to be written;
    /// `false` when it is not one of those.
    fn fold(&mut self, c: &WireChange) -> Result<bool> {
        let Some(&i) = self.by_id.get(&c.entity_id) else {
            return Ok(false);
        };
        let d = &mut self.drafts[i];
        let field = c.field.as_deref().unwrap_or_default();
        match c.kind.as_str() {
            // A realised benefit is checked against the stage on insert: it is written after.
            "field" if field != "realised_benefit" => {
                let f = Field::parse(field, &field_value(c.new.as_ref())?)?;
                d.fields.retain(|x| x.name() != f.name());
                d.fields.push(f);
            }
            "owner" => {
                let role = OwnerRole::parse(field)?;
                d.owners.retain(|(r, _)| *r != role);
                if let Some(email) = text(c.new.as_ref()) {
                    d.owners.push((role, email));
                }
            }
            "score" => match c.new.as_ref().and_then(Value::as_i64) {
                Some(n) => {
                    d.scores
                        .insert(field.to_owned(), CriterionScore::new(n)?.get());
                }
                None => {
                    d.scores.remove(field);
                }
            },
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Writes the gathered use cases (those this store has already are left as they are).
    async fn write(
        &mut self,
        conn: &mut SqliteConnection,
        model: &ScoringModel,
        now: &str,
    ) -> Result<()> {
        if self.drafts.is_empty() {
            return Ok(());
        }
        let ids: Vec<&str> = self.by_id.keys().map(String::as_str).collect();
        let present: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM use_cases WHERE id IN (SELECT value FROM json_each(?))",
        )
        .bind(serde_json::to_string(&ids)?)
        .fetch_all(&mut *conn)
        .await?;
        let drafts: Vec<Draft> = self
            .drafts
            .drain(..)
            .filter(|d| d.id.as_ref().is_none_or(|id| !present.contains(id)))
            .collect();
        self.by_id.clear();
        intake::insert_arrived(conn, &drafts, model, now).await?;
        Ok(())
    }
}

/// Writes the registry's entries into this store's change log, a few hundred per statement.
async fn insert_entries(conn: &mut SqliteConnection, entries: &[&ServedChange]) -> Result<()> {
    for part in entries.chunks(400) {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO change_log (id, entity, entity_id, use_case_id, kind, field, old, new, note, actor, at,
                                     demo, sync_key, base_seq, origin, synced, server_seq) ",
        );
        q.push_values(part, |mut b, s| {
            let c = &s.change;
            b.push_bind(c.id.clone())
                .push_bind(c.entity.clone())
                .push_bind(c.entity_id.clone())
                .push_bind(c.use_case_id.clone())
                .push_bind(c.kind.clone())
                .push_bind(c.field.clone())
                .push_bind(c.old.as_ref().map(Value::to_string))
                .push_bind(c.new.as_ref().map(Value::to_string))
                .push_bind(c.note.clone())
                .push_bind(c.actor.clone())
                .push_bind(c.at.clone())
                .push_bind(false)
                .push_bind(key_of(c))
                .push_bind(c.base)
                .push_bind(c.origin.clone())
                .push_bind(1i64)
                .push_bind(s.seq);
        });
        q.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes one served change inside a savepoint, so a change that fails half way leaves
/// nothing of itself behind.
async fn write_alone(
    tx: &mut SqliteConnection,
    c: &WireChange,
    model: &ScoringModel,
    now: &str,
) -> Result<()> {
    let mut one = sqlx::Connection::begin(&mut *tx).await?;
    match write(&mut one, c, c.new.as_ref(), model, now).await {
        Ok(()) => Ok(one.commit().await?),
        Err(e) => {
            one.rollback().await?;
            Err(e)
        }
    }
}

/// Whether an error applying a served change is the change's (a value this version refuses,
/// a record this store does not have), so it is set aside and the sync goes on, rather than
/// the store's (a full disk, a damaged file), which stops the sync to be tried again.
fn unappliable(e: &Error) -> bool {
    use crate::error::ErrorCode::*;
    match e.code {
        Validation | NotFound | Conflict | GateBlocked | Forbidden | Stale | Limit => true,
        // SQLite's words for a row its constraints refuse: the change's, not the store's.
        Io => e.message.contains("constraint failed"),
        _ => false,
    }
}

/// Keeps a served change this desktop cannot apply, with why; it is listed (`sync --json`,
/// `conflicts`, the Sync view) and the rest of the log is applied past it.
async fn set_aside(
    conn: &mut SqliteConnection,
    s: &ServedChange,
    reason: &str,
    now: &str,
) -> Result<()> {
    let c = &s.change;
    sqlx::query(
        "INSERT OR IGNORE INTO sync_set_aside
           (change_id, seq, entity, entity_id, use_case_id, kind, field, actor, at, reason, served, set_aside_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&c.id)
    .bind(s.seq)
    .bind(&c.entity)
    .bind(&c.entity_id)
    .bind(&c.use_case_id)
    .bind(&c.kind)
    .bind(&c.field)
    .bind(&c.actor)
    .bind(&c.at)
    .bind(reason)
    .bind(serde_json::to_string(s)?)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Applies one page of the registry's log, in its order, and moves the cursor to `next`, in
/// one transaction: a sync cut off half way leaves the store as it was before the page.
/// Returns how many of the changes came from other desktops.
pub(crate) async fn page(ctx: &Ctx, changes: &[ServedChange], next: i64) -> Result<usize> {
    if changes.is_empty() && state(&ctx.store().read).await?.cursor >= next {
        return Ok(0);
    }
    let model = ctx.scoring_model().await?;
    let now = crate::now();
    let mut tx = ctx.store().begin().await?;
    let me = state(&mut *tx).await?.desktop_id;
    // Entries the write paths make on the side (a person added for an owner, a use case's
    // own `create` entry) are dropped at the end: the registry's entries stand for them.
    let mark = log_end(&mut tx).await?;
    let first = changes.first().map_or(next, |c| c.seq);
    let outstanding = own_outstanding(&mut tx, first - 1).await?;
    let known = known(&mut tx, changes).await?;
    let mut conflicts_open: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sync_conflicts WHERE resolved_at IS NULL)",
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut remote = Vec::new();
    let mut arrivals = Arrivals::default();
    // Use cases whose creation was set aside: what comes for them is set aside with it.
    let mut withheld: std::collections::HashSet<String> = sqlx::query_scalar(
        "SELECT entity_id FROM sync_set_aside WHERE entity = 'use_case' AND kind = 'create'",
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .collect();
    for s in changes {
        let c = &s.change;
        let key = key_of(c);
        let record = match c.entity.as_str() {
            "use_case" => Some(&c.entity_id),
            _ => c.use_case_id.as_ref(),
        };
        if record.is_some_and(|id| withheld.contains(id)) {
            let why = "its use case is not here: the change that creates it was set aside";
            set_aside(&mut tx, s, why, &now).await?;
            continue;
        }
        match known.get(&c.id) {
            Some(origin) => {
                sqlx::query("UPDATE change_log SET synced = 1, server_seq = ?, rejected = NULL WHERE id = ?")
                    .bind(s.seq)
                    .bind(&c.id)
                    .execute(&mut *tx)
                    .await?;
                if let (None, Some(o)) = (origin, &s.conflict) {
                    let (mine, theirs) = (c.new.as_ref(), o.value.as_ref());
                    conflict::open(&mut tx, s, &key, mine, theirs, &o.actor, &now).await?;
                    conflicts_open = true;
                }
            }
            None => {
                let shadowed = outstanding.get(&key).is_some_and(|at| *at > s.seq);
                if !shadowed {
                    let creation = c.entity == "use_case" && c.kind == "create";
                    let applied = if creation {
                        arrivals.add(c, &now)
                    } else {
                        match arrivals.fold(c) {
                            Ok(false) => {
                                // Whatever else comes may be about the use cases gathered so far.
                                arrivals.write(&mut tx, &model, &now).await?;
                                write_alone(&mut tx, c, &model, &now).await
                            }
                            folded => folded.map(|_| ()),
                        }
                    };
                    if let Err(e) = applied {
                        if !unappliable(&e) {
                            return Err(e);
                        }
                        set_aside(&mut tx, s, &e.message, &now).await?;
                        if creation {
                            withheld.insert(c.entity_id.clone());
                        }
                        continue;
                    }
                }
                remote.push(s);
                if let Some(o) = s.conflict.as_ref().filter(|o| o.origin == me) {
                    let (mine, theirs) = (o.value.as_ref(), c.new.as_ref());
                    conflict::open(&mut tx, s, &key, mine, theirs, &c.actor, &now).await?;
                    conflicts_open = true;
                }
            }
        }
        if s.conflict.is_none() && conflicts_open {
            conflict::close_seen(&mut tx, &key, c.base, &now).await?;
        }
    }
    arrivals.write(&mut tx, &model, &now).await?;
    drop_side_entries(&mut tx, mark).await?;
    insert_entries(&mut tx, &remote).await?;
    sqlx::query("UPDATE sync_state SET cursor = max(cursor, ?)")
        .bind(next)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(remote.len())
}

/// Marks pushed changes accepted with the registry's sequence numbers.
pub(crate) async fn accepted(ctx: &Ctx, accepted: &[super::wire::Accepted]) -> Result<()> {
    let mut tx = ctx.store().begin().await?;
    for a in accepted {
        sqlx::query(
            "UPDATE change_log SET synced = 1, server_seq = ?, rejected = NULL WHERE id = ?",
        )
        .bind(a.seq)
        .bind(&a.id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The value the registry holds for a key, as far as this desktop has seen it.
pub(crate) async fn registry_value(
    conn: &mut SqliteConnection,
    key: &str,
) -> Result<Option<Option<Value>>> {
    let v: Option<Option<String>> = sqlx::query_scalar(
        "SELECT new FROM change_log WHERE sync_key = ? AND server_seq IS NOT NULL
         ORDER BY server_seq DESC LIMIT 1",
    )
    .bind(key)
    .fetch_optional(conn)
    .await?;
    v.map(|v| v.map(|s| serde_json::from_str(&s)).transpose())
        .transpose()
        .map_err(Into::into)
}

/// Whether someone's deletion of this use case reached the registry (and this desktop).
async fn deleted_on_registry(conn: &mut SqliteConnection, id: &str) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM change_log WHERE entity = 'use_case' AND entity_id = ?
                        AND kind = 'delete' AND server_seq IS NOT NULL)",
    )
    .bind(id)
    .fetch_one(conn)
    .await?)
}

/// Rebuilds a use case deleted here from what this store knows of it, change by change;
/// the entries the write paths make on the way are dropped (the originals stand for them).
async fn put_back(
    conn: &mut SqliteConnection,
    id: &str,
    model: &ScoringModel,
    now: &str,
) -> Result<()> {
    if exists(conn, id).await? {
        return Ok(());
    }
    let mark = log_end(conn).await?;
    for c in super::history_of(conn, id).await? {
        write(conn, &c, c.new.as_ref(), model, now).await?;
    }
    if !exists(conn, id).await? {
        return Err(Error::validation(format!(
            "use case {id} cannot be put back here: this store has no record of its creation; the registry still has it, so a fresh store's sync brings it back"
        )));
    }
    drop_side_entries(conn, mark).await
}

/// Undoes a change the registry refused: the field goes back to the registry's value (a
/// refused new use case goes away, a refused deletion is put back), the revert is
/// recorded, and neither is sent.
pub async fn revert(ctx: &Ctx, change_id: &str) -> Result<()> {
    let actor = ctx.actor().await?;
    let model = ctx.scoring_model().await?;
    let now = crate::now();
    let mut tx = ctx.store().begin().await?;
    let origin = state(&mut *tx).await?.desktop_id;
    let mut pending = super::outbox_entry(&mut tx, change_id, &origin)
        .await?
        .ok_or_else(|| {
            Error::not_found(format!(
                "no refused change {change_id}: `portfolio sync --json` lists them"
            ))
        })?;
    let key = key_of(&pending);
    let mut note = "Reverted: the registry refused this change";
    let restore = match pending.kind.as_str() {
        "delete" if deleted_on_registry(&mut tx, &pending.entity_id).await? => {
            note = "Reverted: the registry has deleted it too";
            None
        }
        "delete" => {
            put_back(&mut tx, &pending.entity_id, &model, &now).await?;
            // Recorded as a put-back, which never travels: the registry kept the use case.
            pending.kind = "restore".into();
            note = "Put back: the registry refused its deletion";
            None
        }
        "archive" | "unarchive" | "retire" | "unretire" => {
            pending.kind = match pending.kind.as_str() {
                "archive" => "unarchive",
                "unarchive" => "archive",
                "retire" => "unretire",
                _ => "retire",
            }
            .into();
            None
        }
        // A refused creation has no value before it: a new use case goes away, while a
        // pattern of the same slug that came from the registry since stays.
        _ => registry_value(&mut tx, &key)
            .await?
            .unwrap_or_else(|| pending.old.clone()),
    };
    if !matches!(pending.kind.as_str(), "restore" | "delete") {
        write(&mut tx, &pending, restore.as_ref(), &model, &now).await?;
    }
    let entry = WireChange {
        id: uuid::Uuid::now_v7().to_string(),
        old: pending.new.clone(),
        new: restore,
        note: Some(note.into()),
        actor,
        at: now,
        ..pending
    };
    insert_entry(&mut tx, &entry, None, 2, None).await?;
    sqlx::query("UPDATE change_log SET synced = 2 WHERE id = ?")
        .bind(change_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
