//! What the registry tests share: a real server process on a loopback port, desktops with
//! their own stores, and tokens.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use portfolio::sync::client::{self, Registry, SyncReport};
use portfolio::use_case::{self, NewUseCase, SetFields, UseCase};
use portfolio::{Ctx, Identity, OpenMode};
use portfolio_registry::Store;
use portfolio_registry::role::Role;
use tempfile::TempDir;

/// The `portfolio-registry serve` process, killed when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    pub db_url: String,
}

impl Server {
    pub fn start(db_url: &str) -> Server {
        Server::start_with(db_url, &[])
    }

    /// Starts with more `serve` options (e.g. a certificate).
    pub fn start_with(db_url: &str, options: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_registry"))
            .args(["--database-url", db_url, "serve", "--listen", "127.0.0.1:0"])
            .args(options)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the registry starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Server {
            child,
            url,
            db_url: db_url.to_owned(),
        }
    }

    /// Kills the process at once (SIGKILL: no graceful shutdown), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn restart(&mut self) {
        self.kill();
        *self = Server::start(&self.db_url.clone());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A fresh SQLite registry in `dir`.
pub fn sqlite_url(dir: &TempDir) -> String {
    format!("sqlite://{}", dir.path().join("registry.db").display())
}

/// A fresh, empty PostgreSQL database on the server `scripts/test.sh` starts
/// (`$PORTFOLIO_TEST_POSTGRES_URL` names its maintenance database).
pub async fn postgres_url() -> String {
    use sqlx::Connection;
    let admin = std::env::var("PORTFOLIO_TEST_POSTGRES_URL").expect(
        "PORTFOLIO_TEST_POSTGRES_URL: run through scripts/test.sh, which starts PostgreSQL",
    );
    let name = format!("registry_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

pub async fn token(db_url: &str, user: &str, role: Role) -> String {
    let store = Store::open(db_url).await.unwrap();
    let t = store.create_token(user, role, None).await.unwrap().token;
    store.pool.close().await;
    t
}

/// One person's desktop: their own store, identity and token.
/// A registry on a fresh SQLite store, serving, and a desktop for each person with a token of
/// their role (on `Desktop::token`).
pub async fn team<const N: usize>(people: [(&str, Role); N]) -> (TempDir, Server, [Desktop; N]) {
    let dir = TempDir::new().unwrap();
    let db = sqlite_url(&dir);
    let mut tokens = Vec::new();
    for (email, role) in people {
        tokens.push(token(&db, email, role).await);
    }
    let server = Server::start(&db);
    let mut desktops = Vec::new();
    for ((email, _), t) in people.iter().zip(&tokens) {
        desktops.push(Desktop::new(email, t).await);
    }
    let desktops = desktops
        .try_into()
        .unwrap_or_else(|_| unreachable!("one desktop each"));
    (dir, server, desktops)
}

pub struct Desktop {
    _dir: TempDir,
    pub ctx: Ctx,
    pub email: String,
    pub token: String,
}

impl Desktop {
    pub async fn new(email: &str, token: &str) -> Desktop {
        let dir = TempDir::new().unwrap();
        let ctx = Ctx::open(&dir.path().join("desktop.db"), OpenMode::Create)
            .await
            .unwrap();
        portfolio::person::set_identity(
            &ctx,
            Identity {
                name: email.split('@').next().unwrap().into(),
                email: email.into(),
            },
        )
        .await
        .unwrap();
        Desktop {
            _dir: dir,
            ctx,
            email: email.into(),
            token: token.into(),
        }
    }

    pub async fn sync(&self, server: &Server) -> portfolio::Result<SyncReport> {
        let registry = Registry {
            url: server.url.clone(),
            token: self.token.clone(),
        };
        client::run(&self.ctx, &registry).await
    }

    pub async fn add(&self, title: &str) -> UseCase {
        use_case::create(
            &self.ctx,
            NewUseCase {
                title: title.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
    }

    pub async fn set(&self, id: &str, field: &str, value: &str) -> portfolio::Result<UseCase> {
        use_case::set_fields(
            &self.ctx,
            SetFields {
                id: id.into(),
                expect_version: None,
                fields: [(
                    field.to_owned(),
                    portfolio::field::FieldValue::Text(value.into()),
                )]
                .into(),
            },
        )
        .await
    }

    pub async fn get(&self, id: &str) -> UseCase {
        use_case::get(&self.ctx, id).await.unwrap()
    }
}
