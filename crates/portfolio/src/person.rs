//! People in the portfolio (owners, proposers): one per lower-cased email.

use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, SqliteConnection};
use ts_rs::TS;

use crate::change_log::{self, Change};
use crate::error::{Error, Result};

/// A checked email address, stored lower-cased so one person is one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email> {
        let s = raw.trim().to_lowercase();
        let bad = || {
            Error::invalid(
                "email",
                format!("`{raw}` is not an email address (like name@example.org)"),
            )
        };
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && s.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ',' || c == '<' || c == '>');
        if ok { Ok(Email(s)) } else { Err(bad()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

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
pub async fn all(ctx: &crate::Ctx) -> Result<Vec<Person>> {
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
        Change::new("person", &person.id, "create", actor)
            .new_value(serde_json::to_value(&person)?)
            .demo(demo),
    )
    .await?;
    Ok(person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            Email::parse(" Ada@Example.ORG ").unwrap().as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            let e = Email::parse(bad).unwrap_err();
            assert_eq!(
                e.field.as_deref(),
                Some("email"),
                "{bad:?} should be refused"
            );
        }
    }
}
