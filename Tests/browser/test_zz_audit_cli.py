"""`ecaf audit verify` against the database the journeys just wrote: intact, then broken
once a row is altered behind the application's back (its append-only trigger dropped first). Runs last (file name) so it tampers
with nothing another journey reads."""
import os
import sqlite3
import subprocess


def verify(server):
    root = os.environ.get("ECAF_ROOT", os.getcwd())
    binary = os.environ.get("ECAF_BINARY", os.path.join(root, ".build/debug/ecaf"))
    env = dict(os.environ, ECAF_SQLITE_PATH=os.environ["ECAF_BROWSER_DB"])
    env.pop("DATABASE_URL", None)
    return subprocess.run([binary, "audit", "verify"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def test_audit_verify_finds_tampering(server):
    intact = verify(server)
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "Audit chain intact" in intact.stdout

    with sqlite3.connect(os.environ["ECAF_BROWSER_DB"]) as db:
        # eCAF cannot change an event; someone with the file lifts that first, as they could.
        try:
            db.execute("UPDATE audit_events SET detail = 'x' WHERE sequence = 2")
            raise AssertionError("an audit event was changed")
        except sqlite3.IntegrityError as refused:
            assert "append-only" in str(refused)
        db.execute("DROP TRIGGER audit_events_no_update")
        db.execute("UPDATE audit_events SET detail = detail || ' (edited)' WHERE sequence = 2")
    broken = verify(server)
    assert broken.returncode == 1
    assert "broken at event 2" in (broken.stdout + broken.stderr)
