//! The context every engine function runs against: an open store and who is acting.
//! The app, the CLI and the tests all build one of these; nothing here knows about Tauri.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::gate::GateRules;
use crate::scoring::ScoringModel;
use crate::store::{OpenMode, Store};
use domain::email::Email;

/// The similarity index, shared by every clone of a context on the same store.
type SimilarityCache =
    std::sync::Arc<tokio::sync::Mutex<Option<std::sync::Arc<crate::similar::index::Index>>>>;

#[derive(Clone)]
pub struct Ctx {
    store: Store,
    /// `--as` / `$PORTFOLIO_USER`: overrides the identity saved in the store.
    actor: Option<String>,
    similarity: SimilarityCache,
}

/// The person using this desktop: the actor on every change they make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

impl Ctx {
    /// Opens (or, with `OpenMode::Create`, creates) the store and seeds the starter scoring
    /// model and gate rules into a new one.
    pub async fn open(path: &Path, mode: OpenMode) -> Result<Ctx> {
        let store = Store::open(path, mode).await?;
        let ctx = Ctx {
            store,
            actor: None,
            similarity: SimilarityCache::default(),
        };
        ctx.seed().await?;
        Ok(ctx)
    }

    pub fn with_actor(mut self, actor: Option<String>) -> Result<Ctx> {
        self.actor = actor
            .map(|a| Email::parse(&a).map(|e| e.as_str().to_owned()))
            .transpose()?;
        Ok(self)
    }

    pub async fn close(&self) {
        self.store.close().await;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn similarity_cache(&self) -> &SimilarityCache {
        &self.similarity
    }

    async fn seed(&self) -> Result<()> {
        // Looked at through the read pool first: every open (each CLI command, the app's
        // start) would otherwise take the store's write lock just to find the catalogue there.
        let has_patterns: Option<i64> = sqlx::query_scalar("SELECT 1 FROM patterns LIMIT 1")
            .fetch_optional(&self.store.read)
            .await?;
        if has_patterns.is_none() && !self.store.is_read_only() {
            let mut tx = self.store.begin().await?;
            crate::pattern::rows::seed_starter(&mut tx).await?;
            tx.commit().await?;
        }
        let has_model: Option<i64> =
            sqlx::query_scalar("SELECT version FROM scoring_models LIMIT 1")
                .fetch_optional(&self.store.read)
                .await?;
        if has_model.is_some() {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        let now = crate::now();
        sqlx::query("INSERT OR IGNORE INTO scoring_models (version, model, created_at, created_by) VALUES (1, ?, ?, 'system')")
            .bind(serde_json::to_string(&ScoringModel::starter())?)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT OR IGNORE INTO gate_rules (version, rules, created_at, created_by) VALUES (1, ?, ?, 'system')")
            .bind(serde_json::to_string(&GateRules::starter())?)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The identity saved in the store (the app's first-run question, or `init`).
    pub async fn identity(&self) -> Result<Option<Identity>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT key, value FROM settings WHERE key IN ('identity.name', 'identity.email')",
        )
        .fetch_all(&self.store.read)
        .await?;
        let get = |k: &str| {
            rows.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        Ok(get("identity.email").map(|email| Identity {
            name: get("identity.name").unwrap_or_default(),
            email,
        }))
    }

    /// Who is making a change: `--as` / `$PORTFOLIO_USER`, else the saved identity. In a
    /// store connected to a registry it must be the registry token's user, who is the actor
    /// there: a change by anyone else would be refused at the next sync.
    pub async fn actor(&self) -> Result<String> {
        let actor = match &self.actor {
            Some(a) => a.clone(),
            None => self.identity().await?.map(|i| i.email).ok_or_else(|| {
                Error::validation(
                    "no identity: say who you are with `portfolio init --name NAME --email EMAIL`, --as EMAIL or $PORTFOLIO_USER",
                )
            })?,
        };
        let registry_user: Option<String> =
            sqlx::query_scalar("SELECT registry_user FROM sync_state")
                .fetch_one(&self.store.read)
                .await?;
        match registry_user {
            Some(user) if user != actor => Err(Error::new(
                crate::ErrorCode::Forbidden,
                format!(
                    "this store syncs with the registry as {user}; {actor} cannot make changes in it"
                ),
            )),
            _ => Ok(actor),
        }
    }

    pub async fn scoring_model(&self) -> Result<ScoringModel> {
        let (version, json): (i32, String) = sqlx::query_as(
            "SELECT version, model FROM scoring_models ORDER BY version DESC LIMIT 1",
        )
        .fetch_one(&self.store.read)
        .await?;
        let mut model: ScoringModel = serde_json::from_str(&json)?;
        model.version = version;
        Ok(model)
    }

    pub async fn gate_rules(&self) -> Result<GateRules> {
        let (version, json): (i32, String) =
            sqlx::query_as("SELECT version, rules FROM gate_rules ORDER BY version DESC LIMIT 1")
                .fetch_one(&self.store.read)
                .await?;
        let mut rules: GateRules = serde_json::from_str(&json)?;
        rules.version = version;
        Ok(rules)
    }
}
