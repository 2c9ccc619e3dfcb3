import Fluent
import Vapor

func routes(_ app: Application) throws {
    app.get(SiteURL.health.pattern) { _ in "ok" }
    app.get(SiteURL.ready.pattern) { req async throws -> String in
        do {
            try await Readiness.check(req.db)
        } catch {
            throw AppError(status: .serviceUnavailable, code: "not-ready", message: "The database does not answer")
        }
        return "ready"
    }

    // Pages: sessions, CSRF on every POST, sign-in required except for the sign-in page.
    let pages = app.grouped(app.sessions.middleware, SessionSignIn(), CSRFMiddleware())
    let auth = AuthController()
    pages.get(SiteURL.signIn.pattern, use: auth.show)
    pages.post(SiteURL.signIn.pattern, use: auth.signIn)
    pages.post(SiteURL.signOut.pattern, use: auth.signOut)

    let signedIn = pages.grouped(RequireSignIn(api: false))
    signedIn.get(SiteURL.home.pattern, use: WorktrayController().show)
    let children = ChildController()
    signedIn.get(SiteURL.findChild.pattern, use: children.find)
    signedIn.post(SiteURL.findChild.pattern, use: children.search)
    signedIn.get(SiteURL.registerChild.pattern, use: children.newChild)
    signedIn.post(SiteURL.registerChild.pattern, use: children.register)
    signedIn.get(SiteURL.child(.pattern).pattern, use: children.show)
    signedIn.get(SiteURL.childAudit(.pattern).pattern, use: children.audit)
    signedIn.get(SiteURL.startEpisode(child: .pattern).pattern, use: children.newEpisode)
    signedIn.post(SiteURL.startEpisode(child: .pattern).pattern, use: children.openEpisode)
    let safeguarding = SafeguardingController()
    signedIn.get(SiteURL.checklist(child: .pattern).pattern, use: safeguarding.checklist)
    signedIn.post(SiteURL.checklist(child: .pattern).pattern, use: safeguarding.recordChecklist)
    signedIn.get(SiteURL.safeguarding(child: .pattern).pattern, use: safeguarding.phone)
    signedIn.post(SiteURL.safeguarding(child: .pattern).pattern, use: safeguarding.recordCall)
    signedIn.get(SiteURL.safeguardingCall(.pattern).pattern, use: safeguarding.call)
    signedIn.post(SiteURL.followUp(.pattern).pattern, use: safeguarding.followUp)
    let episodes = EpisodeController()
    signedIn.get(SiteURL.episode(.pattern).pattern, use: episodes.show)
    signedIn.post(SiteURL.shareEpisode(.pattern).pattern, use: episodes.share)
    signedIn.post(SiteURL.episodeConsent(.pattern).pattern, use: episodes.changeConsent)
    signedIn.post(SiteURL.startReview(.pattern).pattern, use: episodes.startReview)
    signedIn.post(SiteURL.closeEpisode(.pattern).pattern, use: episodes.close)
    signedIn.get(SiteURL.printEpisode(.pattern).pattern, use: episodes.print)
    signedIn.post(SiteURL.reopenEpisode(.pattern).pattern, use: episodes.reopen)
    let referrals = ReferralController()
    signedIn.get(SiteURL.referral(.pattern).pattern, use: referrals.show)
    signedIn.post(SiteURL.referral(.pattern).pattern, use: referrals.decide)
    signedIn.get(SiteURL.comparison(.pattern).pattern, use: episodes.compare)
    let team = TeamController()
    signedIn.get(SiteURL.team(.pattern).pattern, use: team.show)
    signedIn.post(SiteURL.familyMembers(.pattern).pattern, use: team.addFamilyMember)
    signedIn.post(SiteURL.meetings(.pattern).pattern, use: team.scheduleMeeting)
    signedIn.post(SiteURL.leadProfessional(.pattern).pattern, use: team.changeLead)
    signedIn.get(SiteURL.meeting(.pattern).pattern, use: team.meeting)
    signedIn.post(SiteURL.meeting(.pattern).pattern, use: team.recordMeeting)
    let plan = PlanController()
    signedIn.get(SiteURL.plan(.pattern).pattern, use: plan.show)
    signedIn.post(SiteURL.planActions(.pattern).pattern, use: plan.add)
    signedIn.post(SiteURL.planReview(.pattern).pattern, use: plan.setReview)
    signedIn.post(SiteURL.action(.pattern).pattern, use: plan.update)
    signedIn.get(SiteURL.editAssessment(episode: .pattern).pattern, use: episodes.edit)
    signedIn.post(SiteURL.editAssessment(episode: .pattern).pattern, use: episodes.save)
    signedIn.get(SiteURL.assessment(episode: .pattern).pattern, use: episodes.read)

    // The JSON API: bearer tokens, no sessions.
    let authAPI = AuthAPIController()
    app.post(APIURL.token.pattern, use: authAPI.createToken)
    app.get(APIURL.openAPI.pattern) { _ in OpenAPIDocument.response() }
    let api = app.grouped(BearerSignIn(), RequireSignIn(api: true))
    api.delete(APIURL.token.pattern, use: authAPI.deleteToken)
    api.get(APIURL.me.pattern, use: authAPI.me)
    let childrenAPI = ChildrenAPIController()
    api.get(APIURL.children.pattern, use: childrenAPI.search)
    api.post(APIURL.children.pattern, use: childrenAPI.create)
    api.get(APIURL.child(.pattern).pattern, use: childrenAPI.read)
    api.post(APIURL.childEpisodes(.pattern).pattern, use: childrenAPI.openEpisode)
    api.post(APIURL.consentRefusals(.pattern).pattern, use: childrenAPI.refuseConsent)
    let safeguardingAPI = SafeguardingAPIController()
    api.post(APIURL.preAssessments(.pattern).pattern, use: safeguardingAPI.recordChecklist)
    api.post(APIURL.safeguardingCalls(.pattern).pattern, use: safeguardingAPI.recordCall)
    api.get(APIURL.calls.pattern, use: safeguardingAPI.list)
    api.get(APIURL.call(.pattern).pattern, use: safeguardingAPI.read)
    api.post(APIURL.callFollowUp(.pattern).pattern, use: safeguardingAPI.followUp)
    let episodesAPI = EpisodesAPIController()
    api.get(APIURL.episodes.pattern, use: episodesAPI.list)
    api.get(APIURL.episode(.pattern).pattern, use: episodesAPI.read)
    api.get(APIURL.assessment(.pattern).pattern, use: episodesAPI.assessment)
    api.put(APIURL.assessment(.pattern).pattern, use: episodesAPI.saveAssessment)
    api.post(APIURL.completeAssessment(.pattern).pattern, use: episodesAPI.completeAssessment)
    api.get(APIURL.assessments(.pattern).pattern, use: episodesAPI.versions)
    api.post(APIURL.assessments(.pattern).pattern, use: episodesAPI.startReview)
    api.get(APIURL.comparison(.pattern).pattern, use: episodesAPI.compare)
    api.post(APIURL.shares(.pattern).pattern, use: episodesAPI.share)
    api.post(APIURL.consents(.pattern).pattern, use: episodesAPI.changeConsent)
    let teamAPI = TeamAPIController()
    api.get(APIURL.team(.pattern).pattern, use: teamAPI.team)
    api.post(APIURL.familyMembers(.pattern).pattern, use: teamAPI.addFamilyMember)
    api.post(APIURL.meetings(.pattern).pattern, use: teamAPI.scheduleMeeting)
    api.put(APIURL.meetingAttendance(episode: .pattern, meeting: .pattern).pattern, use: teamAPI.recordAttendance)
    api.post(APIURL.leadProfessional(.pattern).pattern, use: teamAPI.changeLead)
    let planAPI = PlanAPIController()
    api.get(APIURL.actions(.pattern).pattern, use: planAPI.plan)
    api.post(APIURL.actions(.pattern).pattern, use: planAPI.add)
    api.patch(APIURL.action(episode: .pattern, action: .pattern).pattern, use: planAPI.update)
    api.put(APIURL.planReview(.pattern).pattern, use: planAPI.setReview)
    api.post(APIURL.close(.pattern).pattern, use: episodesAPI.close)
    api.post(APIURL.reopen(.pattern).pattern, use: episodesAPI.reopen)
    api.get(APIURL.referrals.pattern, use: episodesAPI.referrals)
    api.post(APIURL.referralDecision(.pattern).pattern, use: episodesAPI.decideReferral)
    api.get(APIURL.audit.pattern, use: AuditAPIController().read)
}

enum Readiness {
    /// A trivial query proves the database answers.
    static func check(_ db: any Database) async throws {
        _ = try await LocalAuthority.query(on: db).count()
    }
}
