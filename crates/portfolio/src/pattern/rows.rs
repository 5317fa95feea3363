//! The catalogue's rows: the one writer of a pattern's row and its controls (the starter
//! catalogue, an architect's add or edit, a record from the registry) and the placeholders
//! that hold a pattern or control by its slug until its record arrives.

use sqlx::SqliteConnection;

use crate::error::Result;
use domain::pattern::{PatternRecord, starter};

/// Loads the starter catalogue into an empty one (a new store, or one from before patterns).
pub(crate) async fn seed_starter(conn: &mut SqliteConnection) -> Result<()> {
    let any: Option<i64> = sqlx::query_scalar("SELECT 1 FROM patterns LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    if any.is_some() {
        return Ok(());
    }
    let starter = starter();
    for c in &starter.controls {
        sqlx::query("INSERT OR IGNORE INTO controls (slug, name, description) VALUES (?, ?, ?)")
            .bind(&c.slug)
            .bind(&c.name)
            .bind(&c.description)
            .execute(&mut *conn)
            .await?;
    }
    let now = crate::now();
    for p in &starter.patterns {
        save(
            conn,
            &p.slug,
            &p.name,
            &p.description,
            &p.components,
            &p.controls,
            &now,
        )
        .await?;
    }
    Ok(())
}

/// Writes a pattern's row and its controls: a new pattern, or the next version of one (the
/// starter catalogue, an architect's add or edit, a record from the registry).
pub(crate) async fn save(
    conn: &mut SqliteConnection,
    slug: &str,
    name: &str,
    description: &str,
    components: &[String],
    controls: &[String],
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO patterns (slug, name, description, components, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, description = excluded.description,
           components = excluded.components, version = version + 1, updated_at = excluded.updated_at",
    )
    .bind(slug)
    .bind(name)
    .bind(description)
    .bind(serde_json::to_string(components)?)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    write_controls(conn, slug, controls).await
}

async fn write_controls(
    conn: &mut SqliteConnection,
    slug: &str,
    controls: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM pattern_controls WHERE pattern_slug = ?")
        .bind(slug)
        .execute(&mut *conn)
        .await?;
    for (i, c) in controls.iter().enumerate() {
        sqlx::query(
            "INSERT OR IGNORE INTO pattern_controls (pattern_slug, control_slug, position) VALUES (?, ?, ?)",
        )
        .bind(slug)
        .bind(c)
        .bind(i as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(crate) async fn add_control(conn: &mut SqliteConnection, slug: &str, name: &str) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO controls (slug, name) VALUES (?, ?)")
        .bind(slug)
        .bind(name)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes a pattern that arrived from the registry (added or edited elsewhere), with any
/// control this desktop has not got; `None` takes away a pattern this desktop made that
/// the registry refused.
pub(crate) async fn write_record(
    conn: &mut SqliteConnection,
    slug: &str,
    record: Option<&PatternRecord>,
    now: &str,
) -> Result<()> {
    let Some(r) = record else {
        for table in ["pattern_controls", "use_case_patterns"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE pattern_slug = ?"
            )))
            .bind(slug)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query("DELETE FROM patterns WHERE slug = ?")
            .bind(slug)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    };
    for c in &r.controls {
        match r.control_names.get(c) {
            // A control known here keeps its name; one held by its slug (a placeholder) gets
            // the name its author gave it.
            Some(name) => sqlx::query(
                "INSERT INTO controls (slug, name) VALUES (?1, ?2)
                 ON CONFLICT (slug) DO UPDATE SET name = excluded.name WHERE controls.name = controls.slug",
            )
            .bind(c)
            .bind(name)
            .execute(&mut *conn)
            .await
            .map(drop)?,
            // An entry from before names travelled.
            None => control_placeholder(conn, c).await?,
        }
    }
    save(
        conn,
        slug,
        &r.name,
        &r.description,
        &r.components,
        &r.controls,
        now,
    )
    .await
}

/// A pattern known by its slug before its record arrives: a new desktop's first sync serves
/// each pattern's latest record, which may come after a mapping to it or its retirement.
/// The record fills it in.
pub(crate) async fn placeholder(conn: &mut SqliteConnection, slug: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO patterns (slug, name, created_at, updated_at) VALUES (?1, ?1, ?2, ?2)
         ON CONFLICT (slug) DO NOTHING",
    )
    .bind(slug)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Retires or brings back a pattern, as another desktop did.
pub(crate) async fn write_retired(
    conn: &mut SqliteConnection,
    slug: &str,
    retired: bool,
    now: &str,
) -> Result<()> {
    placeholder(conn, slug, now).await?;
    sqlx::query(
        "UPDATE patterns SET retired = ?2, version = version + 1, updated_at = ?3 WHERE slug = ?1 AND retired <> ?2",
    )
    .bind(slug)
    .bind(retired)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A control known by its slug before the pattern that names it arrives (see `placeholder`).
pub(crate) async fn control_placeholder(conn: &mut SqliteConnection, slug: &str) -> Result<()> {
    add_control(conn, slug, slug).await
}
