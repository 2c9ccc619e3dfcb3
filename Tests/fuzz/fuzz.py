"""Fuzzes the real `ecaf` binary with schemathesis against its own OpenAPI document.

Starts `ecaf serve --demo` on a temporary SQLite file, sets up records through the API so
that every operation can succeed (a child with a CAF, a completed assessment, a held
meeting, a step-up referral, an access request, ...), then runs schemathesis with a fixed
seed, each operation as a persona who may use it (hooks.py). Fails on any 5xx, any answer
the document does not describe (status, content type, headers, body), any invalid request
the server accepts, a method it answers that it should refuse, and on any operation that
never once answered 2xx: a run that sees only refusals proves nothing.

    python3 Tests/fuzz/fuzz.py [--max-examples N] [--seed S]
"""
import argparse
import collections
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.environ.get("ECAF_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
PASSWORD = "fuzz-demo-password"
CONSENT = {"consent": {"givenBy": "parent", "name": "Sue Fuzz", "relationship": "Mother", "method": "written",
                       "scope": {"store": True, "shareWithAgencyTypes": ["health", "education", "police", "youth-justice"]}}}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class API:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None, body=None, headers=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{method} {path} → {error.code}: {error.read()[:400]!r}") from None

    def save_assessment(self, episode, token, body):
        """A save as a client makes it: on the revisions it has just read (If-Match)."""
        path = f"/api/v1/episodes/{episode}/assessment"
        return self.call("PUT", path, token, body, {"If-Match": etag(self.base, path, token)})

    def token(self, email):
        return self.call("POST", "/api/v1/auth/token", body={"email": email, "password": PASSWORD})["token"]


def etag(base, path, token, item=None, entries="actions", within=None):
    """The ETag of what `path` reads now, for If-Match; with `item`, the version of the entry
    with that id in its list `entries` (an action of the plan, a meeting of the team); with
    `within`, the version of that part of it (a child's whereabouts)."""
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        if item is None and within is None:
            return response.headers["ETag"]
        read = json.loads(response.read())
        if within is not None:
            return '"%d"' % read[within]["version"]
        return '"%d"' % next(entry["version"] for entry in read[entries] if entry["id"].lower() == item.lower())


def start(data):
    port = free_port()
    # The fuzzer is one person sending thousands of requests: the hourly allowance that would
    # stop such a person (RequestAllowance) is raised, since volume is not what it tests.
    env = dict(os.environ, ECAF_SQLITE_PATH=os.path.join(data, "ecaf.sqlite"), ECAF_DEMO_PASSWORD=PASSWORD,
               ECAF_REQUEST_ALERT="1000000", ECAF_REQUEST_LIMIT="1000000")
    env.pop("DATABASE_URL", None)
    log = open(os.path.join(data, "server.log"), "w")
    binary = os.environ.get("ECAF_BINARY", os.path.join(ROOT, ".build/debug/ecaf"))
    process = subprocess.Popen([binary, "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/health", timeout=1)
            return process, base
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError("ecaf did not start: " + open(log.name).read())
            time.sleep(0.2)


def fixtures(api, document):
    """Records for every operation to succeed on, and who calls it."""
    personas = ["amy", "ben", "carla", "dan", "erin", "fay", "gil", "gus", "nat", "sid"]
    tokens = {name: api.token(f"{name}@demo.test") for name in personas}
    tokens["leaving"] = api.token("mia@demo.test")  # signed out by DELETE /api/v1/auth/token
    amy, erin, gus, dan, fay = (tokens[n] for n in ["amy", "erin", "gus", "dan", "fay"])
    today = datetime.date.today()
    codes = document["components"]["schemas"]["ElementAssessment"]["properties"]["code"]["enum"]

    def child(name, born="2015-06-01", **extra):
        body = {"givenName": name, "familyName": "Fuzz", "notADuplicate": True, **extra}
        if born:
            body["dateOfBirth"] = born
        return api.call("POST", "/api/v1/children", amy, body)["id"]

    def episode(name):
        return api.call("POST", f"/api/v1/children/{child(name)}/episodes", amy, CONSENT)["id"]

    complete = {
        "identifying": {"ethnicity": "Not given", "childFirstLanguage": "English"},
        "parents": [{"name": "Sue Fuzz", "relationship": "Mother", "parentalResponsibility": True}],
        "assessor": {"name": "Amy Clarke", "organisation": "Riverside Primary School"},
        "reasonForAssessment": "Attendance has fallen.",
        "elements": [{"code": code, "strengths": "", "needs": "", "level": 2} for code in codes],
    }

    ada = child("Ada")
    main = api.call("POST", f"/api/v1/children/{ada}/episodes", amy, CONSENT)["id"]
    api.call("POST", f"/api/v1/episodes/{main}/shares", amy, {"practitionerEmail": "ben@demo.test"})
    led = episode("Lee")  # no lead yet, and ben on the team to take it
    api.call("POST", f"/api/v1/episodes/{led}/shares", amy, {"practitionerEmail": "ben@demo.test"})
    to_complete = episode("Bea")
    api.save_assessment(to_complete, amy, complete)
    completed = episode("Cal")
    api.save_assessment(completed, amy, complete)
    api.call("POST", f"/api/v1/episodes/{completed}/assessment/complete", amy)
    # Held yesterday: attendance is recorded only for a meeting that has taken place.
    meeting = api.call("POST", f"/api/v1/episodes/{main}/meetings", amy,
                       {"scheduledAt": f"{(today - datetime.timedelta(days=1)).isoformat()}T09:00:00Z", "place": "School"})
    attendance = [{"invitationId": i["id"], "attendance": "attended"} for i in meeting["invitations"]]
    action = api.call("POST", f"/api/v1/episodes/{main}/actions", amy,
                      {"description": "Breakfast club", "elementCodes": [codes[0]], "ownerAgency": "School", "dueOn": today.isoformat()})["id"]
    call = api.call("POST", f"/api/v1/children/{ada}/safeguarding-calls", amy,
                    {"spokeTo": "Duty social worker", "advice": "continue-caf", "adviceNote": "Carry on."})["id"]
    reopened = episode("Rex")
    api.call("POST", f"/api/v1/episodes/{reopened}/close", amy, {"reason": "needs-met"})
    stepped_up = episode("Sid")
    api.call("POST", f"/api/v1/episodes/{stepped_up}/close", amy, {"reason": "step-up", "note": "Harm feared."})
    referral = next(r["id"] for r in api.call("GET", "/api/v1/referrals", gus)["referrals"] if r["episodeId"] == stepped_up)
    request = api.call("POST", f"/api/v1/episodes/{main}/access-requests", dan, {"reason": "I see him weekly."})["id"]
    grant = api.call("POST", f"/api/v1/episodes/{main}/break-glass", dan, {"reason": "Found alone at night."})["id"]
    shielded = child("Sky")
    api.call("PUT", f"/api/v1/children/{shielded}/shield", erin, {"shielded": True, "reason": "Court order in place."})
    override = api.call("POST", f"/api/v1/children/{shielded}/shield-overrides", tokens["sid"],
                        {"reason": "Missing from school today."})["id"]
    unborn = child("", born=None, expectedDeliveryDate=(today + datetime.timedelta(days=30)).isoformat())
    kept, duplicate = child("Max"), child("Max")
    accounts = api.call("GET", "/api/v1/admin/accounts", fay)
    organisation = accounts["organisations"][0]["id"]
    account = api.call("POST", "/api/v1/admin/practitioners", fay,
                       {"email": "zed@demo.test", "name": "Zed Fuzz", "roles": ["practitioner"],
                        "organisationId": organisation})["id"]

    promoted = api.call("POST", "/api/v1/admin/practitioners", fay,
                        {"email": "yan@demo.test", "name": "Yan Fuzz", "roles": ["coordinator"],
                         "organisationId": organisation})["id"]
    role_grant = next(g["id"] for g in api.call("GET", "/api/v1/admin/role-grants", fay)["grants"]
                      if g["practitionerId"] == promoted)

    # Two sensitive services on Ada's record, which health discloses to amy (on her team): the
    # first by the fuzzed call, the second beforehand, to be withdrawn.
    ben = tokens["ben"]
    def clinic_record(service):
        return api.call("POST", f"/api/v1/children/{ada}/involvements", ben,
                        {"service": service, "role": "Advice", "practitionerName": "Dr Rao",
                         "startedOn": today.isoformat(), "sensitive": "sexual-health"})["id"]
    clinic, second_clinic = clinic_record("Sexual health clinic"), clinic_record("Sexual health outreach")
    amy_id = api.call("GET", "/api/v1/me", amy)["id"]
    withdrawable = api.call("POST", f"/api/v1/involvements/{second_clinic}/disclosures", ben,
                            {"practitionerId": amy_id, "agreedBy": "young-person"})["id"]

    # A correction to Ada's name from off her team, for the coordinator to decide.
    proposal = api.call("POST", f"/api/v1/children/{ada}/names", tokens["carla"],
                        {"kind": "known-as", "givenName": "Addie", "familyName": "Fuzz",
                         "reason": "Known as Addie at the club."})["id"]

    operations = {
        "POST /api/v1/auth/token": {"body": {"email": "mia@demo.test", "password": PASSWORD}},
        "DELETE /api/v1/auth/token": {"persona": "leaving"},
        "GET /api/v1/children/{id}": {"path": {"id": ada}},
        "PUT /api/v1/children/{id}/whereabouts": {"path": {"id": ada}, "etag": f"/api/v1/children/{ada}",
                                                  "within": "whereabouts"},
        "POST /api/v1/children/{id}/involvements": {"path": {"id": ada}},
        "GET /api/v1/involvements/{id}/disclosures": {"persona": "ben", "path": {"id": clinic}},
        "POST /api/v1/involvements/{id}/disclosures": {"persona": "ben", "path": {"id": clinic},
                                                       "body": {"practitionerId": amy_id, "agreedBy": "young-person"}},
        "DELETE /api/v1/involvement-disclosures/{id}": {"persona": "ben", "path": {"id": withdrawable}},
        "PUT /api/v1/children/{id}/shield": {"persona": "erin", "path": {"id": child("Sal")}},
        "POST /api/v1/children/{id}/shield-overrides": {"persona": "sid", "path": {"id": shielded}},
        "GET /api/v1/shield-overrides": {"persona": "erin"},
        "POST /api/v1/shield-overrides/{id}/review": {"persona": "erin", "path": {"id": override}},
        "POST /api/v1/children/{id}/birth": {"path": {"id": unborn}, "body": {"dateOfBirth": today.isoformat()}},
        "POST /api/v1/children/{id}/merge": {"persona": "erin", "path": {"id": kept}, "body": {"duplicateId": duplicate}},
        "POST /api/v1/children/{id}/names": {"path": {"id": ada}},
        "GET /api/v1/name-proposals": {"persona": "erin"},
        "POST /api/v1/children/{id}/decisions-not-to-share": {"path": {"id": ada}},
        "GET /api/v1/decisions-not-to-share": {"persona": "erin"},
        "POST /api/v1/name-proposals/{id}/decision": {"persona": "erin", "path": {"id": proposal},
                                                      "body": {"decision": "accepted"}},
        "POST /api/v1/children/{id}/episodes": {"path": {"id": child("Ola")}},
        "POST /api/v1/children/{id}/pre-assessments": {"path": {"id": ada}},
        "POST /api/v1/children/{id}/safeguarding-calls": {"path": {"id": ada}},
        "GET /api/v1/safeguarding-calls/{id}": {"path": {"id": call}},
        "POST /api/v1/safeguarding-calls/{id}/follow-up": {"path": {"id": call}},
        "POST /api/v1/children/{id}/consent-refusals": {"path": {"id": ada}},
        "POST /api/v1/episodes/{id}/consents": {"path": {"id": episode("Wyn")},
                                                "etag": f"/api/v1/episodes/{episode('Wyn')}/team"},
        "GET /api/v1/episodes/{id}": {"path": {"id": main}},
        "GET /api/v1/episodes/{id}/assessment": {"path": {"id": main}},
        "PUT /api/v1/episodes/{id}/assessment": {"path": {"id": main}, "etag": f"/api/v1/episodes/{main}/assessment"},
        "PATCH /api/v1/episodes/{id}/assessment/parts/{part}": {"path": {"id": main},
                                                                "etag": f"/api/v1/episodes/{main}/assessment"},
        "POST /api/v1/episodes/{id}/assessment/complete": {"path": {"id": to_complete}},
        "GET /api/v1/episodes/{id}/assessments": {"path": {"id": main}},
        "POST /api/v1/episodes/{id}/assessments": {"path": {"id": completed}},
        "GET /api/v1/episodes/{id}/comparison": {"path": {"id": completed}},
        "POST /api/v1/episodes/{id}/shares": {"path": {"id": episode("Sam")}},
        "GET /api/v1/episodes/{id}/team": {"path": {"id": main}},
        "POST /api/v1/episodes/{id}/family-members": {"path": {"id": main}},
        "POST /api/v1/episodes/{id}/meetings": {"path": {"id": main}},
        "PUT /api/v1/episodes/{id}/meetings/{meetingId}/attendance": {
            "path": {"id": main, "meetingId": meeting["id"]}, "body": {"attendance": attendance},
            "etag": f"/api/v1/episodes/{main}/team", "item": meeting["id"], "list": "meetings"},
        "POST /api/v1/episodes/{id}/lead-professional": {"persona": "erin", "path": {"id": led},
                                                         "etag": f"/api/v1/episodes/{led}/team"},
        "GET /api/v1/episodes/{id}/actions": {"path": {"id": main}},
        "POST /api/v1/episodes/{id}/actions": {"path": {"id": main}},
        "PATCH /api/v1/episodes/{id}/actions/{actionId}": {"path": {"id": main, "actionId": action},
                                                            "etag": f"/api/v1/episodes/{main}/actions", "item": action},
        "PUT /api/v1/episodes/{id}/plan-review": {"path": {"id": main}, "etag": f"/api/v1/episodes/{main}/actions"},
        "POST /api/v1/episodes/{id}/close": {"path": {"id": episode("Cy")}},
        "POST /api/v1/episodes/{id}/time-entries": {"path": {"id": main}},
        "POST /api/v1/episodes/{id}/reopen": {"path": {"id": reopened}},
        "GET /api/v1/referrals": {"persona": "gus"},
        "POST /api/v1/referrals/{id}/decision": {"persona": "gus", "path": {"id": referral}},
        "POST /api/v1/episodes/{id}/access-requests": {"persona": "carla", "path": {"id": main}},
        "POST /api/v1/access-requests/{id}/decision": {"path": {"id": request}},
        "POST /api/v1/episodes/{id}/break-glass": {"persona": "carla", "path": {"id": main}},
        "GET /api/v1/break-glass": {"persona": "erin"},
        "POST /api/v1/break-glass/{id}/review": {"persona": "erin", "path": {"id": grant}},
        "GET /api/v1/admin/accounts": {"persona": "fay"},
        "POST /api/v1/admin/organisations": {"persona": "fay"},
        "POST /api/v1/admin/practitioners": {"persona": "fay", "body": {"organisationId": organisation}},
        "PATCH /api/v1/admin/organisations/{id}": {"persona": "fay", "path": {"id": organisation},
                                                   "etag": "/api/v1/admin/accounts", "item": organisation,
                                                   "list": "organisations"},
        "PATCH /api/v1/admin/practitioners/{id}": {"persona": "fay", "path": {"id": account},
                                                   "etag": "/api/v1/admin/accounts", "item": account,
                                                   "list": "practitioners"},
        "GET /api/v1/admin/role-grants": {"persona": "fay"},
        # Refused: approval waits until Yan has chosen a password from his e-mailed link (409).
        "POST /api/v1/admin/role-grants/{id}/decision": {"persona": "gil", "path": {"id": role_grant},
                                                          "body": {"decision": "refused"}},
        "GET /api/v1/audit": {"persona": "erin", "query": {"childId": ada}},
        "GET /api/v1/measures": {"persona": "erin"},
        "GET /api/v1/measures/{measure}": {"persona": "nat"},
    }
    return {"base": api.base, "tokens": tokens, "operations": operations}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("ECAF_FUZZ_EXAMPLES", "25")))
    parser.add_argument("--seed", type=int, default=20261130)
    options = parser.parse_args()
    data = tempfile.mkdtemp(prefix="ecaf-fuzz-")
    process, base = start(data)
    try:
        api = API(base)
        document = api.call("GET", "/api/v1/openapi.json")
        setup = fixtures(api, document)
        fixture_file = os.path.join(data, "fixtures.json")
        statuses_file = os.path.join(data, "statuses.jsonl")
        json.dump(setup, open(fixture_file, "w"))
        env = dict(os.environ, ECAF_FUZZ_FIXTURES=fixture_file, ECAF_FUZZ_STATUSES=statuses_file,
                   SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=os.path.dirname(os.path.abspath(__file__)))
        # Every check but two: positive_data_acceptance would call a refused NHS number
        # (Modulus 11) or postcode a defect, and those rules are in each field's description;
        # object_level_authorization needs a second user per operation, which the access
        # tests cover.
        # Each operation works on the records set up for it: schemathesis must not swap in
        # ids it saw in other answers (an episode another operation closed, say).
        config = os.path.join(data, "schemathesis.toml")
        with open(config, "w") as f:
            for phase in ["examples", "coverage", "fuzzing"]:
                f.write(f"[phases.{phase}.extra-data-sources]\nresponses = false\n")
            # A save without If-Match is refused with 428 Precondition Required (RFC 6585).
            for operation in ["PUT /api/v1/episodes/{id}/assessment", "PUT /api/v1/children/{id}/whereabouts",
                              "PATCH /api/v1/admin/organisations/{id}", "PATCH /api/v1/admin/practitioners/{id}",
                              "POST /api/v1/episodes/{id}/lead-professional", "PATCH /api/v1/episodes/{id}/assessment/parts/{part}",
                              "PATCH /api/v1/episodes/{id}/actions/{actionId}",
                              "PUT /api/v1/episodes/{id}/meetings/{meetingId}/attendance",
                              "PUT /api/v1/episodes/{id}/plan-review"]:
                f.write(f'[[operations]]\ninclude-name = "{operation}"\n'
                        'checks.missing_required_header.expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]\n')
        # As a module of this interpreter: a new `st` script may not be on PATH yet.
        command = [
            sys.executable, "-m", "schemathesis.cli", "--config-file", config, "run", base + "/api/v1/openapi.json", "--url", base, "--seed", str(options.seed),
            "--max-examples", str(options.max_examples), "--workers", "1", "--no-color",
            "--phases", "examples,coverage,fuzzing", "--checks", "all",
            "--exclude-checks", os.environ.get("ECAF_FUZZ_EXCLUDE", "positive_data_acceptance,object_level_authorization"),
            "--suppress-health-check", "all", "--warnings", "off",
        ]
        result = subprocess.run(command, env=env, cwd=data)
        reached = collections.defaultdict(set)
        # Schemathesis does not call the document it reads; reading it above was its 200.
        reached["GET /api/v1/openapi.json"].add(200)
        for line in open(statuses_file):
            operation, status = json.loads(line)
            reached[operation].add(status)
        documented = [f"{method.upper()} {path}" for path, item in document["paths"].items()
                      for method in item if method != "parameters"]
        never = sorted(op for op in documented if not any(200 <= s < 300 for s in reached.get(op, ())))
        calls = sum(1 for _ in open(statuses_file))
        print(f"fuzz: {calls} calls to {len(reached)} of {len(documented)} operations; "
              f"{len(documented) - len(never)} reached a 2xx")
        for op in never:
            print(f"never 2xx: {op} (saw {sorted(reached.get(op, ()))})")
        return 1 if result.returncode != 0 or never else 0
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
