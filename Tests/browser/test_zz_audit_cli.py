"""`ecaf audit` against the database the journeys just wrote, with the keys the server was
given (conftest): sealed and intact, then broken once a sealed event is altered behind the
application's back (its append-only trigger dropped first), and a checkpoint taken before
the log was cut short shows the cut. Runs last (file name) so it tampers with nothing
another journey reads."""
import json
import os
import sqlite3
import subprocess
import urllib.error
import urllib.request


def audit(*arguments):
    root = os.environ.get("ECAF_ROOT", os.getcwd())
    binary = os.environ.get("ECAF_BINARY", os.path.join(root, ".build/debug/ecaf"))
    env = dict(os.environ, ECAF_SQLITE_PATH=os.environ["ECAF_BROWSER_DB"])
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [binary, "audit", *arguments], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )


def test_audit_verify_finds_tampering(server, tmp_path):
    # Something audited, whatever ran before: a sign-in refused.
    request = urllib.request.Request(
        server + "/api/v1/auth/token", data=json.dumps({"email": "amy@demo.test", "password": "wrong"}).encode(),
        headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as refused:
        assert refused.code == 401
    sealed = audit("seal")
    assert sealed.returncode == 0, sealed.stdout + sealed.stderr
    intact = audit("verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "Audit log intact" in intact.stdout
    checkpoint = audit("checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    assert checkpoint.stdout.startswith("eCAF audit checkpoint v1\n")
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(checkpoint.stdout)
    extends = audit("verify", "--checkpoint", str(kept))
    assert extends.returncode == 0, extends.stdout + extends.stderr
    assert "extends the checkpoint" in extends.stdout

    with sqlite3.connect(os.environ["ECAF_BROWSER_DB"]) as db:
        sequence, position = db.execute(
            "SELECT e.sequence, l.position FROM audit_events e JOIN audit_leaves l ON l.event_id = e.id"
            " ORDER BY l.position LIMIT 1").fetchone()
        # eCAF cannot change an event; someone with the file lifts that first, as they could.
        try:
            db.execute("UPDATE audit_events SET detail = 'x' WHERE sequence = ?", (sequence,))
            raise AssertionError("an audit event was changed")
        except sqlite3.IntegrityError as refused:
            assert "append-only" in str(refused)
        db.execute("DROP TRIGGER audit_events_no_update")
        written = db.execute("SELECT actor_email FROM audit_events WHERE sequence = ?", (sequence,)).fetchone()[0]
        db.execute("UPDATE audit_events SET actor_email = 'someone@else.test' WHERE sequence = ?", (sequence,))
    broken = audit("verify")
    assert broken.returncode == 1
    assert f"event {sequence} (position {position}) was changed after it was sealed" in (broken.stdout + broken.stderr)

    with sqlite3.connect(os.environ["ECAF_BROWSER_DB"]) as db:
        # The newest batch cut away whole, and the edit put back: only the checkpoint shows it.
        db.execute("UPDATE audit_events SET actor_email = ? WHERE sequence = ?", (written, sequence))
        for table in ("audit_leaves", "audit_seals", "audit_events"):
            db.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        last = db.execute("SELECT MAX(batch) FROM audit_seals").fetchone()[0]
        db.execute("DELETE FROM audit_events WHERE id IN (SELECT event_id FROM audit_leaves WHERE batch = ?)", (last,))
        db.execute("DELETE FROM audit_leaves WHERE batch = ?", (last,))
        db.execute("DELETE FROM audit_seals WHERE batch = ?", (last,))
    cut = audit("verify", "--checkpoint", str(kept))
    assert cut.returncode == 1, cut.stdout + cut.stderr
    assert "sealed events were removed" in (cut.stdout + cut.stderr)
