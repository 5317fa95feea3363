//! The store is never lost or half-written, whatever runs beside a command or kills it:
//! writers beside restores, SIGKILL in the middle of each kind of work, store paths taken
//! as file names.

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

use crate::Store;

/// Writers (one `portfolio add` after another) run while restores run: each restore either
/// replaces the store whole, keeping the one it replaced aside, or is refused because a
/// writer has the store open; every acknowledged use case is in the live store or in a copy
/// a restore set aside, and the store passes `integrity_check` throughout.
#[test]
fn restores_beside_writers_lose_no_acknowledged_edit() {
    let s = Store::new();
    s.add("In the backup");
    let backup = s.dir.path().join("saved.db");
    s.ok(&["backup", backup.to_str().unwrap()]);
    let bin = assert_cmd::cargo::cargo_bin("portfolio");
    let db = s.dir.path().join("p.db");
    let acked = s.dir.path().join("acked.txt");
    let script = format!(
        "for i in $(seq 1 150); do \"{}\" --db \"{}\" --as ada@example.org add --title \"case $i\" >> \"{}\"; done",
        bin.display(),
        db.display(),
        acked.display()
    );
    let mut writers = std::process::Command::new("sh")
        .args(["-c", &script])
        .spawn()
        .unwrap();
    let (mut restored, mut refused) = (0, 0);
    for _ in 0..8 {
        std::thread::sleep(std::time::Duration::from_millis(120));
        let out = s
            .cmd(&["restore", backup.to_str().unwrap(), "--yes"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            restored += 1;
        } else {
            assert!(
                err.starts_with("error[store_busy]: "),
                "a restore either runs or is refused as busy: {err}"
            );
            refused += 1;
        }
    }
    writers.wait().unwrap();
    assert!(
        restored > 0,
        "some restores ran ({restored} ran, {refused} refused)"
    );
    let mut kept: std::collections::HashSet<String> = std::collections::HashSet::new();
    for e in std::fs::read_dir(s.dir.path()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name == "p.db" || (name.contains(".replaced-") && name.ends_with(".db")) {
            let rows = s.json(&["--db", p.to_str().unwrap(), "list", "--json"]);
            kept.extend(
                rows.as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["id"].as_str().unwrap().to_owned()),
            );
        }
    }
    let ids: Vec<String> = std::fs::read_to_string(&acked)
        .unwrap()
        .lines()
        .filter(|l| l.len() == 36)
        .map(str::to_owned)
        .collect();
    assert!(
        ids.len() > 20,
        "the writers got work done ({} acknowledged)",
        ids.len()
    );
    for id in &ids {
        assert!(
            kept.contains(id),
            "acknowledged use case {id} is in the store or a copy set aside"
        );
    }
    let check = std::process::Command::new("python3")
        .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
}

/// `--db` is a file name: `%20`, `?` and `#` are part of it, never a URL's escapes or
/// parameters; and after a command the `.db` file alone is the whole store.
#[test]
fn store_paths_are_file_names_and_the_file_alone_is_the_store() {
    let dir = TempDir::new().unwrap();
    let run = |db: &std::path::Path, args: &[&str]| {
        let out = Command::cargo_bin("portfolio")
            .unwrap()
            .env("PORTFOLIO_KEYRING", "off")
            .arg("--db")
            .arg(db)
            .args(["--as", "ada@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for name in ["pct%20x.db", "a?mode=ro", "imm?immutable=1", "frag#1.db"] {
        let db = dir.path().join(name);
        let said = run(&db, &["init"]);
        assert!(said.contains(name), "{said}");
        run(&db, &["add", "--title", name]);
        assert!(db.is_file(), "{name} is the file made");
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["a?mode=ro", "frag#1.db", "imm?immutable=1", "pct%20x.db"],
        "nothing else was made"
    );
    let rows: Value =
        serde_json::from_str(&run(&dir.path().join("pct%20x.db"), &["list", "--json"])).unwrap();
    assert_eq!(rows[0]["title"], "pct%20x.db", "each name is its own store");

    let demo = dir.path().join("demo.db");
    run(&demo, &["init"]);
    run(&demo, &["demo"]);
    let copy = dir.path().join("plain-copy.db");
    std::fs::copy(&demo, &copy).unwrap();
    let rows: Value = serde_json::from_str(&run(&copy, &["list", "--json"])).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        41,
        "a plain copy of the file has the whole demo"
    );
}

/// Kills the CLI with SIGKILL in the middle of writing, many times over; afterwards the
/// store passes `PRAGMA integrity_check` and every use case whose id was printed (the
/// write was acknowledged) is there.
#[test]
fn a_writer_killed_mid_write_loses_nothing_acknowledged() {
    let s = Store::new();
    let bin = assert_cmd::cargo::cargo_bin("portfolio");
    let db = s.dir.path().join("p.db");
    let acked = s.dir.path().join("acked.txt");
    for round in 0..12 {
        let script = format!(
            "for i in $(seq 1 200); do \"{}\" --db \"{}\" add --title \"round {round} case $i\" >> \"{}\" || exit 1; done",
            bin.display(),
            db.display(),
            acked.display()
        );
        let mut child = std::process::Command::new("setsid")
            .args(["sh", "-c", &script])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150 + (round * 37 % 200)));
        // Kill the whole group: the shell and the `portfolio` process mid-write.
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
        let _ = child.wait();
    }
    let ids: Vec<String> = std::fs::read_to_string(&acked)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .filter(|l| l.len() == 36)
        .collect();
    assert!(
        ids.len() > 12,
        "the writers got some work done ({} acknowledged)",
        ids.len()
    );
    let rows = s.json(&["list", "--json"]);
    let stored: std::collections::HashSet<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in &ids {
        assert!(
            stored.contains(id.as_str()),
            "acknowledged use case {id} survived the kill"
        );
    }
    let check = std::process::Command::new("python3")
        .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&check.stdout).trim(),
        "ok",
        "the store passes integrity_check"
    );
}

/// The 2025 federal inventory (3,611 use cases): a real file, long enough to import, export
/// and back up that a kill lands in the middle.
const OMB_CSV: &str = "../../../shared/data/omb-2025/2025_individually_reported_AI_use_cases.csv";

/// Kills per kind of work: each lands at another moment of it, from its start to its end.
const KILLS: u32 = 30;

/// The first value `sql` answers on the store file `db`, read by Python's sqlite3 (a reader
/// that is not ours, and leaves nothing beside the file).
fn sql(db: &std::path::Path, sql: &str) -> String {
    let out = std::process::Command::new("python3")
        .args(["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])"])
        .arg(db)
        .arg(sql)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// What `PRAGMA integrity_check` says of the store file `db`.
fn integrity(db: &std::path::Path) -> String {
    sql(db, "PRAGMA integrity_check")
}

/// How many use cases a copy of the store holds.
fn use_cases_in(copy: &std::path::Path) -> String {
    sql(copy, "SELECT COUNT(*) FROM use_cases")
}

/// How many use cases the store lists (opening it as the next start would).
fn listed(s: &Store) -> usize {
    s.json(&["list", "--json", "--limit", "100000"])
        .as_array()
        .unwrap()
        .len()
}

/// The names in `dir` other than the store's own files, sorted.
fn others_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !["p.db", "p.db.lock", "config"].contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

/// Runs `portfolio ARGS` to the end once, to learn how long it takes; then `KILLS` times
/// starts it and kills it with SIGKILL (as a crash or a power cut would) at moments spread
/// from its start to past its end, calling `after` with whether it had finished. Before
/// each run `before` puts the folder back as the work expects it.
fn kill_throughout(
    s: &Store,
    args: &[&str],
    mut before: impl FnMut(),
    mut after: impl FnMut(bool),
) -> std::time::Duration {
    before();
    let started = std::time::Instant::now();
    let out = s.process(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();
    eprintln!("{args:?} takes {whole:?} unkilled");
    after(true);
    for i in 0..KILLS {
        before();
        let mut child = s
            .process(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The last quarter or so lands after the end: timings vary from run to run.
        std::thread::sleep(whole.mul_f64(1.3 * f64::from(i) / f64::from(KILLS)));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        after(finished && status.success());
    }
    whole
}

/// Puts the store file `db` back to the copy `saved` (its write-ahead log from a killed run
/// removed first, as it belongs to the store it replaces).
fn put_back(saved: &std::path::Path, db: &std::path::Path) {
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", db.display()));
    }
    std::fs::copy(saved, db).unwrap();
}

/// An import killed at any moment writes all its rows or none, and the store stays sound.
#[test]
fn an_import_killed_at_any_moment_writes_all_or_nothing() {
    let s = Store::new();
    let db = s.dir.path().join("p.db");
    s.add("Here before");
    let saved = s.dir.path().parent().unwrap().join(format!(
        "{}-saved.db",
        s.dir.path().file_name().unwrap().to_string_lossy()
    ));
    std::fs::copy(&db, &saved).unwrap();
    let (mut whole, mut none) = (0, 0);
    kill_throughout(
        &s,
        &["import", OMB_CSV, "--preset", "omb-2025"],
        || put_back(&saved, &db),
        |finished| {
            assert_eq!(integrity(&db), "ok", "the store passes integrity_check");
            match listed(&s) {
                3612 => whole += 1,
                1 => {
                    assert!(!finished, "an import that exited 0 wrote its rows");
                    none += 1;
                }
                n => panic!("the import wrote all of its 3,611 rows or none (the store holds {n})"),
            }
            assert_eq!(
                others_in(s.dir.path()),
                Vec::<String>::new(),
                "nothing left over"
            );
        },
    );
    std::fs::remove_file(&saved).unwrap();
    // On a loaded machine the late kills may all land before the commit too.
    assert!(
        none >= 2,
        "kills landed before the commit ({whole} whole, {none} none)"
    );
}

/// A store holding the 3,611 federal use cases, for work long enough to be killed half way.
fn federal_store() -> Store {
    let s = Store::new();
    s.ok(&["import", OMB_CSV, "--preset", "omb-2025"]);
    s
}

/// Whether `file` is a whole workbook: a ZIP archive whose every member reads back.
fn whole_workbook(file: &std::path::Path) -> bool {
    std::process::Command::new("python3")
        .args([
            "-c",
            "import zipfile,sys; sys.exit(zipfile.ZipFile(sys.argv[1]).testzip() is not None)",
        ])
        .arg(file)
        .status()
        .unwrap()
        .success()
}

/// An export killed at any moment leaves either the whole pack under its name or nothing
/// there, and the next export clears what the killed one left.
#[test]
fn an_export_killed_at_any_moment_leaves_the_whole_pack_or_none() {
    let s = federal_store();
    let out = s.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let pack = out.join("pack.xlsx");
    let mut whole = 0u32;
    kill_throughout(
        &s,
        &["export", "--out", pack.to_str().unwrap()],
        || {
            let _ = std::fs::remove_file(&pack);
        },
        |finished| {
            if pack.exists() {
                assert!(whole_workbook(&pack), "a pack under its name is whole");
                whole += 1;
            } else {
                assert!(!finished, "an export that exited 0 wrote its pack");
            }
        },
    );
    assert!(
        KILLS + 1 - whole >= 2,
        "kills landed before the pack was written ({whole} whole)"
    );
    s.ok(&["export", "--out", out.join("next.csv").to_str().unwrap()]);
    let left = others_in(&out);
    assert!(
        left.contains(&"next.csv".to_owned())
            && left.iter().all(|n| n == "next.csv" || n == "pack.xlsx"),
        "the next export cleared what killed ones left: {left:?}"
    );
    assert_eq!(integrity(&s.dir.path().join("p.db")), "ok");
}

/// A backup killed at any moment leaves either a whole, sound copy under its name or
/// nothing there (so the same name can be used again), and the next backup clears what the
/// killed one left.
#[test]
fn a_backup_killed_at_any_moment_leaves_a_whole_copy_or_none() {
    let s = federal_store();
    let db = s.dir.path().join("p.db");
    let out = s.dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let copy = out.join("copy.db");
    let mut whole = 0u32;
    kill_throughout(
        &s,
        &["backup", copy.to_str().unwrap()],
        || {
            let _ = std::fs::remove_file(&copy);
        },
        |finished| {
            if copy.exists() {
                assert_eq!(integrity(&copy), "ok", "a backup under its name is sound");
                assert_eq!(use_cases_in(&copy), "3611", "and whole");
                whole += 1;
            } else {
                assert!(!finished, "a backup that exited 0 wrote its copy");
            }
            assert_eq!(integrity(&db), "ok", "the store passes integrity_check");
        },
    );
    assert!(
        KILLS + 1 - whole >= 2,
        "kills landed before the copy was written ({whole} whole)"
    );
    s.ok(&["backup", out.join("next.db").to_str().unwrap()]);
    let left = others_in(&out);
    assert!(
        left.contains(&"next.db".to_owned())
            && left.iter().all(|n| n == "next.db" || n == "copy.db"),
        "the next backup cleared what killed ones left: {left:?}"
    );
}

/// A restore killed at any moment leaves the store sound, either as it was or as the
/// backup has it, and what it replaced is kept whole aside; the next start clears what the
/// killed restore left.
#[test]
fn a_restore_killed_at_any_moment_loses_nothing() {
    let s = federal_store();
    let db = s.dir.path().join("p.db");
    let backup = s.dir.path().parent().unwrap().join(format!(
        "{}-backup.db",
        s.dir.path().file_name().unwrap().to_string_lossy()
    ));
    s.ok(&["backup", backup.to_str().unwrap()]);
    s.add("Only in the live store");
    let mut restored = 0u32;
    kill_throughout(
        &s,
        &["restore", backup.to_str().unwrap(), "--yes"],
        || {
            // Each restore starts from a store that holds the live use case again.
            if s.json(&["list", "--json", "--search", "Only in the live store"])
                .as_array()
                .unwrap()
                .is_empty()
            {
                s.add("Only in the live store");
            }
        },
        |finished| {
            assert_eq!(integrity(&db), "ok", "the store passes integrity_check");
            let n = listed(&s);
            assert!(
                n == 3611 || n == 3612,
                "the store is as it was or as the backup has it ({n})"
            );
            if n == 3611 {
                restored += 1;
            } else {
                assert!(!finished, "a restore that exited 0 replaced the store");
            }
            // Everything but the copies set aside, each of them whole.
            for name in others_in(s.dir.path()) {
                assert!(
                    name.starts_with("p.replaced-") && name.ends_with(".db"),
                    "nothing left over but the copies set aside: {name}"
                );
                let aside = s.dir.path().join(&name);
                assert_eq!(integrity(&aside), "ok", "{name} is sound");
                assert_eq!(
                    use_cases_in(&aside),
                    "3612",
                    "{name} is the whole store it replaced"
                );
                std::fs::remove_file(&aside).unwrap();
            }
        },
    );
    std::fs::remove_file(&backup).unwrap();
    assert!(
        KILLS + 1 - restored >= 2,
        "kills landed before the restore replaced the store ({restored} restored)"
    );
}
