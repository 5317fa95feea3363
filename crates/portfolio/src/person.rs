//! People in the portfolio (owners, proposers): one per lower-cased email.

use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::ctx::{Ctx, Identity};
use crate::error::{Error, Result};
pub use domain::email::Email;
use protocol::{ChangeKind, Entity};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub name: String,
    pub business_unit: String,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    email: String,
    name: String,
    business_unit: String,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        Person {
            id: r.id,
            email: r.email,
            name: r.name,
            business_unit: r.business_unit,
        }
    }
}

/// Someone to add or find: the email decides who it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewPerson {
    pub email: String,
    #[ts(optional)]
    pub name: Option<String>,
    #[ts(optional)]
    pub business_unit: Option<String>,
}

/// Everyone in the portfolio, by name.
pub async fn all(ctx: &Ctx) -> Result<Vec<Person>> {
    list(&ctx.store().read).await
}

async fn list(db: impl sqlx::Executor<'_, Database = Sqlite>) -> Result<Vec<Person>> {
    Ok(sqlx::query_as::<_, PersonRow>(
        "SELECT id, email, name, business_unit FROM people ORDER BY name COLLATE NOCASE, email",
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(Person::from)
    .collect())
}

pub async fn by_email(conn: &mut SqliteConnection, email: &Email) -> Result<Option<Person>> {
    Ok(sqlx::query_as::<_, PersonRow>(
        "SELECT id, email, name, business_unit FROM people WHERE email = ?",
    )
    .bind(email.as_str())
    .fetch_optional(conn)
    .await?
    .map(Person::from))
}

/// Finds the person with this email, or adds them (inside the caller's transaction, with
/// a change-log entry). A new person without a name is named after their email.
/// The person with this email, added (named after the email) if there is none.
pub(crate) async fn find_or_add_email(
    conn: &mut SqliteConnection,
    email: &str,
    actor: &str,
    demo: bool,
) -> Result<Person> {
    let new = NewPerson {
        email: email.to_owned(),
        ..Default::default()
    };
    find_or_add(conn, &new, actor, demo).await
}

pub async fn find_or_add(
    conn: &mut SqliteConnection,
    new: &NewPerson,
    actor: &str,
    demo: bool,
) -> Result<Person> {
    let email = Email::parse(&new.email)?;
    if let Some(p) = by_email(conn, &email).await? {
        return Ok(p);
    }
    let name = new.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let name = name.map(str::to_owned).unwrap_or_else(|| {
        email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    if name.chars().count() > 200 {
        return Err(Error::invalid("name", "a name is at most 200 characters"));
    }
    let person = Person {
        id: uuid::Uuid::now_v7().to_string(),
        email: email.as_str().to_owned(),
        name,
        business_unit: new.business_unit.as_deref().unwrap_or("").trim().to_owned(),
    };
    sqlx::query("INSERT INTO people (id, email, name, business_unit, demo, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(&person.id)
        .bind(&person.email)
        .bind(&person.name)
        .bind(&person.business_unit)
        .bind(demo)
        .bind(crate::now())
        .execute(&mut *conn)
        .await?;
    change_log::record(
        conn,
        Change::new(Entity::Person, &person.id, ChangeKind::Create, actor)
            .new_value(serde_json::to_value(&person)?)
            .demo(demo),
    )
    .await?;
    Ok(person)
}

/// Saves who uses this desktop; they become a person in the portfolio too.
pub async fn set_identity(ctx: &Ctx, id: Identity) -> Result<Identity> {
    let email = Email::parse(&id.email)?;
    let name = id.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "please give your name"));
    }
    if name.chars().count() > 200 {
        return Err(Error::invalid("name", "a name is at most 200 characters"));
    }
    let mut tx = ctx.store().begin().await?;
    for (k, v) in [("identity.name", name), ("identity.email", email.as_str())] {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(k)
            .bind(v)
            .execute(&mut *tx)
            .await?;
    }
    let person = NewPerson {
        email: email.as_str().into(),
        name: Some(name.into()),
        business_unit: None,
    };
    find_or_add(&mut tx, &person, email.as_str(), false).await?;
    tx.commit().await?;
    Ok(Identity {
        name: name.into(),
        email: email.as_str().into(),
    })
}
