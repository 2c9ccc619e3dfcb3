"""Writes the OpenAPI 3.1 document, Sources/App/Resources/openapi.json, from this readable
source. Edit here, run `python3 scripts/openapi.py`, commit both; scripts/test fails when
they differ, and OpenAPITests fail when either drifts from the routes."""
import json
import os
AGENCY = ["education","early-years","health","police","probation","youth-justice","youth-service","social-care","housing","voluntary","other"]
ROLES = ["practitioner","manager","coordinator","safeguarding","la-admin","analyst"]
CODES = ["dev.health.general","dev.health.physical","dev.health.speech","dev.emotional","dev.behaviour","dev.identity","dev.relationships","dev.selfcare","dev.learning.understanding","dev.learning.participation","dev.learning.progress","dev.learning.aspirations","parents.basic-care","parents.warmth","parents.guidance","family.functioning","family.wider","family.housing","family.community"]
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
uuid = {"type":"string","format":"uuid"}
dt = {"type":"string","format":"date-time"}
date = {"type":"string","format":"date","description":"ISO 8601 calendar date, YYYY-MM-DD"}
def obj(props, required=None, desc=None):
    o = {"type":"object","properties":props}
    if required: o["required"]=required
    if desc: o["description"]=desc
    return o
S = {
 "Error": obj({"error": obj({"code":{"type":"string","examples":["invalid"]},"message":{"type":"string"},"field":{"type":"string","description":"The first field at fault, as a path such as consent.name or elements[3].level"},
   "problems":{"type":"array","items":obj({"field":{"type":"string"},"message":{"type":"string"}},["field","message"])}},["code","message"])},["error"]),
 "TokenRequest": obj({"email":{"type":"string","format":"email"},"password":{"type":"string"},"code":{"type":"string","description":"TOTP code (two-factor); not yet required"}},["email","password"]),
 "Token": obj({"token":{"type":"string"},"expiresAt":dt},["token","expiresAt"]),
 "Organisation": obj({"id":uuid,"name":{"type":"string"},"agencyType":{"enum":AGENCY},"localAuthorityId":uuid},["id","name","agencyType","localAuthorityId"]),
 "Me": obj({"id":uuid,"email":{"type":"string"},"name":{"type":"string"},"jobTitle":{"type":"string"},"roles":{"type":"array","items":{"enum":ROLES}},"organisation":{"oneOf":[ref("Organisation"),{"type":"null"}]}},["id","email","name","jobTitle","roles"]),
 "Contact": obj({"id":uuid,"name":{"type":"string"},"jobTitle":{"type":"string"},"organisation":{"type":["string","null"]},"agencyType":{"enum":AGENCY+[None]},"email":{"type":"string"},"phone":{"type":"string"}},["id","name","jobTitle","email","phone"], "How to reach a practitioner"),
 "ChildCreate": obj({"givenName":{"type":"string","maxLength":100},"familyName":{"type":"string","maxLength":100},"dateOfBirth":date,"gender":{"enum":["male","female","unknown"]},"postcode":{"type":"string","description":"UK postcode; normalised to upper case with one space"}},["givenName","familyName","dateOfBirth"]),
 "Child": obj({"id":uuid,"givenName":{"type":"string"},"familyName":{"type":"string"},"dateOfBirth":date,"gender":{"enum":["male","female","unknown",None]},"postcode":{"type":["string","null"]},"localAuthorityId":uuid},["id","givenName","familyName","dateOfBirth","localAuthorityId"]),
 "ChildSearch": obj({"results":{"type":"array","items":ref("Child")},"count":{"type":"integer"},"limit":{"type":"integer"}},["results","count","limit"]),
 "EpisodeSummary": obj({"id":uuid,"childId":uuid,"status":{"enum":["open","closed"]},"openedAt":dt,"contact":ref("Contact"),"leadProfessional":{"oneOf":[ref("Contact"),{"type":"null"}]}},["id","childId","status","openedAt","contact"], "What anyone may know of an episode: that it exists and whom to contact"),
 "SocialCareContacts": obj({"localAuthority":{"type":"string"},"dayPhone":{"type":"string"},"outOfHoursPhone":{"type":"string"},"followUpHours":{"type":"integer"}},["localAuthority","dayPhone","outOfHoursPhone","followUpHours"], "The child's LA children's social care numbers: phone first"),
 "ChildRecord": obj({"child":ref("Child"),"episodes":{"type":"array","items":ref("EpisodeSummary")},"involved":{"type":"array","items":ref("Contact")},"socialCare":ref("SocialCareContacts")},["child","episodes","involved","socialCare"]),
 "ChecklistAnswers": obj({"harmConcern":{"type":"boolean"},"worriedOutcomes":{"type":"array","items":{"enum":["being-healthy","staying-safe","enjoying-and-achieving","positive-contribution","economic-well-being"]}},"familyAskedForHelp":{"type":["boolean","null"]},"ownServiceCanMeet":{"type":["boolean","null"]},"needsUnclearOrBroad":{"type":["boolean","null"]},"reason":{"type":"string"}}),
 "PreAssessmentRequest": obj({"harmConcern":{"type":"boolean","description":"2. Harmed or at risk of significant harm? true needs no other answer"},"worriedOutcomes":{"type":"array","items":{"enum":["being-healthy","staying-safe","enjoying-and-achieving","positive-contribution","economic-well-being"]},"description":"3. Every Child Matters outcomes worried about"},"familyAskedForHelp":{"type":"boolean","description":"4."},"ownServiceCanMeet":{"type":"boolean","description":"5."},"needsUnclearOrBroad":{"type":"boolean","description":"6."},"reason":{"type":"string","description":"Required unless harmConcern"}},["harmConcern"]),
 "PreAssessment": obj({"id":uuid,"childId":uuid,"decision":{"enum":["no-additional-needs","single-service","caf","safeguarding"]},"reason":{"type":"string"},"answers":ref("ChecklistAnswers"),"existingEpisode":{"oneOf":[ref("EpisodeSummary"),{"type":"null"}]},"recordedAt":dt,"next":{"type":["string","null"],"description":"Where to go next: the safeguarding-calls path, or the episodes path"}},["id","childId","decision","reason","answers","recordedAt"]),
 "SafeguardingCallRequest": obj({"calledAt":{**dt,"description":"When the call was made; now when omitted"},"spokeTo":{"type":"string"},"advice":{"enum":["continue-caf","social-care-lead","no-further-action"]},"adviceNote":{"type":"string"},"reference":{"type":"string"},"episodeId":uuid,"preAssessmentId":uuid},["spokeTo","advice","adviceNote"]),
 "SafeguardingCall": obj({"id":uuid,"childId":uuid,"episodeId":{"oneOf":[uuid,{"type":"null"}]},"preAssessmentId":{"oneOf":[uuid,{"type":"null"}]},"caller":ref("Contact"),"calledAt":dt,"spokeTo":{"type":"string"},"advice":{"enum":["continue-caf","social-care-lead","no-further-action"]},"cafContinues":{"type":"boolean"},"adviceNote":{"type":"string"},"reference":{"type":"string"},"followUpDue":dt,"followUpSentAt":{"oneOf":[dt,{"type":"null"}]},"followUp":{"enum":["sent","due","overdue"]},"socialCare":ref("SocialCareContacts")},["id","childId","caller","calledAt","spokeTo","advice","cafContinues","adviceNote","reference","followUpDue","followUp","socialCare"]),
 "SafeguardingCallList": obj({"calls":{"type":"array","items":ref("SafeguardingCall")}},["calls"]),
 "FollowUpRequest": obj({"sentAt":{**dt,"description":"When the written follow-up was sent; now when omitted"}}),
 "ConsentScope": obj({"store":{"type":"boolean","description":"Consent to store the assessment; required to start a CAF"},"shareWithAgencyTypes":{"type":"array","items":{"enum":AGENCY}}},["store","shareWithAgencyTypes"]),
 "ConsentRequest": obj({"givenBy":{"enum":["child","parent","both"]},"name":{"type":"string"},"relationship":{"type":"string","description":"Required unless the child consented alone"},"method":{"enum":["written","verbal","electronic"]},"scope":ref("ConsentScope")},["givenBy","name","method","scope"]),
 "EpisodeCreate": obj({"consent":ref("ConsentRequest")},["consent"]),
 "Consent": obj({"kind":{"enum":["given","withdrawn","override"],"description":"given (or given again with a new scope), withdrawn (sharing stops, the record is frozen), override (shared without consent in the public interest)"},"reason":{"type":"string","description":"A withdrawal's note or an override's reason"},"givenBy":{"enum":["child","parent","both"]},"name":{"type":"string"},"relationship":{"type":"string"},"method":{"enum":["written","verbal","electronic"]},"scope":ref("ConsentScope"),"recordedAt":dt},["kind","reason","givenBy","name","relationship","method","scope","recordedAt"]),
 "ConsentChange": obj({"kind":{"enum":["given","withdrawn","override"]},"reason":{"type":"string","description":"Required to withdraw or override"},"consent":{**ref("ConsentRequest"),"description":"For kind given: who gave it, how, and the new scope"}},["kind"]),
 "ConsentRefusalRequest": obj({"givenBy":{"enum":["child","parent","both"]},"name":{"type":"string"},"note":{"type":"string","maxLength":2000}},["givenBy","name","note"]),
 "ConsentRefusal": obj({"id":uuid,"childId":uuid,"givenBy":{"enum":["child","parent","both"]},"name":{"type":"string"},"note":{"type":"string"},"recordedAt":dt},["id","childId","givenBy","name","note","recordedAt"]),
 "AssessmentVersion": obj({"version":{"type":"integer"},"status":{"enum":["draft","completed"]},"createdAt":dt,"updatedAt":dt,"completedAt":dt},["version","status"]),
 "Episode": obj({"id":uuid,"status":{"enum":["open","closed"]},"child":ref("Child"),"localAuthorityId":uuid,"openedAt":dt,"author":ref("Contact"),"leadProfessional":{"oneOf":[ref("Contact"),{"type":"null"}]},"sharedWith":{"type":"array","items":ref("Contact")},"consent":ref("Consent"),"consentHistory":{"type":"array","items":ref("Consent"),"description":"Every consent decision, oldest first; the last governs"},"assessment":ref("AssessmentVersion"),"access":{"enum":["author","lead-professional","shared","coordinator","manager","safeguarding"],"description":"Why the caller may read this episode"}},["id","status","child","localAuthorityId","openedAt","author","sharedWith","consent","consentHistory","assessment","access"]),
 "EpisodeList": obj({"episodes":{"type":"array","items":obj({"id":uuid,"status":{"enum":["open","closed"]},"childId":uuid,"childName":{"type":"string"},"openedAt":dt,"leadProfessional":{"type":["string","null"]}},["id","status","childId","childName","openedAt"])}},["episodes"]),
 "Level": {"description":"Level of need: 0 none, 1 met by universal services, 2 additional, 3 complex; or \"not-assessed\". Numbers or strings are accepted; responses use strings.","oneOf":[{"type":"integer","enum":[0,1,2,3]},{"type":"string","enum":["0","1","2","3","not-assessed"]}]},
 "ElementAssessment": obj({"code":{"enum":CODES},"strengths":{"type":"string","maxLength":10000},"needs":{"type":"string","maxLength":10000},"level":{"oneOf":[ref("Level"),{"type":"null"}]},"harmConcern":{"type":"boolean","description":"A concern of significant harm: phone children's social care now"}},["code"]),
 "AssessmentContent": obj({"peoplePresent":{"type":"string"},"reasonForAssessment":{"type":"string","description":"Required to complete"},"elements":{"type":"array","items":ref("ElementAssessment"),"description":"Elements left out are blank; each code at most once"},"childViews":{"type":"string"},"parentViews":{"type":"string"},"conclusions":{"type":"string"}}),
 "Assessment": {"allOf":[ref("AssessmentContent"), obj({"episodeId":uuid,"version":{"type":"integer"},"status":{"enum":["draft","completed"]},"createdAt":dt,"updatedAt":dt,"completedAt":dt},["episodeId","version","status","elements"])]},
 "AssessmentVersions": obj({"versions":{"type":"array","items":ref("AssessmentVersion")}},["versions"]),
 "ShareRequest": obj({"practitionerEmail":{"type":"string","format":"email"}},["practitionerEmail"]),
 "Share": obj({"episodeId":uuid,"practitioner":ref("Contact"),"sharedAt":dt},["episodeId","practitioner","sharedAt"]),
 "AuditEvent": obj({"id":uuid,"occurredAt":dt,"actorId":{"oneOf":[uuid,{"type":"null"}]},"actorEmail":{"type":"string"},"actorRoles":{"type":"array","items":{"type":"string"}},"action":{"type":"string","examples":["view-episode","search-children","share-episode"]},"childId":{"oneOf":[uuid,{"type":"null"}]},"episodeId":{"oneOf":[uuid,{"type":"null"}]},"outcome":{"enum":["allowed","denied","failed"]},"detail":{"type":"string"}},["id","occurredAt","actorEmail","actorRoles","action","outcome","detail"]),
 "Audit": obj({"events":{"type":"array","items":ref("AuditEvent")}},["events"]),
}
MSG = {200:"OK",201:"Created",204:"No content",400:"Malformed JSON",401:"No valid bearer token",403:"Not allowed: the message names whom to contact",404:"No such resource",409:"The assessment is completed and cannot change",413:"Body larger than 256 kB",415:"Body is not application/json",422:"A field is missing or invalid: `field` names it"}
def responses(ok, okschema=None, errors=()):
    r = {}
    for code in ok:
        r[str(code)] = {"description": MSG[code]}
        if okschema and code != 204: r[str(code)]["content"] = {"application/json":{"schema":ref(okschema)}}
    for code in errors:
        r[str(code)] = {"description": MSG[code], "content":{"application/json":{"schema":ref("Error")}}}
    return r
def body(schema, example):
    return {"required":True,"content":{"application/json":{"schema":ref(schema),"example":example}}}
idp = [{"name":"id","in":"path","required":True,"schema":uuid}]
sec = [{"bearer":[]}]
CONSENT_EX = {"consent":{"givenBy":"parent","name":"Sue Evans","relationship":"Mother","method":"written","scope":{"store":True,"shareWithAgencyTypes":["health","education"]}}}
P = {
 "/api/v1/auth/token": {
   "post": {"operationId":"createToken","summary":"Sign in: exchange e-mail and password for a bearer token (12 hours)","security":[],"requestBody":body("TokenRequest",{"email":"amy@demo.test","password":"your-password"}),"responses":responses([201],"Token",[400,401,413,415,422])},
   "delete": {"operationId":"deleteToken","summary":"Sign out: end this token at once","responses":responses([204],None,[401])}},
 "/api/v1/me": {"get":{"operationId":"me","summary":"Who the token belongs to","responses":responses([200],"Me",[401])}},
 "/api/v1/children": {
   "get":{"operationId":"searchChildren","summary":"Search the child index by name (parts of names, any order, case-insensitive) and/or date of birth; audited with the ids returned","parameters":[{"name":"q","in":"query","schema":{"type":"string"}},{"name":"dob","in":"query","schema":date}],"responses":responses([200],"ChildSearch",[401,403,422])},
   "post":{"operationId":"registerChild","summary":"Register a child in the index","requestBody":body("ChildCreate",{"givenName":"Lily","familyName":"Evans","dateOfBirth":"2016-05-01","gender":"female","postcode":"CB1 2AB"}),"responses":responses([201],"Child",[400,401,403,413,415,422])}},
 "/api/v1/children/{id}": {"parameters":idp,"get":{"operationId":"readChild","summary":"A child's index record: basic details, who is involved, CAF episodes and whom to contact","responses":responses([200],"ChildRecord",[401,403,404])}},
 "/api/v1/children/{id}/episodes": {"parameters":idp,"post":{"operationId":"openEpisode","summary":"Record consent and open a CAF episode with a first draft assessment","requestBody":body("EpisodeCreate",CONSENT_EX),"responses":responses([201],"Episode",[400,401,403,404,413,415,422])}},
 "/api/v1/children/{id}/pre-assessments": {"parameters":idp,"post":{"operationId":"recordPreAssessment","summary":"The pre-assessment checklist: answers in, one recorded decision out (safeguarding when harm is feared)","requestBody":body("PreAssessmentRequest",{"harmConcern":False,"worriedOutcomes":["enjoying-and-achieving"],"familyAskedForHelp":True,"ownServiceCanMeet":False,"needsUnclearOrBroad":True,"reason":"Attendance has fallen and mum has asked for help with sleep and routines."}),"responses":responses([201],"PreAssessment",[400,401,403,404,413,415,422])}},
 "/api/v1/children/{id}/safeguarding-calls": {"parameters":idp,"post":{"operationId":"recordSafeguardingCall","summary":"Record a call already made to the child's LA children's social care (their numbers are in the child record's socialCare); the written follow-up falls due by the LA's setting","requestBody":body("SafeguardingCallRequest",{"spokeTo":"Duty social worker, MASH","advice":"continue-caf","adviceNote":"Not a child protection matter; carry on with early help and keep us informed.","reference":"MASH-2026-0042"}),"responses":responses([201],"SafeguardingCall",[400,401,403,404,413,415,422])}},
 "/api/v1/safeguarding-calls": {"get":{"operationId":"listSafeguardingCalls","summary":"The caller's own calls; for coordinators and safeguarding staff, every call to their LA","parameters":[{"name":"open","in":"query","schema":{"type":"boolean","default":False},"description":"Only calls whose follow-up is not sent"}],"responses":responses([200],"SafeguardingCallList",[401,403])}},
 "/api/v1/safeguarding-calls/{id}": {"parameters":idp,"get":{"operationId":"readSafeguardingCall","summary":"One call, for its caller and the LA's coordinators and safeguarding staff","responses":responses([200],"SafeguardingCall",[401,403,404])}},
 "/api/v1/safeguarding-calls/{id}/follow-up": {"parameters":idp,"post":{"operationId":"recordFollowUp","summary":"Record that the written follow-up was sent (the caller or the LA's coordinator)","requestBody":body("FollowUpRequest",{}),"responses":responses([200],"SafeguardingCall",[400,401,403,404,413,415,422])}},
 "/api/v1/children/{id}/consent-refusals": {"parameters":idp,"post":{"operationId":"recordConsentRefusal","summary":"Record that the family refused consent: only who refused and the note are kept, and no episode opens","requestBody":body("ConsentRefusalRequest",{"givenBy":"parent","name":"Sue Evans","note":"Does not want the school involved at home for now."}),"responses":responses([201],"ConsentRefusal",[400,401,403,404,413,415,422])}},
 "/api/v1/episodes/{id}/consents": {"parameters":idp,"post":{"operationId":"changeConsent","summary":"Consent given again with a new scope, withdrawn (author, lead professional or coordinator), or overridden in the public interest (coordinator or safeguarding lead of the episode's LA, with a reason)","requestBody":body("ConsentChange",{"kind":"withdrawn","reason":"Mum phoned to say she no longer wants information shared."}),"responses":responses([201],"Consent",[400,401,403,404,413,415,422])}},
 "/api/v1/episodes": {"get":{"operationId":"listEpisodes","summary":"Episodes the caller works on (mine=true, the default); a coordinator with mine=false sees their LA's","parameters":[{"name":"mine","in":"query","schema":{"type":"boolean","default":True}}],"responses":responses([200],"EpisodeList",[401,403])}},
 "/api/v1/episodes/{id}": {"parameters":idp,"get":{"operationId":"readEpisode","summary":"An episode, for its team and its LA's coordinators","responses":responses([200],"Episode",[401,403,404])}},
 "/api/v1/episodes/{id}/assessment": {"parameters":idp,
   "get":{"operationId":"readAssessment","summary":"The latest assessment version, every element in form order","responses":responses([200],"Assessment",[401,403,404])},
   "put":{"operationId":"saveAssessment","summary":"Replace the draft's content (author or lead professional)","requestBody":body("AssessmentContent",{"reasonForAssessment":"Attendance has fallen to 80%","elements":[{"code":"dev.selfcare","strengths":"Dresses herself","needs":"Often late","level":2,"harmConcern":False}]}),"responses":responses([200],"Assessment",[400,401,403,404,409,413,415,422])}},
 "/api/v1/episodes/{id}/assessment/complete": {"parameters":idp,"post":{"operationId":"completeAssessment","summary":"Complete the saved draft: every element needs a level or not-assessed; the version then never changes","responses":responses([200],"Assessment",[401,403,404,409,422])}},
 "/api/v1/episodes/{id}/assessments": {"parameters":idp,"get":{"operationId":"listAssessmentVersions","summary":"Every assessment version","responses":responses([200],"AssessmentVersions",[401,403,404])}},
 "/api/v1/episodes/{id}/shares": {"parameters":idp,"post":{"operationId":"shareEpisode","summary":"Share with a named practitioner whose agency type the consent covers","requestBody":body("ShareRequest",{"practitionerEmail":"ben@demo.test"}),"responses":responses([201],"Share",[400,401,403,404,413,415,422])}},
 "/api/v1/audit": {"get":{"operationId":"readAudit","summary":"Who has seen this child: every audited event about a child and its episodes (the child's LA coordinators only)","parameters":[{"name":"childId","in":"query","schema":uuid},{"name":"episodeId","in":"query","schema":uuid}],"responses":responses([200],"Audit",[401,403,404,422])}},
 "/api/v1/openapi.json": {"get":{"operationId":"openAPI","summary":"This document","security":[],"responses":{"200":{"description":"OK","content":{"application/json":{"schema":{"type":"object"}}}}}}},
 "/health": {"get":{"operationId":"health","summary":"The process is up","security":[],"responses":{"200":{"description":"OK","content":{"text/plain":{"schema":{"type":"string"}}}}}}},
 "/ready": {"get":{"operationId":"ready","summary":"The database answers","security":[],"responses":{"200":{"description":"OK","content":{"text/plain":{"schema":{"type":"string"}}}},"503":{"description":"The database does not answer"}}}},
}
doc = {"openapi":"3.1.0","info":{"title":"eCAF API","version":"1.0.0","description":"The electronic Common Assessment Framework. JSON over HTTPS with bearer tokens from POST /api/v1/auth/token. Errors are {\"error\": {\"code\", \"message\", \"field\"}}. Every read and change of a child's data is audited."},
 "servers":[{"url":"/"}],"security":sec,"paths":P,"components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}},"schemas":S}}
import sys
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "App", "Resources", "openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
