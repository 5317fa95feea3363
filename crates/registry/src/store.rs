//! The registry's store: the ordered change log every desktop syncs with, the latest change
//! of each field (the snapshot a new desktop starts from), what permissions need to know
//! about each use case, and the tokens. SQLite by default, PostgreSQL for several instances.

use std::str::FromStr;

use portfolio::sync::wire::{Accepted, Overridden, Rejection, ServedChange, WireChange};
use portfolio::sync::{conflicting, key_of, travels};
use serde::Serialize;
use serde_json::Value;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::role::{self, Permission, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Pushes from this process queue here, in order, rather than in SQLite's busy handler,
    /// whose growing sleeps would make the unlucky wait for tens of milliseconds.
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS tokens (
        id          TEXT PRIMARY KEY,
        user_email  TEXT NOT NULL,
        role        TEXT NOT NULL,
        hash        TEXT NOT NULL UNIQUE,   -- SHA-256 of the token: the secret is never stored
        created_at  TEXT NOT NULL,
        expires_at  TEXT,
        revoked_at  TEXT
    )",
    // Every accepted change, in the order the registry accepted them.
    "CREATE TABLE IF NOT EXISTS changes (
        seq         BIGINT PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        sync_key    TEXT NOT NULL,
        origin      TEXT NOT NULL,
        entity      TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        use_case_id TEXT,
        kind        TEXT NOT NULL,
        field       TEXT,
        old         TEXT,
        new         TEXT,
        note        TEXT,
        actor       TEXT NOT NULL,
        at          TEXT NOT NULL,
        base        BIGINT NOT NULL,
        conflict    TEXT,
        received_at TEXT NOT NULL
    )",
    // The latest change of each field: the snapshot, read in sequence order.
    "CREATE TABLE IF NOT EXISTS latest (
        sync_key TEXT PRIMARY KEY,
        seq      BIGINT NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS latest_seq ON latest (seq)",
    // What the permission table needs to know about each use case.
    "CREATE TABLE IF NOT EXISTS use_cases (
        id         TEXT PRIMARY KEY,
        created_by TEXT NOT NULL,
        proposer   TEXT,
        deleted    INTEGER NOT NULL DEFAULT 0
    )",
    "CREATE TABLE IF NOT EXISTS owners (
        use_case_id TEXT NOT NULL,
        role        TEXT NOT NULL,
        email       TEXT NOT NULL,
        PRIMARY KEY (use_case_id, role)
    )",
];

/// The longest a token may live: a hundred years is "never" for any registry.
pub const MAX_DAYS: u32 = 36_500;

/// A change as stored, read back for serving.
const CHANGE_COLUMNS: &str = "c.seq, c.id, c.origin, c.entity, c.entity_id, c.use_case_id, c.kind, c.field, c.old, c.new, c.note, c.actor, c.at, c.base, c.conflict";

fn json(v: Option<String>) -> Result<Option<Value>, ApiError> {
    v.map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| ApiError::internal(format!("a stored change is not JSON: {e}")))
}

fn served(r: &sqlx::any::AnyRow) -> Result<ServedChange, ApiError> {
    let conflict: Option<String> = r.try_get("conflict")?;
    Ok(ServedChange {
        seq: r.try_get("seq")?,
        change: WireChange {
            id: r.try_get("id")?,
            entity: r.try_get("entity")?,
            entity_id: r.try_get("entity_id")?,
            use_case_id: r.try_get("use_case_id")?,
            kind: r.try_get("kind")?,
            field: r.try_get("field")?,
            old: json(r.try_get("old")?)?,
            new: json(r.try_get("new")?)?,
            note: r.try_get("note")?,
            actor: r.try_get("actor")?,
            at: r.try_get("at")?,
            base: r.try_get("base")?,
            origin: r.try_get("origin")?,
        },
        conflict: conflict
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| ApiError::internal(format!("a stored conflict is not JSON: {e}")))?,
    })
}

/// A token as `token list` shows it: never its secret.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub user: String,
    pub role: Role,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A new token: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub id: String,
    pub token: String,
    pub user: String,
    pub role: Role,
    pub expires_at: Option<String>,
}

impl Store {
    /// Opens the store at a `sqlite://FILE` or `postgres://…` URL, creating its tables.
    pub async fn open(url: &str) -> Result<Store, ApiError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(ApiError::validation(format!(
                "the database URL must start with sqlite:// or postgres://, not {url}"
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| ApiError::validation(format!("bad database URL: {e}")))?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets pulls read while a push writes; one writer at a time waits
                        // its turn instead of failing with "database is locked".
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 30000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| {
                ApiError::unavailable(format!("cannot open the registry store at {url}: {e}"))
            })?;
        let store = Store {
            pool,
            backend,
            writer: Default::default(),
        };
        let mut conn = store.pool.acquire().await?;
        if backend == Backend::Postgres {
            // Two instances starting together must not race to create the tables.
            conn.execute("SELECT pg_advisory_lock(7301)").await?;
        }
        for s in SCHEMA {
            conn.execute(*s).await?;
        }
        if backend == Backend::Postgres {
            conn.execute("SELECT pg_advisory_unlock(7301)").await?;
        }
        Ok(store)
    }

    /// Starts the one writer: changes are numbered and committed one push at a time, so a
    /// pull never sees sequence N+1 while N can still commit, however many instances run.
    async fn begin_write(
        conn: &mut AnyConnection,
        backend: Backend,
    ) -> Result<sqlx::Transaction<'_, sqlx::Any>, ApiError> {
        Ok(match backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = conn.begin().await?;
                tx.execute("SELECT pg_advisory_xact_lock(7302)").await?;
                tx
            }
        })
    }

    pub async fn head(&self) -> Result<i64, ApiError> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Accepts what the sender may change, in order; refuses the rest with a reason. A
    /// change already accepted is acknowledged again and applied nothing twice.
    pub async fn push(
        &self,
        who: &Principal,
        changes: &[WireChange],
    ) -> Result<(Vec<Accepted>, Vec<Rejection>), ApiError> {
        let mut accepted = Vec::new();
        let mut rejected = Vec::new();
        if changes.is_empty() {
            return Ok((accepted, rejected));
        }
        let _turn = self.writer.lock().await;
        let mut conn = self.pool.acquire().await?;
        let mut tx = Self::begin_write(&mut conn, self.backend).await?;
        let mut head: i64 = sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM changes")
            .fetch_one(&mut *tx)
            .await?;
        let now = portfolio::now();
        for c in changes {
            let known: Option<i64> = sqlx::query_scalar("SELECT seq FROM changes WHERE id = $1")
                .bind(&c.id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(seq) = known {
                accepted.push(Accepted {
                    id: c.id.clone(),
                    seq,
                });
                continue;
            }
            if let Err(reason) = check(&mut tx, who, c).await? {
                rejected.push(Rejection {
                    change_id: c.id.clone(),
                    reason,
                });
                continue;
            }
            let key = key_of(c);
            let conflict = if conflicting(&c.entity, &c.kind) {
                overridden(&mut tx, &key, c).await?
            } else {
                None
            };
            head += 1;
            sqlx::query(
                "INSERT INTO changes (seq, id, sync_key, origin, entity, entity_id, use_case_id, kind, field,
                                      old, new, note, actor, at, base, conflict, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            )
            .bind(head)
            .bind(&c.id)
            .bind(&key)
            .bind(&c.origin)
            .bind(&c.entity)
            .bind(&c.entity_id)
            .bind(&c.use_case_id)
            .bind(&c.kind)
            .bind(&c.field)
            .bind(c.old.as_ref().map(Value::to_string))
            .bind(c.new.as_ref().map(Value::to_string))
            .bind(&c.note)
            .bind(&who.user)
            .bind(&c.at)
            .bind(c.base)
            .bind(conflict.as_ref().map(|o| serde_json::json!(o).to_string()))
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            project(&mut tx, c, &key, head, &who.user).await?;
            accepted.push(Accepted {
                id: c.id.clone(),
                seq: head,
            });
        }
        tx.commit().await?;
        Ok((accepted, rejected))
    }

    /// The changes after `after`, in order; `compact` serves only the latest change of each
    /// field (a snapshot that still reads in order). Returns the page and whether more wait.
    pub async fn pull(
        &self,
        after: i64,
        limit: u32,
        compact: bool,
    ) -> Result<(Vec<ServedChange>, bool), ApiError> {
        let sql = if compact {
            format!(
                "SELECT {CHANGE_COLUMNS} FROM latest l JOIN changes c ON c.seq = l.seq
                 WHERE l.seq > $1 ORDER BY l.seq LIMIT $2"
            )
        } else {
            format!(
                "SELECT {CHANGE_COLUMNS} FROM changes c WHERE c.seq > $1 ORDER BY c.seq LIMIT $2"
            )
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(i64::from(limit) + 1)
            .fetch_all(&self.pool)
            .await?;
        let more = rows.len() > limit as usize;
        let page = rows
            .iter()
            .take(limit as usize)
            .map(served)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((page, more))
    }

    pub async fn create_token(
        &self,
        user: &str,
        role: Role,
        expires_days: Option<u32>,
    ) -> Result<NewToken, ApiError> {
        let user =
            portfolio::person::Email::parse(user).map_err(|e| ApiError::validation(e.message))?;
        if !plain_email(user.as_str()) {
            return Err(ApiError::validation(format!(
                "`{}` is not a plain e-mail address: tokens are for addresses of letters, digits and . _ % + - (like name@example.org)",
                user.as_str()
            )));
        }
        if let Some(d) = expires_days.filter(|d| !(1..=MAX_DAYS).contains(d)) {
            return Err(ApiError::validation(format!(
                "a token expires in 1 to {MAX_DAYS} days, not {d}"
            )));
        }
        let (token, hash) = crate::auth::mint()?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = chrono::Utc::now();
        let expires_at =
            expires_days.map(|d| portfolio::timestamp(now + chrono::Duration::days(i64::from(d))));
        sqlx::query(
            "INSERT INTO tokens (id, user_email, role, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(user.as_str())
        .bind(role.as_str())
        .bind(&hash)
        .bind(portfolio::timestamp(now))
        .bind(&expires_at)
        .execute(&self.pool)
        .await?;
        Ok(NewToken {
            id,
            token,
            user: user.as_str().to_owned(),
            role,
            expires_at,
        })
    }

    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, ApiError> {
        let rows = sqlx::query(
            "SELECT id, user_email, role, created_at, expires_at, revoked_at FROM tokens ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(token_info).collect()
    }

    pub async fn token(&self, id: &str) -> Result<TokenInfo, ApiError> {
        let row = sqlx::query(
            "SELECT id, user_email, role, created_at, expires_at, revoked_at FROM tokens WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no token {id}")))?;
        token_info(&row)
    }

    /// Revokes a token; revoking it again changes nothing.
    pub async fn revoke(&self, id: &str) -> Result<TokenInfo, ApiError> {
        self.token(id).await?;
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(portfolio::now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        self.token(id).await
    }

    /// A new token for the same user and role; the old one is revoked.
    pub async fn rotate(&self, id: &str, expires_days: Option<u32>) -> Result<NewToken, ApiError> {
        let old = self.token(id).await?;
        if old.revoked_at.is_some() {
            return Err(ApiError::validation(format!(
                "token {id} is revoked; create a new one instead"
            )));
        }
        let new = self.create_token(&old.user, old.role, expires_days).await?;
        self.revoke(id).await?;
        Ok(new)
    }

    /// Finds the live token with this secret's hash.
    pub async fn principal(&self, hash: &str) -> Result<Option<(Principal, TokenState)>, ApiError> {
        let row = sqlx::query(
            "SELECT id, user_email, role, expires_at, revoked_at FROM tokens WHERE hash = $1",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let role: String = r.try_get("role")?;
        let p = Principal {
            token_id: r.try_get("id")?,
            user: r.try_get("user_email")?,
            role: Role::parse(&role).map_err(ApiError::internal)?,
        };
        let expires_at: Option<String> = r.try_get("expires_at")?;
        let revoked_at: Option<String> = r.try_get("revoked_at")?;
        let state = match (revoked_at, expires_at) {
            (Some(at), _) => TokenState::Revoked(at),
            (None, Some(at)) if at <= portfolio::now() => TokenState::Expired(at),
            _ => TokenState::Live,
        };
        Ok(Some((p, state)))
    }

    /// Copies the SQLite store to `path` as one consistent file, while it serves.
    pub async fn backup(&self, path: &std::path::Path) -> Result<(), ApiError> {
        if self.backend != Backend::Sqlite {
            return Err(ApiError::validation(
                "`backup` copies a SQLite store; back up PostgreSQL with pg_dump (see the README)",
            ));
        }
        if path.exists() {
            return Err(ApiError::validation(format!(
                "{} exists already; choose a new file",
                path.display()
            )));
        }
        let target = path
            .to_str()
            .ok_or_else(|| ApiError::validation("the backup path is not UTF-8"))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// What the API document promises for a token's user: ASCII `local@domain.tld`, at most
/// 254 characters (the pattern in `TokenRequest`).
fn plain_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let label_ok =
        |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    s.len() <= 254
        && !local.is_empty()
        && local.chars().all(local_ok)
        && domain.split('.').count() >= 2
        && domain.split('.').all(label_ok)
}

pub enum TokenState {
    Live,
    Revoked(String),
    Expired(String),
}

fn token_info(r: &sqlx::any::AnyRow) -> Result<TokenInfo, ApiError> {
    let role: String = r.try_get("role")?;
    Ok(TokenInfo {
        id: r.try_get("id")?,
        user: r.try_get("user_email")?,
        role: Role::parse(&role).map_err(ApiError::internal)?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
    })
}

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The change a concurrent change overrides: the field's latest change, when another
/// desktop made it after this change's author last synced, with a different value.
async fn overridden(
    tx: &mut Tx<'_>,
    key: &str,
    c: &WireChange,
) -> Result<Option<Overridden>, ApiError> {
    let row = sqlx::query(
        "SELECT c.seq, c.id, c.origin, c.actor, c.new FROM latest l JOIN changes c ON c.seq = l.seq
         WHERE l.sync_key = $1",
    )
    .bind(key)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let seq: i64 = r.try_get("seq")?;
    let origin: String = r.try_get("origin")?;
    let value = json(r.try_get("new")?)?;
    if seq <= c.base || origin == c.origin || value == c.new {
        return Ok(None);
    }
    Ok(Some(Overridden {
        change_id: r.try_get("id")?,
        origin,
        actor: r.try_get("actor")?,
        value,
    }))
}

struct UseCaseAccess {
    created_by: String,
    proposer: Option<String>,
    deleted: bool,
    owners: Vec<String>,
}

async fn access(tx: &mut Tx<'_>, id: &str) -> Result<Option<UseCaseAccess>, ApiError> {
    let row = sqlx::query("SELECT created_by, proposer, deleted FROM use_cases WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(r) = row else { return Ok(None) };
    let owners: Vec<String> = sqlx::query_scalar("SELECT email FROM owners WHERE use_case_id = $1")
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
    let deleted: i32 = r.try_get("deleted")?;
    Ok(Some(UseCaseAccess {
        created_by: r.try_get("created_by")?,
        proposer: r.try_get("proposer")?,
        deleted: deleted != 0,
        owners,
    }))
}

/// Whether the value is one every desktop can apply: checked with the desktop's own parsers,
/// so a bad value is refused here rather than stopping everyone's sync.
fn well_formed(c: &WireChange) -> Result<(), String> {
    use portfolio::field::{Field, FieldValue};
    use portfolio::pattern::check_slug;
    let v = c.new.clone().unwrap_or(Value::Null);
    let field = c.field.as_deref().unwrap_or_default();
    let checked: portfolio::Result<()> = (|| {
        match (c.entity.as_str(), c.kind.as_str()) {
            ("use_case", "field") => {
                Field::parse(field, &serde_json::from_value::<FieldValue>(v)?)?;
            }
            ("use_case", "score") if !v.is_null() => {
                let n = v.as_i64().unwrap_or_default();
                portfolio::scoring::CriterionScore::new(n)?;
            }
            ("use_case", "owner") if !v.is_null() => {
                portfolio::person::Email::parse(v.as_str().unwrap_or_default())?;
            }
            ("use_case", "stage") => {
                portfolio::stage::Stage::parse(v.as_str().unwrap_or_default())?;
            }
            ("use_case", "control") => {
                check_slug("control", field)?;
                portfolio::pattern::ControlState::parse(v.as_str().unwrap_or_default())?;
            }
            ("use_case", "pattern") => check_slug("pattern", field)?,
            ("scoring_model", _) => {
                serde_json::from_value::<portfolio::scoring::ScoringModel>(v)?.validate()?;
            }
            ("gate_rules", _) => {
                serde_json::from_value::<portfolio::gate::GateRules>(v)?.validate()?;
            }
            ("pattern", kind) => {
                // The key is the slug alone: a field would make another key for one record.
                if c.field.is_some() {
                    return Err(portfolio::Error::invalid(
                        "field",
                        "a pattern's change names no field",
                    ));
                }
                check_slug("pattern", &c.entity_id)?;
                if matches!(kind, "create" | "field") {
                    serde_json::from_value::<portfolio::pattern::PatternRecord>(v)?
                        .validate(&c.entity_id)?;
                }
            }
            _ => {}
        }
        Ok(())
    })();
    checked.map_err(|e| {
        format!(
            "the new value of {} {} is not valid: {}",
            c.entity, c.kind, e.message
        )
    })
}

/// Whether every desktop has, or will have, this pattern: a starter one, or one whose record
/// the registry accepted.
async fn pattern_known(tx: &mut Tx<'_>, slug: &str) -> Result<bool, ApiError> {
    if portfolio::pattern::is_starter(slug) {
        return Ok(true);
    }
    let key = portfolio::sync::key("pattern", slug, "field", None, None, None);
    let row: Option<i64> = sqlx::query_scalar("SELECT seq FROM latest WHERE sync_key = $1")
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}

/// Whether the sender may make this change; `Err(reason)` says why not, for the person.
async fn check(
    tx: &mut Tx<'_>,
    who: &Principal,
    c: &WireChange,
) -> Result<Result<(), String>, ApiError> {
    let may = |p: Permission| role::allows(who.role, p);
    let role = who.role.as_str();
    if !may(Permission::Propose) {
        return Ok(Err(format!(
            "{} is a {role}: viewers only read the portfolio",
            who.user
        )));
    }
    if !c.actor.eq_ignore_ascii_case(&who.user) {
        return Ok(Err(format!(
            "made by {} but sent with {}'s token: a desktop syncs with its own person's token",
            c.actor, who.user
        )));
    }
    if !travels(&c.entity, &c.kind) {
        return Ok(Err(format!(
            "this registry does not take `{}` changes to {} yet",
            c.kind, c.entity
        )));
    }
    if c.id.is_empty() || c.entity_id.is_empty() || c.origin.is_empty() {
        return Ok(Err("the change has no id, entity id or origin".into()));
    }
    if let Err(reason) = well_formed(c) {
        return Ok(Err(reason));
    }
    match c.entity.as_str() {
        "scoring_model" if !may(Permission::EditScoringModel) => {
            return Ok(Err(format!(
                "only portfolio leads edit the scoring model; {} is a {role}",
                who.user
            )));
        }
        "gate_rules" if !may(Permission::EditGateRules) => {
            return Ok(Err(format!(
                "only portfolio leads edit the gate rules; {} is a {role}",
                who.user
            )));
        }
        "pattern" if !may(Permission::EditPatterns) => {
            return Ok(Err(format!(
                "only architects and portfolio leads edit the pattern catalogue; {} is a {role}",
                who.user
            )));
        }
        "scoring_model" | "gate_rules" | "pattern" => return Ok(Ok(())),
        _ => {}
    }
    if c.entity == "person" || c.kind == "create" {
        if c.kind == "create" && c.entity == "use_case" {
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM use_cases WHERE id = $1")
                    .bind(&c.entity_id)
                    .fetch_optional(&mut **tx)
                    .await?;
            if exists.is_some() {
                return Ok(Err(format!(
                    "use case {} exists already on the registry",
                    c.entity_id
                )));
            }
        }
        return Ok(Ok(()));
    }
    // A KPI belongs to its use case: whoever may change that may change its KPIs.
    let use_case = if c.entity == "use_case" {
        &c.entity_id
    } else {
        c.use_case_id.as_ref().unwrap_or(&c.entity_id)
    };
    let Some(uc) = access(tx, use_case).await? else {
        return Ok(Err(format!("the registry has no use case {use_case}")));
    };
    if uc.deleted {
        return Ok(Err(format!(
            "use case {use_case} was deleted on the registry"
        )));
    }
    if c.kind == "pattern" && c.new.as_ref().is_some_and(|v| !v.is_null()) {
        let slug = c.field.as_deref().unwrap_or_default();
        if !pattern_known(tx, slug).await? {
            return Ok(Err(format!(
                "the registry has no pattern `{slug}`: it must reach the catalogue before use cases map to it"
            )));
        }
    }
    let new_stage = c.new.as_ref().and_then(Value::as_str).unwrap_or_default();
    if c.kind == "stage"
        && matches!(new_stage, "production" | "scaled")
        && !may(Permission::MoveToProduction)
    {
        return Ok(Err(format!(
            "only portfolio leads move a use case to Production or Scaled; {} is a {role}",
            who.user
        )));
    }
    if may(Permission::EditAny) {
        return Ok(Ok(()));
    }
    let field = c.field.as_deref().unwrap_or_default();
    let technical = (c.kind == "field" && role::TECHNICAL_FIELDS.contains(&field))
        || (c.kind == "owner" && role::TECHNICAL_OWNERS.contains(&field))
        || role::TECHNICAL_KINDS.contains(&c.kind.as_str());
    if technical && may(Permission::EditTechnical) {
        return Ok(Ok(()));
    }
    let mine = uc.created_by == who.user
        || uc.proposer.as_deref() == Some(who.user.as_str())
        || uc.owners.contains(&who.user);
    if mine && may(Permission::EditOwn) {
        return Ok(Ok(()));
    }
    Ok(Err(format!(
        "{} is a {role} who neither proposed nor owns use case {}: {role}s change the use cases they propose or own{}",
        who.user,
        use_case,
        if may(Permission::EditTechnical) {
            " (and the technical side of any)"
        } else {
            ""
        }
    )))
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_lowercase)
}

/// Keeps the snapshot and the permission facts in step with an accepted change.
async fn project(
    tx: &mut Tx<'_>,
    c: &WireChange,
    key: &str,
    seq: i64,
    user: &str,
) -> Result<(), ApiError> {
    if c.kind == "delete" {
        // A deleted use case leaves nothing in the snapshot but its deletion.
        let prefix = format!("use_case:{}:", c.entity_id);
        sqlx::query("DELETE FROM latest WHERE sync_key >= $1 AND sync_key < $2")
            .bind(&prefix)
            .bind(format!("use_case:{};", c.entity_id))
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO latest (sync_key, seq) VALUES ($1, $2)
         ON CONFLICT (sync_key) DO UPDATE SET seq = excluded.seq",
    )
    .bind(key)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    if c.entity != "use_case" {
        return Ok(());
    }
    let id = c.entity_id.as_str();
    match c.kind.as_str() {
        "create" => {
            let proposer = text(c.new.as_ref().and_then(|v| v.get("proposer")));
            sqlx::query("INSERT INTO use_cases (id, created_by, proposer) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(user)
                .bind(proposer)
                .execute(&mut **tx)
                .await?;
            if let Some(map) = c.new.as_ref().and_then(Value::as_object) {
                for (k, v) in map {
                    if let (Some(role), Some(email)) = (k.strip_prefix("owner."), text(Some(v))) {
                        set_owner(tx, id, role, Some(email)).await?;
                    }
                }
            }
        }
        "field" if c.field.as_deref() == Some("proposer") => {
            sqlx::query("UPDATE use_cases SET proposer = $1 WHERE id = $2")
                .bind(text(c.new.as_ref()))
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        "owner" => {
            let role = c.field.as_deref().unwrap_or_default();
            set_owner(tx, id, role, text(c.new.as_ref())).await?;
        }
        "delete" => {
            sqlx::query("UPDATE use_cases SET deleted = 1 WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

async fn set_owner(
    tx: &mut Tx<'_>,
    id: &str,
    role: &str,
    email: Option<String>,
) -> Result<(), ApiError> {
    match email {
        Some(e) => sqlx::query(
            "INSERT INTO owners (use_case_id, role, email) VALUES ($1, $2, $3)
             ON CONFLICT (use_case_id, role) DO UPDATE SET email = excluded.email",
        )
        .bind(id)
        .bind(role)
        .bind(e),
        None => sqlx::query("DELETE FROM owners WHERE use_case_id = $1 AND role = $2")
            .bind(id)
            .bind(role),
    }
    .execute(&mut **tx)
    .await?;
    Ok(())
}
