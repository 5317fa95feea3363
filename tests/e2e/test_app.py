"""A person's first session in the real app: say who they are, capture a use case, score it,
give it a business owner, move it to Assessment; then the CLI on the same store agrees."""
import os
import subprocess
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

VALUE = ["strategic-fit", "business-impact", "reach", "urgency"]
FEASIBILITY = ["data-readiness", "technical-complexity", "skills-capacity", "integration-effort", "risk-compliance"]


def test_capture_score_own_and_move_a_use_case(app):
    # First run: the app asks once who is using it.
    app.sign_in()
    app.wait_text("Your portfolio is empty")

    # Capture: a missing title is refused beside the field and what was typed stays.
    app.click("#new-use-case")
    app.type("#field-problem", "Invoices are keyed in by hand, 40 hours a week")
    app.press("Save")
    app.wait_text("needs a title")
    assert app.find("#field-problem").get_attribute("value") == "Invoices are keyed in by hand, 40 hours a week"
    app.type("#field-title", "-20% invoice effort")
    app.type("#field-business_unit", "Finance")
    app.press("Save")
    app.wait.until(lambda d: app.button("Scoring"))

    # Score every criterion: value 4s, feasibility 3s.
    app.press("Scoring")
    for slug in VALUE:
        app.click(f'[data-testid="score-{slug}-4"]')
        app.wait.until(lambda d: app.find(f'[data-testid="score-{slug}-4"]').get_attribute("aria-checked") == "true")
    for slug in FEASIBILITY:
        app.click(f'[data-testid="score-{slug}-3"]')
        app.wait.until(lambda d: app.find(f'[data-testid="score-{slug}-3"]').get_attribute("aria-checked") == "true")
    # value: every criterion at 4 → 75.0; feasibility at 3 → 50.0; quick win.
    app.wait.until(lambda d: app.find('[data-testid="value-score"]').text == "75.0")
    assert app.find('[data-testid="feasibility-score"]').text == "50.0"

    # The gate says what is missing before the move: a business owner.
    app.press("Stage & gates")
    blocked = app.find('[data-testid="option-assessment"]')
    assert "business owner" in blocked.text

    # Owners: a new person, added on the spot.
    app.press("Owners")
    app.type('[data-testid="owner-business-email"]', "bea@example.org")
    app.type('[data-testid="owner-business-name"]', "Bea Smith")
    app.click('[data-testid="owner-business-assign"]')
    app.wait.until(lambda d: "Bea Smith" in app.find('[data-testid="owner-business-current"]').text)

    app.press("Stage & gates")
    app.click('[data-testid="move-assessment"]')
    app.wait.until(lambda d: app.find('[data-testid="option-proof-of-concept"]'))
    app.find("body").send_keys(Keys.ESCAPE)

    # The CLI reads the same store and sees what the person did.
    rows = app.cli("list", "--json")
    assert [r["title"] for r in rows] == ["-20% invoice effort"]
    uc = app.cli("show", rows[0]["id"], "--json")
    assert uc["stage"] == "assessment"
    assert uc["owners"]["business"] == "bea@example.org"
    assert (uc["value_score"], uc["feasibility_score"], uc["quadrant"]) == (75.0, 50.0, "quick-win")
    assert uc["business_unit"] == "Finance"
    history = app.cli("history", rows[0]["id"], "--json")
    assert all(h["actor"] == "ada@example.org" for h in history), "the first-run identity is the actor"
    assert history[-1]["kind"] == "stage" and history[-1]["new"] == "assessment"


def test_demo_portfolio_loads_and_filters(app):
    app.load_demo()
    app.type("#search", "invoice")
    titles = app.cli("list", "--search", "invoice", "--json")
    assert titles, "the demo has invoice use cases"
    expected = sorted(t["title"] for t in titles)
    app.wait.until(lambda d: sorted(e.get_attribute("title") or e.text for e in d.find_elements(By.CSS_SELECTOR, ".cell-title")) == expected,
                   "the table shows exactly what the engine's search returns")


def test_export_the_filtered_view_and_read_the_pack_back(app, tmp_path):
    import openpyxl

    app.load_demo()
    app.type("#search", "invoice")
    expected = sorted(r["title"] for r in app.cli("list", "--search", "invoice", "--json"))
    app.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".cell-title")) == len(expected))

    app.press("Export…")
    app.wait.until(lambda d: "use case" in app.find('label[for="export-view"]').text)
    app.click("#export-view")
    # From the keyboard, as a person tabbing through the dialog would.
    app.find("dialog button.primary").send_keys(Keys.ENTER)
    app.wait_text("Exported")
    app.find("body").send_keys(Keys.ESCAPE)
    pack = tmp_path / "export.xlsx"
    wb = openpyxl.load_workbook(pack, read_only=True)
    titles = sorted(r[0] for r in wb["Portfolio"].iter_rows(min_row=2, values_only=True))
    assert titles == expected
    cover = {r[0]: r[1] for r in wb["Cover"].iter_rows(values_only=True) if r and r[0]}
    assert "invoice" in cover["Filters"] and cover["By"] == "Ada Lovelace <ada@example.org>"


def test_matrix_shows_the_scored_use_cases_and_the_pipeline_moves_a_card(app):
    app.load_demo()

    # The matrix: every scored use case is a bubble on a drawn chart; its table opens one.
    scored = [r for r in app.cli("list", "--json") if r["priority"] is not None]
    app.press("Matrix")
    app.wait_text(f"{len(scored)} use cases on the matrix")
    app.find(".matrix-chart canvas, .matrix-chart svg")
    # Saved as PNG where the (seamed) save dialog says: a real image, drawn at twice the size.
    app.press("Save as PNG")
    app.wait_text("Saved")
    png = (app.db.parent / "export.xlsx").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width > 1000, f"a {width}-pixel-wide chart"
    app.press("Show as table")
    app.press(scored[0]["title"])
    app.wait.until(lambda d: app.find(".side-panel .panel-title h2").text == scored[0]["title"])
    app.find("body").send_keys(Keys.ESCAPE)

    app.press("Pipeline")

    # An idea without a business owner: its gate says so and the move is not offered.
    ideas = app.cli("list", "--stage", "idea", "--json")
    blocked = next(r for r in ideas if r["owners"]["business"] is None)
    app.press(f"Move “{blocked['title']}”")
    app.wait_text("a business owner")
    assert not app.button("Move to Assessment").is_enabled()
    app.press("Cancel")

    # A pilot goes to production (no gate there), from the keyboard as the e2e driver's
    # clicks can land mid-layout in dialogs.
    pilot = next(r for r in app.cli("list", "--stage", "pilot", "--json") if r["title"] == "HR policy chatbot for colleagues")
    app.press(f"Move “{pilot['title']}”")
    app.button("Move to Production").send_keys(Keys.ENTER)
    app.wait_text(f"Moved “{pilot['title']}” to Production.")
    assert app.cli("show", pilot["id"], "--json")["stage"] == "production"

    # Backward needs a reason, recorded with the move.
    app.press(f"Move “{pilot['title']}”")
    app.button("Move to Pilot").send_keys(Keys.ENTER)
    app.type("textarea", "Rollout paused for the works council")
    app.button("Move to Pilot").send_keys(Keys.ENTER)
    app.wait_text(f"Moved “{pilot['title']}” to Pilot.")
    last = app.cli("history", pilot["id"], "--json")[-1]
    assert (last["kind"], last["new"], last["note"]) == ("stage", "pilot", "Rollout paused for the works council")


def test_map_a_pattern_set_its_controls_and_complete_a_triage(app):
    app.sign_in()
    app.click("#new-use-case")
    app.type("#field-title", "Policy answers for contact centre agents")
    app.press("Save")
    app.wait.until(lambda d: app.button("Patterns & controls"))
    uc = app.cli("list", "--json")[0]

    # Map the RAG pattern as primary: its controls are inherited, all open.
    app.press("Patterns & controls")
    Select(app.find("select#pattern-add")).select_by_value("rag-knowledge-assistant")
    app.button("Add pattern").send_keys(Keys.ENTER)
    app.wait_text("Grounding check")
    controls = app.cli("controls", uc["id"], "--json")
    assert controls[0]["slug"] == "data-leakage-check" and all(c["status"] == "open" for c in controls)

    # One control in place, from its radio group.
    app.find('[role="radiogroup"][aria-label="Status of Grounding check"] [data-state="in-place"]').send_keys(Keys.ENTER)
    app.wait.until(lambda d: next(c for c in app.cli("controls", uc["id"], "--json") if c["slug"] == "grounding-check")["status"] == "in-place")

    # Complete a triage: an assistant people talk to, nothing high-risk: limited.
    app.press("Risk triage")
    form = app.find('form[aria-label="Risk triage questions"]')
    rules = app.cli("triage", uc["id"], "--json")["rule_set"]
    for q in rules["questions"]:
        if q["effect"] in ("exception", "profiling"):
            continue  # asked only once an Annex III area applies
        yes, no = form.find_elements(By.CSS_SELECTOR, f'input[type=radio][name="triage-{q["id"]}"]')
        # A click in a long scrolling form can land mid-layout; the radio's own click cannot.
        app.d.execute_script("arguments[0].click()", yes if q["id"] == "interacts-with-people" else no)
    app.button("Save triage").send_keys(Keys.ENTER)
    app.wait_text("Triage saved")
    triage = app.cli("triage", uc["id"], "--json")["triage"]
    assert triage["outcome"]["tier"] == "limited", triage["outcome"]
    assert any("Art. 50(1)" in r for r in triage["outcome"]["reasons"])


def test_syncs_with_a_registry_and_settles_a_conflict_with_another_desktop(app, tmp_path):
    import os

    from conftest import CLI, REGISTRY

    db = f"sqlite://{tmp_path / 'registry.db'}"

    def token(user):
        out = subprocess.run([REGISTRY, "--database-url", db, "token", "create", "--user", user, "--role", "portfolio-lead"],
                             check=True, capture_output=True, text=True)
        return out.stdout.strip()

    ada, bob = token("ada@example.org"), token("bob@example.org")
    server = subprocess.Popen([REGISTRY, "--database-url", db, "serve", "--listen", "127.0.0.1:0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = server.stdout.readline().strip().removeprefix("listening on ")
    bob_db = tmp_path / "bob.db"

    def bob_cli(*args):
        env = dict(os.environ, PORTFOLIO_TOKEN=bob, PORTFOLIO_KEYRING="off", PORTFOLIO_CONFIG_DIR=str(tmp_path / "bob"))
        return subprocess.run([CLI, "--db", bob_db, *args], check=True, capture_output=True, text=True, env=env).stdout

    try:
        app.sign_in()
        uc = app.cli("add", "--title", "Claims triage").strip()
        app.press("Sync")
        app.type("#sync-registry", url)
        app.type("#sync-token", ada)
        app.press("Connect")
        app.wait_text("as ada@example.org")
        assert app.cli("sync", "--status", "--json")["pending"] == 0

        # Bob, on another desktop, gets it, and both rename it at once.
        bob_cli("init", "--name", "Bob", "--email", "bob@example.org")
        bob_cli("sync", "--registry", url)
        assert "Claims triage" in bob_cli("list")
        bob_cli("set", uc, "title", "Claims triage (Bob)")
        app.cli("set", uc, "title", "Claims triage (Ada)")
        bob_cli("sync")
        app.press("Sync now")
        card = app.find('li.sync-conflict')
        assert "Claims triage (Bob)" in card.text and "Claims triage (Ada)" in card.text
        app.wait.until(lambda d: "1 conflict" in app.find('[role="status"]').text)
        app.d.save_screenshot(str(tmp_path / "sync-conflict.png"))

        # Ada keeps hers; the next syncs settle it on Bob's desktop too.
        app.press("Keep mine")
        app.wait_text("next sync")
        app.press("Sync now")
        app.wait.until(lambda d: not d.find_elements("css selector", "li.sync-conflict"))
        bob_cli("sync")
        assert "Claims triage (Ada)" in bob_cli("list")
        assert "no open conflicts" in bob_cli("conflicts")

        # Bob adds a pattern with a control of his own: it reaches Ada's catalogue, named.
        def pattern(name):
            return ["claims-routing", "--name", name, "--component", "Classifier", "--control", "human-review=Human review"]
        bob_cli("pattern", "add", *pattern("Claims routing"))
        bob_cli("sync")
        app.press("Sync now")
        app.wait_text("Pushed 0, pulled 1.")
        app.press("Patterns")
        app.wait_text("Claims routing")
        assert "Human review" in app.text()

        # Both rename it at once: one conflict about the whole pattern, shown by name.
        bob_cli("pattern", "edit", *pattern("Claims routing (Bob)"))
        app.cli("pattern", "edit", *pattern("Claims routing (Ada)"))
        bob_cli("sync")
        app.press("Sync")
        app.press("Sync now")
        app.wait.until(lambda d: "Claims routing (Bob) · 1 component · controls: Human review" in app.find('li.sync-conflict').text)
        app.d.save_screenshot(str(tmp_path / "sync-pattern-conflict.png"))
        app.press("Take theirs")
        app.wait_text("next sync")
        app.press("Sync now")
        app.wait.until(lambda d: not d.find_elements("css selector", "li.sync-conflict"))
        bob_cli("sync")
        assert "no open conflicts" in bob_cli("conflicts")
        assert "Claims routing (Bob)" in app.cli("patterns")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_cli_restore_while_the_app_runs_is_refused_and_the_apps_own_restore_works(app, tmp_path):
    """The app holds its store open: a `portfolio restore` beside it is refused, naming the
    app; the app's own Restore… closes the store, replaces it and opens it again."""

    app.load_demo()
    backup = tmp_path / "export.xlsx"  # the dialog seam answers every dialog with this path
    app.press("Settings")
    app.press("Back up…")
    app.wait_text("Backed up")
    from conftest import CLI

    out = subprocess.run([str(CLI), "--db", str(app.db), "restore", str(backup), "--yes"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr
    assert out.stderr.startswith("error[store_busy]: "), out.stderr
    assert "ai-factory-portfolio (pid" in out.stderr, out.stderr

    app.press("Restore…")
    app.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "dialog button.danger"), "the restore is asked about first")
    app.d.find_element(By.CSS_SELECTOR, "dialog button.danger").click()
    app.wait_text("Restored. The portfolio it replaced is kept at")
    assert len(app.cli("list", "--json")) == 41, "the restored store is the backed-up portfolio"


def holders(path):
    """The processes that have `path` open, from /proc."""
    pids = set()
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                if os.readlink(fd) == str(path):
                    pids.add(int(fd_dir.parent.name))
        except OSError:
            continue  # gone, or not ours to read
    return pids


def test_a_second_launch_on_the_same_store_hands_over_to_the_first_and_exits(app, tmp_path):
    """A second launch on the store that is open hands over to the first window and exits,
    never opening the store; a launch on another store opens a window of its own. The log
    says what happened."""
    from conftest import APP, stop

    assert os.environ.get("DBUS_SESSION_BUS_ADDRESS"), "run under dbus-run-session, as scripts/test.sh does"
    app.sign_in()
    first = holders(app.db)
    assert len(first) == 1, f"the app alone has the store open: {first}"
    second = subprocess.run([str(APP)], env=app.env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert holders(app.db) == first, "no second process keeps the store open"
    log = tmp_path / "data" / "com.aifactory.portfolio" / "logs" / "portfolio.log"
    text = log.read_text()
    assert f"started on the store {app.db}" in text, text
    assert "a second launch on this store handed over to this window" in text, text

    other = tmp_path / "other.db"
    another = subprocess.Popen([str(APP), "--db", str(other)], env=app.env, start_new_session=True)
    try:
        end = time.time() + 30
        while time.time() < end and not holders(other):
            assert another.poll() is None, "a launch on another store keeps running"
            time.sleep(0.2)
        assert holders(other) == {another.pid}, "it opened the other store in a window of its own"
    finally:
        stop(another)


def test_asked_to_stop_the_app_closes_cleanly_and_remembers_its_window(app, tmp_path):
    """SIGTERM (as at log-out) closes the app as its close button would: the store folded
    into its one file and let go of, the window's size kept for the next launch."""
    import json
    import signal

    app.sign_in()
    app.d.set_window_size(1234, 777)
    time.sleep(0.5)  # the window hears of its new size
    (pid,) = holders(app.db)
    os.kill(pid, signal.SIGTERM)
    end = time.time() + 20
    while time.time() < end and holders(app.db):
        time.sleep(0.2)
    assert not holders(app.db), "the app let go of the store"
    assert not Path(f"{app.db}-wal").exists(), "the store is its one file"
    state = json.loads((tmp_path / "os-config" / "com.aifactory.portfolio" / ".window-state.json").read_text())
    assert (state["main"]["width"], state["main"]["height"]) == (1234, 777), state
    log = (tmp_path / "data" / "com.aifactory.portfolio" / "logs" / "portfolio.log").read_text()
    assert "asked to stop (SIGTERM)" in log and log.rstrip().endswith("closed"), log
