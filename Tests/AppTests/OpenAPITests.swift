import CAFCore
import Fluent
import Foundation
import Testing
import VaporTesting

@testable import App

/// The hand-written OpenAPI document never drifts from the routes: every served API route
/// and method is in it (and nothing else), every status the API answers with is documented
/// with the body it answers, and its request examples are accepted by the real routes.
@Suite struct OpenAPITests {
    struct Spec {
        let paths: [String: [String: Any]]

        init(_ data: Data) throws {
            let root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            #expect(root["openapi"] as? String == "3.1.0")
            paths = root["paths"] as! [String: [String: Any]]
        }

        func operation(_ method: String, _ path: String) -> [String: Any]? {
            paths[path]?[method.lowercased()] as? [String: Any]
        }

        func documents(_ method: String, _ path: String, _ status: UInt) -> Bool {
            (operation(method, path)?["responses"] as? [String: Any])?[String(status)] != nil
        }

        func example(_ method: String, _ path: String) -> String? {
            guard let body = operation(method, path)?["requestBody"] as? [String: Any],
                let content = (body["content"] as? [String: Any])?["application/json"] as? [String: Any],
                let example = content["example"]
            else { return nil }
            return String(decoding: try! JSONSerialization.data(withJSONObject: example), as: UTF8.self)
        }
    }

    static func served(_ app: Application) -> [(method: String, path: String)] {
        app.routes.all.map { route in
            (
                route.method.rawValue,
                "/"
                    + route.path.map { component in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }.joined(separator: "/")
            )
        }
        .filter { $0.path.hasPrefix("/api/") || $0.path == "/health" || $0.path == "/ready" }
    }

    @Test func everyServedRouteIsDocumentedAndNothingElse() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let response = try await world.send(.GET, APIURL.openAPI.path)
            #expect(response.status == .ok)
            let spec = try Spec(Data(buffer: response.body))
            let served = Self.served(world.app)
            for route in served {
                #expect(spec.operation(route.method, route.path) != nil, "\(route.method) \(route.path) is not in openapi.json")
            }
            let documented = spec.paths.flatMap { path, operations in
                operations.keys.filter { $0 != "parameters" }.map { ($0.uppercased(), path) }
            }
            for (method, path) in documented {
                #expect(
                    served.contains { $0.method == method && $0.path == path }, "\(method) \(path) is documented but not served")
            }
        }
    }

    /// Walks every operation through its success and its errors, checking each status the
    /// app answers with is in the document; the request bodies are the document's examples.
    @Test func everyStatusTheAPIAnswersWithIsDocumentedAndExamplesWork() async throws {
        try await TestWorld.run { (world: TestWorld) async throws in
            let spec = try Spec(OpenAPIDocument.data)
            var unexplained: [String] = []
            func call(
                _ method: HTTPMethod, _ specPath: String, _ path: String? = nil, token: String? = nil, raw: String? = nil,
                headers: HTTPHeaders = [:]
            ) async throws -> TestingHTTPResponse {
                let response = try await world.send(method, path ?? specPath, token: token, raw: raw, headers: headers)
                if !spec.documents(method.rawValue, specPath, response.status.code) {
                    unexplained.append("\(method.rawValue) \(specPath) → \(response.status.code)")
                }
                // The body is what the document says, field for field (objects are closed).
                let documented = APIContract.shared.schema.document["paths"]?[specPath]?[method.rawValue.lowercased()]?[
                    "responses"]?[String(response.status.code)]?["content"]?["application/json"]?["schema"]
                if let documented {
                    let body = try JSONParser.parse(response.body.readableBytesView)
                    for problem in APIContract.shared.schema.problems(body, against: documented, at: "") {
                        unexplained.append("\(method.rawValue) \(specPath) → \(response.status.code): \(problem.message)")
                    }
                }
                return response
            }
            let tokenPath = "/api/v1/auth/token"
            #expect(try await call(.POST, tokenPath, raw: "{").status == .badRequest)
            #expect(try await call(.POST, tokenPath, raw: #"{"email": "amy@demo.test"}"#).status == .unprocessableEntity)
            #expect(try await call(.POST, tokenPath, raw: spec.example("POST", tokenPath)).status == .unauthorized)
            let amy = try await world.token("amy@demo.test")
            let carla = try await world.token("carla@demo.test")
            let erin = try await world.token("erin@demo.test")

            #expect(try await call(.GET, "/api/v1/me", token: amy).status == .ok)
            #expect(try await call(.GET, "/api/v1/me").status == .unauthorized)

            let children = "/api/v1/children"
            let registered = try await call(.POST, children, token: amy, raw: spec.example("POST", children))
            #expect(registered.status == .created)
            let childID = try world.json(registered)["id"] as! String
            #expect(try await call(.POST, children, token: amy, raw: "{}").status == .unprocessableEntity)
            #expect(try await call(.POST, children, token: amy, raw: spec.example("POST", children)).status == .conflict)
            let search = "/api/v1/child-searches"
            #expect(try await call(.POST, search, token: amy, raw: spec.example("POST", search)).status == .ok)
            #expect(try await call(.POST, search, token: amy, raw: #"{"q": "l"}"#).status == .unprocessableEntity)
            #expect(
                try await call(.POST, search, token: try await world.token("fay@demo.test"), raw: #"{"q": "lily"}"#).status
                    == .forbidden)

            let child = "/api/v1/children/{id}"
            #expect(try await call(.GET, child, "/api/v1/children/\(childID)", token: carla).status == .ok)
            #expect(try await call(.GET, child, "/api/v1/children/\(UUID())", token: carla).status == .notFound)

            let names = "/api/v1/children/{id}/names"
            let namesPath = "/api/v1/children/\(childID)/names"
            #expect(try await call(.POST, names, namesPath, token: amy, raw: spec.example("POST", names)).status == .created)
            #expect(try await call(.POST, names, namesPath, token: amy, raw: "{").status == .badRequest)
            #expect(
                try await call(
                    .POST, names, namesPath, token: amy, raw: #"{"kind": "previous", "givenName": "", "familyName": "X"}"#
                )
                .status == .unprocessableEntity)
            #expect(
                try await call(.POST, names, "/api/v1/children/\(UUID())/names", token: amy, raw: spec.example("POST", names))
                    .status == .notFound)

            let birth = "/api/v1/children/{id}/birth"
            let due = String(ISO8601DateFormatter().string(from: Date() + 30 * 86_400).prefix(10))
            let unborn = try await call(
                .POST, children, token: amy, raw: #"{"familyName": "Evans", "expectedDeliveryDate": "\#(due)"}"#)
            let birthPath = "/api/v1/children/\(try world.json(unborn)["id"] as! String)/birth"
            #expect(
                try await call(.POST, birth, birthPath, token: amy, raw: #"{"dateOfBirth": "x"}"#).status == .unprocessableEntity)
            #expect(try await call(.POST, birth, birthPath, token: amy, raw: spec.example("POST", birth)).status == .ok)
            #expect(try await call(.POST, birth, birthPath, token: amy, raw: spec.example("POST", birth)).status == .conflict)
            #expect(
                try await call(.POST, birth, "/api/v1/children/\(UUID())/birth", token: amy, raw: spec.example("POST", birth))
                    .status == .notFound)

            let merge = "/api/v1/children/{id}/merge"
            let mergePath = "/api/v1/children/\(childID)/merge"
            let babyID = try world.json(unborn)["id"] as! String
            #expect(try await call(.POST, merge, mergePath, token: erin, raw: spec.example("POST", merge)).status == .notFound)
            #expect(
                try await call(.POST, merge, mergePath, token: erin, raw: #"{"duplicateId": "\#(babyID)", "reason": ""}"#).status
                    == .unprocessableEntity)
            #expect(
                try await call(.POST, merge, mergePath, token: amy, raw: #"{"duplicateId": "\#(babyID)", "reason": "x"}"#).status
                    == .forbidden)
            #expect(
                try await call(.POST, merge, mergePath, token: erin, raw: #"{"duplicateId": "\#(babyID)", "reason": "x"}"#).status
                    == .ok)
            #expect(
                try await call(.POST, merge, mergePath, token: erin, raw: #"{"duplicateId": "\#(babyID)", "reason": "x"}"#).status
                    == .gone)
            #expect(try await call(.GET, child, "/api/v1/children/\(babyID)", token: carla).status == .gone)

            let place = "/api/v1/children/{id}/whereabouts"
            let placePath = "/api/v1/children/\(childID)/whereabouts"
            // As read now: the merge above moved the whereabouts of the record kept on.
            let read = try await Child.find(UUID(uuidString: childID)!, on: world.app.db)!.whereaboutsVersion
            let placeVersion: HTTPHeaders = ["If-Match": RecordVersion.etag(read)]
            let firstVersion: HTTPHeaders = ["If-Match": #""1""#]
            #expect(
                try await call(.PUT, place, placePath, token: amy, raw: spec.example("PUT", place), headers: placeVersion)
                    .status == .ok)
            #expect(
                try await call(.PUT, place, placePath, token: amy, raw: spec.example("PUT", place)).status
                    == .preconditionRequired)
            #expect(
                try await call(.PUT, place, placePath, token: amy, raw: spec.example("PUT", place), headers: placeVersion)
                    .status == .preconditionFailed)
            #expect(try await call(.PUT, place, placePath, token: amy, raw: "{").status == .badRequest)
            #expect(
                try await call(.PUT, place, placePath, token: amy, raw: #"{"postcode": "nowhere"}"#).status
                    == .unprocessableEntity)
            #expect(
                try await call(.PUT, place, "/api/v1/children/\(UUID())/whereabouts", token: amy, raw: spec.example("PUT", place))
                    .status == .notFound)
            let involvements = "/api/v1/children/{id}/involvements"
            let involvementsPath = "/api/v1/children/\(childID)/involvements"
            #expect(
                try await call(.POST, involvements, involvementsPath, token: amy, raw: spec.example("POST", involvements)).status
                    == .created)
            #expect(try await call(.POST, involvements, involvementsPath, token: amy, raw: "{").status == .badRequest)
            #expect(
                try await call(
                    .POST, involvements, involvementsPath, token: amy,
                    raw: #"{"service": "", "role": "", "practitionerName": "", "startedOn": ""}"#
                )
                .status == .unprocessableEntity)
            #expect(
                try await call(
                    .POST, involvements, "/api/v1/children/\(UUID())/involvements", token: amy,
                    raw: spec.example("POST", involvements)
                )
                .status == .notFound)
            #expect(
                try await call(
                    .POST, involvements, involvementsPath, token: try await world.token("fay@demo.test"),
                    raw: spec.example("POST", involvements)
                )
                .status == .forbidden)
            let overrides = "/api/v1/children/{id}/shield-overrides"
            let overridesPath = "/api/v1/children/\(childID)/shield-overrides"
            let sid = try await world.token("sid@demo.test")  // another LA's safeguarding staff
            #expect(
                try await call(.POST, overrides, overridesPath, token: sid, raw: spec.example("POST", overrides)).status
                    == .conflict)
            let shield = "/api/v1/children/{id}/shield"
            let shieldPath = "/api/v1/children/\(childID)/shield"
            #expect(try await call(.PUT, shield, shieldPath, token: amy, raw: spec.example("PUT", shield)).status == .forbidden)
            #expect(
                try await call(.PUT, shield, shieldPath, token: erin, raw: #"{"shielded": true, "reason": "no"}"#).status
                    == .unprocessableEntity)
            #expect(try await call(.PUT, shield, shieldPath, token: erin, raw: spec.example("PUT", shield)).status == .ok)
            #expect(try await call(.PUT, place, placePath, token: amy, raw: spec.example("PUT", place)).status == .forbidden)
            #expect(
                try await call(.POST, overrides, overridesPath, token: amy, raw: spec.example("POST", overrides)).status
                    == .forbidden)
            #expect(
                try await call(.POST, overrides, overridesPath, token: sid, raw: #"{"reason": "now"}"#).status
                    == .unprocessableEntity)
            let overridden = try await call(.POST, overrides, overridesPath, token: sid, raw: spec.example("POST", overrides))
            #expect(overridden.status == .created)
            #expect(try await call(.GET, "/api/v1/shield-overrides", token: erin).status == .ok)
            #expect(try await call(.GET, "/api/v1/shield-overrides", token: amy).status == .forbidden)
            let overrideReview = "/api/v1/shield-overrides/{id}/review"
            let overrideReviewPath = "/api/v1/shield-overrides/\(try world.json(overridden)["id"] as! String)/review"
            #expect(
                try await call(.POST, overrideReview, overrideReviewPath, token: erin, raw: #"{"note": ""}"#).status
                    == .unprocessableEntity)
            #expect(
                try await call(.POST, overrideReview, overrideReviewPath, token: amy, raw: spec.example("POST", overrideReview))
                    .status
                    == .forbidden)
            #expect(
                try await call(.POST, overrideReview, overrideReviewPath, token: erin, raw: spec.example("POST", overrideReview))
                    .status
                    == .ok)
            #expect(
                try await call(.POST, overrideReview, overrideReviewPath, token: erin, raw: spec.example("POST", overrideReview))
                    .status
                    == .conflict)
            #expect(
                try await call(
                    .POST, overrideReview, "/api/v1/shield-overrides/\(UUID())/review", token: erin,
                    raw: spec.example("POST", overrideReview)
                ).status == .notFound)
            _ = try await call(
                .PUT, shield, shieldPath, token: erin, raw: #"{"shielded": false, "reason": "Order discharged by the court"}"#)

            let open = "/api/v1/children/{id}/episodes"
            let opened = try await call(
                .POST, open, "/api/v1/children/\(childID)/episodes", token: amy, raw: spec.example("POST", open))
            #expect(opened.status == .created)
            let episodeID = try world.json(opened)["id"] as! String
            #expect(
                try await call(.POST, open, "/api/v1/children/\(UUID())/episodes", token: amy, raw: spec.example("POST", open))
                    .status == .notFound)

            #expect(try await call(.GET, "/api/v1/episodes", token: amy).status == .ok)
            // Found by schemathesis: a repeated (or unknown) query parameter is a 422 on any
            // operation, and the document says so.
            #expect(
                try await call(.GET, "/api/v1/episodes", "/api/v1/episodes?mine=null&mine=null", token: amy).status
                    == .unprocessableEntity)
            #expect(try await call(.GET, "/api/v1/me", "/api/v1/me?x=1", token: amy).status == .unprocessableEntity)
            let episode = "/api/v1/episodes/{id}"
            #expect(try await call(.GET, episode, "/api/v1/episodes/\(episodeID)", token: amy).status == .ok)
            #expect(try await call(.GET, episode, "/api/v1/episodes/\(episodeID)", token: carla).status == .forbidden)

            let assessment = "/api/v1/episodes/{id}/assessment"
            let assessmentPath = "/api/v1/episodes/\(episodeID)/assessment"
            func onRead() async throws -> HTTPHeaders {
                let read = try await call(.GET, assessment, assessmentPath, token: amy)
                return ["If-Match": try #require(read.headers.first(name: .eTag))]
            }
            let first = try await onRead()
            #expect(
                try await call(.PUT, assessment, assessmentPath, token: amy, raw: spec.example("PUT", assessment)).status
                    == .preconditionRequired)
            #expect(
                try await call(.PUT, assessment, assessmentPath, token: amy, raw: spec.example("PUT", assessment), headers: first)
                    .status == .ok)
            #expect(
                try await call(
                    .PUT, assessment, assessmentPath, token: amy, raw: try TestWorld.completeAssessment(), headers: first
                )
                .status == .preconditionFailed)
            let complete = "/api/v1/episodes/{id}/assessment/complete"
            #expect(try await call(.POST, complete, assessmentPath + "/complete", token: amy).status == .unprocessableEntity)
            _ = try await call(
                .PUT, assessment, assessmentPath, token: amy, raw: try TestWorld.completeAssessment(), headers: try await onRead()
            )
            #expect(try await call(.POST, complete, assessmentPath + "/complete", token: amy).status == .ok)
            #expect(
                try await call(
                    .PUT, assessment, assessmentPath, token: amy, raw: spec.example("PUT", assessment),
                    headers: try await onRead()
                ).status == .conflict)
            #expect(
                try await call(.GET, "/api/v1/episodes/{id}/assessments", "/api/v1/episodes/\(episodeID)/assessments", token: amy)
                    .status == .ok)

            let versionsPath = "/api/v1/episodes/\(episodeID)/assessments"
            #expect(try await call(.POST, "/api/v1/episodes/{id}/assessments", versionsPath, token: amy).status == .created)
            #expect(try await call(.POST, "/api/v1/episodes/{id}/assessments", versionsPath, token: amy).status == .conflict)
            let comparison = "/api/v1/episodes/{id}/comparison"
            #expect(try await call(.GET, comparison, "/api/v1/episodes/\(episodeID)/comparison", token: amy).status == .ok)
            #expect(
                try await call(.GET, comparison, "/api/v1/episodes/\(episodeID)/comparison?to=9", token: amy).status == .notFound)

            let family = "/api/v1/episodes/{id}/family-members"
            let familyPath = "/api/v1/episodes/\(episodeID)/family-members"
            #expect(try await call(.POST, family, familyPath, token: amy, raw: spec.example("POST", family)).status == .created)
            #expect(
                try await call(.POST, family, familyPath, token: amy, raw: #"{"name": "", "relationship": ""}"#).status
                    == .unprocessableEntity)
            let meetings = "/api/v1/episodes/{id}/meetings"
            let meetingsPath = "/api/v1/episodes/\(episodeID)/meetings"
            let planned = try await call(.POST, meetings, meetingsPath, token: amy, raw: spec.example("POST", meetings))
            #expect(planned.status == .created)
            #expect(
                try await call(
                    .POST, meetings, meetingsPath, token: amy, raw: #"{"scheduledAt": "2026-11-20T15:30:00Z", "place": ""}"#
                ).status == .unprocessableEntity)
            let meetingJSON = try world.json(planned)
            let attendance = "/api/v1/episodes/{id}/meetings/{meetingId}/attendance"
            let attendancePath = "/api/v1/episodes/\(episodeID)/meetings/\(meetingJSON["id"] as! String)/attendance"
            #expect(
                try await call(.PUT, attendance, attendancePath, token: amy, raw: spec.example("PUT", attendance)).status
                    == .unprocessableEntity)
            let everyone = (meetingJSON["invitations"] as? [[String: Any]] ?? []).map {
                ["invitationId": $0["id"] as! String, "attendance": "attended"]
            }
            let recorded = try TestWorld.jsonText(["attendance": everyone])
            #expect(
                try await call(.PUT, attendance, attendancePath, token: amy, raw: recorded).status == .preconditionRequired)
            #expect(
                try await call(.PUT, attendance, attendancePath, token: amy, raw: recorded, headers: ["If-Match": #""1""#])
                    .status == .ok)
            #expect(
                try await call(.PUT, attendance, attendancePath, token: amy, raw: recorded, headers: ["If-Match": #""1""#])
                    .status == .preconditionFailed)
            let lead = "/api/v1/episodes/{id}/lead-professional"
            let leadPath = "/api/v1/episodes/\(episodeID)/lead-professional"
            #expect(
                try await call(.POST, lead, leadPath, token: amy, raw: spec.example("POST", lead)).status == .unprocessableEntity)
            let teamRead = try await call(
                .GET, "/api/v1/episodes/{id}/team", "/api/v1/episodes/\(episodeID)/team", token: amy)
            let team: HTTPHeaders = ["If-Match": try #require(teamRead.headers.first(name: .eTag))]
            #expect(
                try await call(.POST, lead, leadPath, token: erin, raw: spec.example("POST", lead)).status
                    == .preconditionRequired)
            #expect(
                try await call(.POST, lead, leadPath, token: erin, raw: spec.example("POST", lead), headers: team).status
                    == .created)
            // Another lead, on the version the first change was made on: the team has moved on.
            let amyLeads =
                #"{"practitionerEmail": "amy@demo.test", "basis": "assigned-by-coordinator", "handoverNote": "Cover"}"#
            #expect(
                try await call(.POST, lead, leadPath, token: erin, raw: amyLeads, headers: team).status == .preconditionFailed)
            #expect(
                try await call(.GET, "/api/v1/episodes/{id}/team", "/api/v1/episodes/\(episodeID)/team", token: amy).status == .ok
            )

            let actions = "/api/v1/episodes/{id}/actions"
            let actionsPath = "/api/v1/episodes/\(episodeID)/actions"
            let added = try await call(.POST, actions, actionsPath, token: amy, raw: spec.example("POST", actions))
            #expect(added.status == .created)
            #expect(
                try await call(
                    .POST, actions, actionsPath, token: amy, raw: #"{"description": "", "elementCodes": [], "dueOn": ""}"#
                ).status == .unprocessableEntity)
            #expect(try await call(.GET, actions, actionsPath, token: amy).status == .ok)
            let action = "/api/v1/episodes/{id}/actions/{actionId}"
            let actionPath = actionsPath + "/" + (try world.json(added)["id"] as! String)
            let onFirst: HTTPHeaders = ["If-Match": #""1""#]
            #expect(
                try await call(.PATCH, action, actionPath, token: amy, raw: spec.example("PATCH", action)).status
                    == .preconditionRequired)
            #expect(
                try await call(.PATCH, action, actionPath, token: amy, raw: spec.example("PATCH", action), headers: onFirst)
                    .status == .ok)
            #expect(
                try await call(.PATCH, action, actionPath, token: amy, raw: spec.example("PATCH", action), headers: onFirst)
                    .status == .preconditionFailed)
            #expect(
                try await call(.PATCH, action, actionsPath + "/\(UUID())", token: amy, raw: spec.example("PATCH", action)).status
                    == .notFound)
            let review = "/api/v1/episodes/{id}/plan-review"
            let planReviewPath = "/api/v1/episodes/\(episodeID)/plan-review"
            #expect(
                try await call(.PUT, review, planReviewPath, token: amy, raw: spec.example("PUT", review), headers: firstVersion)
                    .status == .ok)
            #expect(
                try await call(.PUT, review, planReviewPath, token: amy, raw: spec.example("PUT", review)).status
                    == .preconditionRequired)
            #expect(
                try await call(.PUT, review, planReviewPath, token: amy, raw: spec.example("PUT", review), headers: firstVersion)
                    .status == .preconditionFailed)

            let shares = "/api/v1/episodes/{id}/shares"
            #expect(
                try await call(
                    .POST, shares, "/api/v1/episodes/\(episodeID)/shares", token: amy, raw: spec.example("POST", shares)
                ).status == .created)

            let checklists = "/api/v1/children/{id}/pre-assessments"
            let checklistPath = "/api/v1/children/\(childID)/pre-assessments"
            #expect(
                try await call(.POST, checklists, checklistPath, token: amy, raw: spec.example("POST", checklists)).status
                    == .created)
            #expect(try await call(.POST, checklists, checklistPath, token: amy, raw: "{}").status == .unprocessableEntity)
            #expect(
                try await call(
                    .POST, checklists, "/api/v1/children/\(UUID())/pre-assessments", token: amy,
                    raw: spec.example("POST", checklists)
                ).status == .notFound)
            let calls = "/api/v1/children/{id}/safeguarding-calls"
            let callsPath = "/api/v1/children/\(childID)/safeguarding-calls"
            let made = try await call(.POST, calls, callsPath, token: amy, raw: spec.example("POST", calls))
            #expect(made.status == .created)
            let callID = try world.json(made)["id"] as! String
            #expect(try await call(.POST, calls, callsPath, token: amy, raw: #"{"spokeTo": ""}"#).status == .unprocessableEntity)
            #expect(try await call(.GET, "/api/v1/safeguarding-calls", token: amy).status == .ok)
            let oneCall = "/api/v1/safeguarding-calls/{id}"
            #expect(try await call(.GET, oneCall, "/api/v1/safeguarding-calls/\(callID)", token: erin).status == .ok)
            #expect(try await call(.GET, oneCall, "/api/v1/safeguarding-calls/\(callID)", token: carla).status == .forbidden)
            let followUp = "/api/v1/safeguarding-calls/{id}/follow-up"
            #expect(
                try await call(.POST, followUp, "/api/v1/safeguarding-calls/\(callID)/follow-up", token: carla, raw: "{}").status
                    == .forbidden)
            #expect(
                try await call(
                    .POST, followUp, "/api/v1/safeguarding-calls/\(callID)/follow-up", token: amy,
                    raw: spec.example("POST", followUp)
                ).status == .ok)

            let gus = try await world.token("gus@demo.test")
            let closing = try await world.childWithEpisode(as: amy)
            let time = "/api/v1/episodes/{id}/time-entries"
            let timePath = "/api/v1/episodes/\(closing.episodeID)/time-entries"
            #expect(try await call(.POST, time, timePath, token: amy, raw: spec.example("POST", time)).status == .created)
            #expect(try await call(.POST, time, timePath, token: amy, raw: #"{"minutes": 5}"#).status == .unprocessableEntity)
            #expect(try await call(.POST, time, timePath, token: amy, raw: "{").status == .badRequest)
            #expect(try await call(.POST, time, timePath, token: carla, raw: spec.example("POST", time)).status == .forbidden)
            #expect(
                try await call(
                    .POST, time, "/api/v1/episodes/\(UUID())/time-entries", token: amy, raw: spec.example("POST", time)
                )
                .status == .notFound)
            let close = "/api/v1/episodes/{id}/close"
            let closePath = "/api/v1/episodes/\(closing.episodeID)/close"
            #expect(
                try await call(.POST, close, closePath, token: amy, raw: #"{"reason": "other"}"#).status == .unprocessableEntity)
            #expect(try await call(.POST, close, closePath, token: erin, raw: spec.example("POST", close)).status == .ok)
            let reopen = "/api/v1/episodes/{id}/reopen"
            #expect(
                try await call(
                    .POST, reopen, "/api/v1/episodes/\(closing.episodeID)/reopen", token: erin, raw: spec.example("POST", reopen)
                ).status == .ok)
            #expect(
                try await call(.POST, close, closePath, token: erin, raw: #"{"reason": "step-up", "note": "Risk"}"#).status == .ok
            )
            let referralList = try await call(.GET, "/api/v1/referrals", token: gus)
            #expect(referralList.status == .ok)
            let referralID = ((try world.json(referralList)["referrals"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
            let decision = "/api/v1/referrals/{id}/decision"
            #expect(
                try await call(
                    .POST, decision, "/api/v1/referrals/\(referralID)/decision", token: gus, raw: spec.example("POST", decision)
                ).status == .ok)
            #expect(
                try await call(
                    .POST, decision, "/api/v1/referrals/\(referralID)/decision", token: gus, raw: spec.example("POST", decision)
                ).status == .conflict)

            let ask = "/api/v1/episodes/{id}/access-requests"
            let askPath = "/api/v1/episodes/\(episodeID)/access-requests"
            let hana = try await world.token("hana@demo.test")
            let asked = try await call(.POST, ask, askPath, token: hana, raw: spec.example("POST", ask))
            #expect(asked.status == .created)
            #expect(try await call(.POST, ask, askPath, token: amy, raw: spec.example("POST", ask)).status == .forbidden)
            #expect(try await call(.GET, "/api/v1/access-requests", token: amy).status == .ok)
            let decide = "/api/v1/access-requests/{id}/decision"
            let decidePath = "/api/v1/access-requests/\(try world.json(asked)["id"] as! String)/decision"
            #expect(try await call(.POST, decide, decidePath, token: amy, raw: spec.example("POST", decide)).status == .ok)
            #expect(try await call(.POST, decide, decidePath, token: amy, raw: spec.example("POST", decide)).status == .conflict)

            let glass = "/api/v1/episodes/{id}/break-glass"
            let glassTaken = try await call(
                .POST, glass, "/api/v1/episodes/\(episodeID)/break-glass", token: carla, raw: spec.example("POST", glass))
            #expect(glassTaken.status == .created)
            #expect(
                try await call(
                    .POST, glass, "/api/v1/episodes/\(episodeID)/break-glass", token: amy, raw: spec.example("POST", glass)
                ).status == .forbidden)
            #expect(try await call(.GET, "/api/v1/break-glass", token: erin).status == .ok)
            #expect(try await call(.GET, "/api/v1/break-glass", token: amy).status == .forbidden)
            let glassReview = "/api/v1/break-glass/{id}/review"
            let reviewPath = "/api/v1/break-glass/\(try world.json(glassTaken)["id"] as! String)/review"
            #expect(
                try await call(.POST, glassReview, reviewPath, token: erin, raw: spec.example("POST", glassReview)).status == .ok)
            #expect(
                try await call(.POST, glassReview, reviewPath, token: erin, raw: spec.example("POST", glassReview)).status
                    == .conflict)

            let fay = try await world.token("fay@demo.test")
            #expect(try await call(.GET, "/api/v1/admin/accounts", token: fay).status == .ok)
            #expect(try await call(.GET, "/api/v1/admin/accounts", token: amy).status == .forbidden)
            let newOrganisation = try await call(
                .POST, "/api/v1/admin/organisations", token: fay, raw: spec.example("POST", "/api/v1/admin/organisations"))
            #expect(newOrganisation.status == .created)
            let organisationID = try world.json(newOrganisation)["id"] as! String
            let organisation = "/api/v1/admin/organisations/{id}"
            let organisationPath = "/api/v1/admin/organisations/\(organisationID)"
            #expect(
                try await call(
                    .PATCH, organisation, organisationPath, token: fay, raw: spec.example("PATCH", organisation),
                    headers: firstVersion
                ).status == .ok)
            #expect(
                try await call(.PATCH, organisation, organisationPath, token: fay, raw: spec.example("PATCH", organisation))
                    .status == .preconditionRequired)
            #expect(
                try await call(
                    .PATCH, organisation, organisationPath, token: fay, raw: spec.example("PATCH", organisation),
                    headers: firstVersion
                ).status == .preconditionFailed)
            #expect(
                try await call(.PATCH, organisation, organisationPath, token: fay, raw: #"{"name": ""}"#).status
                    == .unprocessableEntity)
            #expect(try await call(.PATCH, organisation, organisationPath, token: amy, raw: "{}").status == .forbidden)
            #expect(
                try await call(.PATCH, organisation, "/api/v1/admin/organisations/\(UUID())", token: fay, raw: "{}").status
                    == .notFound)
            let account = (spec.example("POST", "/api/v1/admin/practitioners") ?? "").replacingOccurrences(
                of: "00000000-0000-0000-0000-000000000000", with: organisationID)
            let newAccount = try await call(.POST, "/api/v1/admin/practitioners", token: fay, raw: account)
            #expect(newAccount.status == .created)
            #expect(try await call(.POST, "/api/v1/admin/practitioners", token: fay, raw: account).status == .unprocessableEntity)
            let status = "/api/v1/admin/practitioners/{id}"
            let accountPath = "/api/v1/admin/practitioners/\(try world.json(newAccount)["id"] as! String)"
            #expect(
                try await call(.PATCH, status, accountPath, token: fay, raw: spec.example("PATCH", status), headers: firstVersion)
                    .status == .ok)
            #expect(
                try await call(.PATCH, status, accountPath, token: fay, raw: spec.example("PATCH", status)).status
                    == .preconditionRequired)
            #expect(
                try await call(.PATCH, status, accountPath, token: fay, raw: spec.example("PATCH", status), headers: firstVersion)
                    .status == .preconditionFailed)
            #expect(
                try await call(
                    .PATCH, status, "/api/v1/admin/practitioners/\(UUID())", token: fay, raw: spec.example("PATCH", status)
                ).status == .notFound)

            let refusals = "/api/v1/children/{id}/consent-refusals"
            let refusalPath = "/api/v1/children/\(childID)/consent-refusals"
            #expect(
                try await call(.POST, refusals, refusalPath, token: amy, raw: spec.example("POST", refusals)).status == .created)
            #expect(try await call(.POST, refusals, refusalPath, token: amy, raw: "{}").status == .unprocessableEntity)
            let consents = "/api/v1/episodes/{id}/consents"
            let consentsPath = "/api/v1/episodes/\(episodeID)/consents"
            #expect(
                try await call(.POST, consents, consentsPath, token: carla, raw: spec.example("POST", consents)).status
                    == .forbidden)
            #expect(
                try await call(.POST, consents, consentsPath, token: amy, raw: #"{"kind": "withdrawn"}"#).status
                    == .unprocessableEntity)
            #expect(
                try await call(.POST, consents, consentsPath, token: amy, raw: spec.example("POST", consents)).status == .created)

            let audit = "/api/v1/audit"
            #expect(try await call(.GET, audit, audit + "?childId=\(childID)", token: erin).status == .ok)
            #expect(try await call(.GET, audit, audit + "?childId=\(childID)", token: amy).status == .forbidden)
            #expect(try await call(.GET, audit, audit, token: erin).status == .unprocessableEntity)

            let measures = "/api/v1/measures"
            #expect(try await call(.GET, measures, token: erin).status == .ok)
            #expect(try await call(.GET, measures, token: amy).status == .forbidden)
            #expect(try await call(.GET, measures, measures + "?from=soon", token: erin).status == .unprocessableEntity)
            #expect(try await call(.GET, measures, measures + "?organisationId=\(UUID())", token: erin).status == .notFound)
            #expect(try await call(.GET, measures).status == .unauthorized)
            let measure = "/api/v1/measures/{measure}"
            #expect(try await call(.GET, measure, measures + "/needs-met", token: erin).status == .ok)
            #expect(try await call(.GET, measure, measures + "/needs-met", token: amy).status == .forbidden)
            #expect(try await call(.GET, measure, measures + "/needs-met?to=x", token: erin).status == .unprocessableEntity)
            #expect(try await call(.GET, measure, measures + "/joy", token: erin).status == .notFound)
            #expect(try await call(.GET, measure, measures + "/joy").status == .unauthorized)

            #expect(try await call(.DELETE, tokenPath, token: amy).status == .noContent)
            #expect(try await call(.GET, "/health").status == .ok)
            #expect(try await call(.GET, "/ready").status == .ok)
            #expect(unexplained.isEmpty, "undocumented: \(unexplained)")
        }
    }
}
