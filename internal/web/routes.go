package web

import "net/http"

// route is one entry of the routing table. Tests read the table to check
// that every route is documented in the OpenAPI document.
type route struct {
	pattern string
	handler http.Handler
}

// routes lists every route of the server, in one place: one function per
// capability, each listing its API routes and then its pages.
func (s *Server) routes() []route {
	var all []route
	for _, group := range [][]route{
		s.operationsRoutes(),
		s.directoryRoutes(),
		s.accountsRoutes(),
		s.facilitiesRoutes(),
		s.callsRoutes(),
		s.matchingRoutes(),
		s.projectsRoutes(),
		s.linkingRoutes(),
		s.inquiriesRoutes(),
		s.practicesRoutes(),
		s.exchangesRoutes(),
		s.eventsRoutes(),
		s.governanceRoutes(),
		s.postingsRoutes(),
	} {
		all = append(all, group...)
	}
	return all
}

// operationsRoutes: health, metrics, the API description, static files and the language switch.
func (s *Server) operationsRoutes() []route {
	return []route{
		{"GET /healthz", api(s.handleHealth)},
		{"GET /readyz", api(s.handleReady)},
		{"GET /metrics", s.handleMetrics()},
		{"GET /api/openapi.json", api(s.handleOpenAPI)},
		{"GET /language/{lang}", http.HandlerFunc(s.handleLanguage)},
		{"GET /static/{file}", http.HandlerFunc(s.handleStatic)},
	}
}

// directoryRoutes: clusters, organisations, people, capabilities, search and export.
func (s *Server) directoryRoutes() []route {
	return []route{
		{"GET /api/v1/clusters", api(s.apiListClusters)},
		{"POST /api/v1/clusters", api(s.apiCreateCluster)},
		{"GET /api/v1/clusters/{id}", api(s.apiGetCluster)},
		{"PUT /api/v1/clusters/{id}", api(s.apiUpdateCluster)},
		{"DELETE /api/v1/clusters/{id}", api(s.apiDeleteCluster)},
		{"GET /api/v1/organisations", api(s.apiListOrganisations)},
		{"POST /api/v1/organisations", api(s.apiCreateOrganisation)},
		{"GET /api/v1/organisations/{id}", api(s.apiGetOrganisation)},
		{"PUT /api/v1/organisations/{id}", api(s.apiUpdateOrganisation)},
		{"DELETE /api/v1/organisations/{id}", api(s.apiDeleteOrganisation)},
		{"GET /api/v1/people", api(s.apiListPeople)},
		{"POST /api/v1/people", api(s.apiCreatePerson)},
		{"GET /api/v1/people/{id}", api(s.apiGetPerson)},
		{"PUT /api/v1/people/{id}", api(s.apiUpdatePerson)},
		{"DELETE /api/v1/people/{id}", api(s.apiDeletePerson)},
		{"GET /api/v1/capabilities", api(s.apiListCapabilities)},
		{"POST /api/v1/capabilities", api(s.apiCreateCapability)},
		{"GET /api/v1/capabilities/{code}", api(s.apiGetCapability)},
		{"PUT /api/v1/capabilities/{code}", api(s.apiUpdateCapability)},
		{"DELETE /api/v1/capabilities/{code}", api(s.apiDeleteCapability)},
		{"POST /api/v1/organisations/{id}/membership-requests", api(s.apiRequestMembership)},
		{"GET /api/v1/membership-requests", api(s.apiListMembershipRequests)},
		{"GET /api/v1/membership-requests/{id}", api(s.apiGetMembershipRequest)},
		{"POST /api/v1/membership-requests/{id}/decision", api(s.apiDecideMembershipRequest)},
		{"GET /api/v1/export/organisations.csv", api(s.exportOrganisations)},
		{"GET /api/v1/search", api(s.apiSearch)},
		{"GET /api/v1/suggest", api(s.apiSuggest)},
		{"GET /{$}", s.page(s.pageHome)},
		{"GET /search", s.page(s.pageSearch)},
		{"GET /clusters", s.page(s.pageClusters)},
		{"GET /clusters/{slug}", s.page(s.pageCluster)},
		{"GET /organisations", s.page(s.pageOrganisations)},
		{"GET /organisations/{slug}", s.page(s.pageOrganisation)},
		{"GET /people", s.page(s.pagePeople)},
		{"GET /people/{id}", s.page(s.pagePerson)},
		{"GET /capabilities", s.page(s.pageCapabilities)},
		{"GET /capabilities/{code}", s.page(s.pageCapability)},
		{"GET /organisations/new", s.page(s.pageNewOrganisation)},
		{"POST /organisations/new", s.page(s.postNewOrganisation)},
		{"GET /organisations/{slug}/edit", s.page(s.pageEditOrganisation)},
		{"POST /organisations/{slug}/edit", s.page(s.postEditOrganisation)},
		{"GET /clusters/new", s.page(s.pageNewCluster)},  // clusters_pages.go
		{"POST /clusters/new", s.page(s.postNewCluster)}, // clusters_pages.go
		{"GET /clusters/{slug}/edit", s.page(s.pageEditCluster)},
		{"POST /clusters/{slug}/edit", s.page(s.postEditCluster)},
		{"GET /people/{id}/edit", s.page(s.pageEditPerson)},
		{"POST /people/{id}/edit", s.page(s.postEditPerson)},
		{"POST /organisations/{slug}/membership-requests", s.page(s.postRequestMembership)},
		{"GET /membership-requests", s.page(s.pageMembershipRequests)},
		{"POST /membership-requests/{id}/decide", s.page(s.postDecideMembershipRequest)},
	}
}

// accountsRoutes: sign-in, resets, invitations, tokens, users, roles and the audit log.
func (s *Server) accountsRoutes() []route {
	return []route{
		{"GET /api/v1/me", api(s.apiMe)},
		{"DELETE /api/v1/me", api(s.apiDeleteMe)},
		{"GET /api/v1/me/export", api(s.exportPersonal)},
		{"GET /api/v1/tokens", api(s.apiListTokens)},
		{"POST /api/v1/tokens", api(s.apiCreateToken)},
		{"DELETE /api/v1/tokens/{id}", api(s.apiRevokeToken)},
		{"POST /api/v1/invitations", api(s.apiCreateInvitation)},
		{"GET /api/v1/users", api(s.apiListUsers)},
		{"PUT /api/v1/users/{id}/roles", api(s.apiSetRoles)},
		{"GET /api/v1/audit", api(s.apiAudit)},
		{"GET /organisations/{slug}/invite", s.page(s.pageInvite)},
		{"POST /organisations/{slug}/invite", s.page(s.postInvite)},
		{"GET /login", s.page(s.pageLogin)},
		{"POST /login", s.page(s.postLogin)},
		{"POST /logout", s.page(s.postLogout)},
		{"GET /reset", s.page(s.pageResetRequest)},
		{"POST /reset", s.page(s.postResetRequest)},
		{"GET /reset/{token}", s.page(s.pageReset)},
		{"POST /reset/{token}", s.page(s.postReset)},
		{"GET /invitations/{token}", s.page(s.pageInvitation)},
		{"POST /invitations/{token}", s.page(s.postInvitation)},
		{"GET /account", s.page(s.pageAccount)},
		{"POST /account/tokens", s.page(s.postAccountToken)},
		{"POST /account/tokens/{id}/revoke", s.page(s.postRevokeToken)},
		{"GET /account/export", s.page(s.exportPersonal)},
		{"POST /account/delete", s.page(s.postDeleteAccount)},
		{"GET /admin/users", s.page(s.pageUsers)},
		{"POST /admin/users/{id}/roles", s.page(s.postUserRoles)},
		{"GET /admin/audit", s.page(s.pageAudit)},
	}
}

// facilitiesRoutes: facilities, resources, availability, bookings, usage and calendar feeds.
func (s *Server) facilitiesRoutes() []route {
	return []route{
		{"GET /api/v1/facilities", api(s.apiListFacilities)},
		{"POST /api/v1/facilities", api(s.apiCreateFacility)},
		{"GET /api/v1/facilities/{id}", api(s.apiGetFacility)},
		{"PUT /api/v1/facilities/{id}", api(s.apiUpdateFacility)},
		{"DELETE /api/v1/facilities/{id}", api(s.apiDeleteFacility)},
		{"GET /api/v1/facilities/{id}/resources", api(s.apiListResources)},
		{"POST /api/v1/facilities/{id}/resources", api(s.apiCreateResource)},
		{"PUT /api/v1/resources/{id}", api(s.apiUpdateResource)},
		{"DELETE /api/v1/resources/{id}", api(s.apiDeleteResource)},
		{"POST /api/v1/facilities/{id}/blackouts", api(s.apiCreateBlackout)},
		{"DELETE /api/v1/blackouts/{id}", api(s.apiDeleteBlackout)},
		{"GET /api/v1/facilities/{id}/approvers", api(s.apiListApprovers)},
		{"PUT /api/v1/facilities/{id}/approvers", api(s.apiSetApprovers)},
		{"GET /api/v1/facilities/{id}/availability", api(s.apiAvailability)},
		{"GET /api/v1/facilities/{id}/usage", api(s.apiFacilityUsage)},
		{"GET /api/v1/facilities/{id}/usage.csv", api(s.apiFacilityUsageCSV)},
		{"GET /api/v1/clusters/{id}/usage", api(s.apiClusterUsage)},
		{"GET /api/v1/clusters/{id}/usage.csv", api(s.apiClusterUsageCSV)},
		{"GET /api/v1/slots", api(s.apiSearchSlots)},
		{"GET /api/v1/bookings", api(s.apiListBookings)},
		{"POST /api/v1/bookings", api(s.apiCreateBooking)},
		{"GET /api/v1/bookings/{id}", api(s.apiGetBooking)},
		{"POST /api/v1/bookings/{id}/approve", api(s.apiBookingAction("approve"))},
		{"POST /api/v1/bookings/{id}/decline", api(s.apiBookingAction("decline"))},
		{"POST /api/v1/bookings/{id}/confirm", api(s.apiBookingAction("confirm"))},
		{"POST /api/v1/bookings/{id}/cancel", api(s.apiBookingAction("cancel"))},
		{"POST /api/v1/bookings/{id}/complete", api(s.apiBookingAction("complete"))},
		{"GET /api/v1/calendars", api(s.apiListCalendars)},
		{"POST /api/v1/calendars", api(s.apiCreateCalendar)},
		{"DELETE /api/v1/calendars/{id}", api(s.apiRevokeCalendar)},
		{"GET /calendar/{token}", api(s.handleCalendarFeed)},
		{"GET /facilities", s.page(s.pageFacilities)},
		{"GET /facilities/{slug}", s.page(s.pageFacility)},
		{"GET /facilities/{slug}/book", s.page(s.pageBook)},
		{"POST /facilities/{slug}/book", s.page(s.postBook)},
		{"GET /facilities/{slug}/usage", s.page(s.pageFacilityUsage)},
		{"GET /facilities/new", s.page(s.pageNewFacility)},
		{"POST /facilities/new", s.page(s.postNewFacility)},
		{"GET /facilities/{slug}/edit", s.page(s.pageEditFacility)},
		{"POST /facilities/{slug}/edit", s.page(s.postEditFacility)},
		{"GET /facilities/{slug}/resource", s.page(s.pageResourceForm)},
		{"POST /facilities/{slug}/resource", s.page(s.postResourceForm)},
		{"POST /facilities/{slug}/closures", s.page(s.postFacilityClosures)},
		{"POST /facilities/{slug}/approvers", s.page(s.postFacilityApprovers)},
		{"GET /facilities/{slug}/week", s.page(s.pageFacilityWeek)},
		{"GET /clusters/{slug}/usage", s.page(s.pageClusterUsage)},
		{"GET /slots", s.page(s.pageSlots)},
		{"GET /bookings", s.page(s.pageBookings)},
		{"GET /bookings/{id}", s.page(s.pageBooking)},
		{"POST /bookings/{id}", s.page(s.postBookingAction)},
		{"POST /calendars", s.page(s.postCalendar)},
	}
}

// callsRoutes: call topics and their eligibility rules.
func (s *Server) callsRoutes() []route {
	return []route{
		{"GET /api/v1/calls", api(s.apiListCalls)},
		{"POST /api/v1/calls", api(s.apiCreateCall)},
		{"GET /api/v1/calls/{id}", api(s.apiGetCall)},
		{"PUT /api/v1/calls/{id}", api(s.apiUpdateCall)},
		{"DELETE /api/v1/calls/{id}", api(s.apiDeleteCall)},
		{"GET /calls", s.page(s.pageCalls)},
		{"GET /calls/new", s.page(s.pageNewCall)},
		{"POST /calls/new", s.page(s.postNewCall)},
		{"GET /calls/{id}", s.page(s.pageCall)},
		{"GET /calls/{id}/edit", s.page(s.pageEditCall)},
		{"POST /calls/{id}/edit", s.page(s.postEditCall)},
		{"POST /calls/{id}/delete", s.page(s.postDeleteCall)},
		{"POST /calls/{id}/rules", s.page(s.postAddRule)},
		{"POST /calls/{id}/rules/{n}", s.page(s.postRule)},
		{"GET /calls/{id}/partners", s.page(s.pageCallPartners)},
		{"GET /calls/{id}/consortium", s.page(s.pageCallConsortium)},
		// Following the calls that match one's organisation
		// (callsx_api.go).
		{"GET /api/v1/following/calls", api(s.apiFollowingCalls)},
		{"POST /api/v1/following/calls/feed", api(s.apiNewCallsFeed)},
		{"PUT /api/v1/following/calls/digest", api(s.apiCallsDigest)},
		{"GET /feeds/calls/{token}", api(s.handleCallsFeed)},
		{"GET /following/calls", s.page(s.pageFollowingCalls)},
		{"POST /following/calls", s.page(s.postFollowingCalls)},
	}
}

// matchingRoutes: the partner finder and the consortium builder.
func (s *Server) matchingRoutes() []route {
	return []route{
		{"POST /api/v1/partners", api(s.apiPartners)},
		{"POST /api/v1/consortia", api(s.apiConsortia)},
		{"GET /partners", s.page(s.pagePartners)},
	}
}

// projectsRoutes: EU projects, track records, merges and the CORDIS import.
func (s *Server) projectsRoutes() []route {
	return []route{
		{"GET /api/v1/projects", api(s.apiListProjects)},
		{"GET /api/v1/projects/{id}", api(s.apiGetProject)},
		{"GET /api/v1/organisations/{id}/track-record", api(s.apiTrackRecord)},
		{"GET /api/v1/merge-candidates", api(s.apiMergeCandidates)},
		{"GET /api/v1/merges", api(s.apiListMerges)},
		{"POST /api/v1/merges", api(s.apiMerge)},
		{"DELETE /api/v1/merges/{id}", api(s.apiUndoMerge)},
		{"POST /api/v1/distinct-organisations", api(s.apiMarkDistinct)},
		{"GET /projects", s.page(s.pageProjects)},
		{"GET /projects/{id}", s.page(s.pageProject)},
		{"GET /admin/merges", s.page(s.pageMerges)},
		{"POST /admin/merges", s.page(s.postMerges)},
		{"GET /admin/import", s.page(s.pageImport)},
		{"POST /admin/import", s.page(s.postImport)},
	}
}

// linkingRoutes: organisations and their EU (CORDIS) records — the
// linker's findings, links, claims and invitations to join.
func (s *Server) linkingRoutes() []route {
	return []route{
		{"GET /api/v1/organisations/{id}/links", api(s.apiLinkCandidates)},
		{"POST /api/v1/organisations/{id}/links", api(s.apiLink)},
		{"POST /api/v1/organisations/{id}/claim", api(s.apiClaim)},
		{"POST /api/v1/organisations/{id}/join-invitations", api(s.apiInvite)},
		{"GET /api/v1/cordis-matches", api(s.apiCordisMatches)},
		{"POST /api/v1/links/run", api(s.apiLinkRun)},
		{"POST /organisations/{slug}/claim", s.page(s.postClaim)},
		{"POST /organisations/{slug}/join-invitations", s.page(s.postJoinInvitation)},
	}
}

// inquiriesRoutes: the contact point — asking, following a case by its
// private link, the desk's and the experts' work, statistics.
func (s *Server) inquiriesRoutes() []route {
	return []route{
		{"POST /api/v1/inquiries", api(s.apiAsk)},
		{"GET /api/v1/inquiries", api(s.apiListInquiries)},
		{"GET /api/v1/inquiries/stats", api(s.apiInquiryStats)},
		{"GET /api/v1/inquiries/stats.csv", api(s.apiInquiryStatsCSV)},
		{"GET /api/v1/inquiries/{id}", api(s.apiGetInquiry)},
		{"GET /api/v1/inquiries/{id}/suggestions", api(s.apiInquirySuggestions)},
		{"POST /api/v1/inquiries/{id}/{step}", api(s.apiInquiryStep)},
		{"POST /api/v1/inquiries/{id}/messages", api(s.apiInquiryMessage)},
		{"GET /api/v1/inquiry-attachments/{id}", api(s.apiInquiryAttachment)},
		{"GET /api/v1/clusters/{id}/desk", api(s.apiGetDesk)},
		{"PUT /api/v1/clusters/{id}/desk", api(s.apiSetDesk)},
		{"PUT /api/v1/people/{id}/expert", api(s.apiSetExpert)},
		{"GET /ask", s.page(s.pageAsk)},
		{"POST /ask", s.page(s.postAsk)},
		{"GET /inquiries/follow/{token}", s.page(s.pageFollow)},
		{"POST /inquiries/follow/{token}", s.page(s.postFollow)},
		{"GET /inquiries/follow/{token}/files/{id}", s.page(s.followAttachment)},
		{"GET /inquiries/follow/{token}/export", s.page(s.followExport)},
		{"GET /inquiries", s.page(s.pageInquiries)},
		{"GET /inquiries/stats", s.page(s.pageInquiryStats)},
		{"GET /inquiries/{id}", s.page(s.pageInquiry)},
		{"POST /inquiries/{id}", s.page(s.postInquiry)},
		{"GET /inquiries/files/{id}", s.page(s.inquiryAttachment)},
		{"GET /clusters/{slug}/desk", s.page(s.pageDesk)},  // inquiries_desk.go
		{"POST /clusters/{slug}/desk", s.page(s.postDesk)}, // inquiries_desk.go
	}
}

// governanceRoutes: clusters applying to join the alliance and the
// criteria they are judged by; the Letter of Commitment and its signatures.
func (s *Server) governanceRoutes() []route {
	return []route{
		{"GET /api/v1/join/criteria", api(s.apiGetCriteria)},
		{"PUT /api/v1/join/criteria", api(s.apiSetCriteria)},
		{"POST /api/v1/applications", api(s.apiSubmitApplication)},
		{"GET /api/v1/applications", api(s.apiListApplications)},
		{"GET /api/v1/applications/{id}", api(s.apiGetJoinApplication)},
		{"POST /api/v1/applications/{id}/notes", api(s.apiApplicationNote)},
		{"POST /api/v1/applications/{id}/decision", api(s.apiDecideApplication)},
		{"GET /api/v1/join/{token}", api(s.apiApplicantView)},
		{"POST /api/v1/join/{token}/reply", api(s.apiApplicantReply)},
		{"GET /api/v1/letter", api(s.apiListLetters)},
		{"POST /api/v1/letter", api(s.apiPublishLetter)},
		{"GET /api/v1/letter/{id}", api(s.apiGetLetter)},
		{"POST /api/v1/letter/{id}/signatures", api(s.apiSignLetter)},
		{"GET /api/v1/roadmap", api(s.apiRoadmap)},
		{"POST /api/v1/roadmap", api(s.apiAddRoadmapItem)},
		{"POST /api/v1/roadmap/{id}/status", api(s.apiRoadmapStatus)},
		{"PUT /api/v1/roadmap/{id}", api(s.apiUpdateRoadmapItem)},
		{"GET /join", s.page(s.pageJoin)},
		{"POST /join", s.page(s.postJoin)},
		{"GET /join/{token}", s.page(s.pageApplicant)},
		{"POST /join/{token}", s.page(s.postApplicant)},
		{"GET /admin/applications", s.page(s.pageApplications)},
		{"POST /admin/applications/criteria", s.page(s.postCriteria)},
		{"GET /admin/applications/{id}", s.page(s.pageApplication)},
		{"POST /admin/applications/{id}", s.page(s.postApplication)},
		{"GET /letter", s.page(s.pageLetter)},
		{"POST /letter/{id}/sign", s.page(s.postSignLetter)},
		{"GET /roadmap", s.page(s.pageRoadmap)},
		{"GET /roadmap/new", s.page(s.pageNewRoadmapItem)},
		{"POST /roadmap/new", s.page(s.postNewRoadmapItem)},
		{"GET /roadmap/{id}/edit", s.page(s.pageEditRoadmapItem)},
		{"POST /roadmap/{id}/edit", s.page(s.postEditRoadmapItem)},
		{"POST /roadmap/{id}/status", s.page(s.postRoadmapItemStatus)},
	}
}

func (s *Server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, tagRoute(rt.pattern, rt.handler))
	}
	// Anything else under /api answers in problem+json, not with the HTML
	// not-found page.
	mux.Handle("/api/", api(func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{status: http.StatusNotFound, title: "Not found", detail: "No such API route."}
	}))
	mux.Handle("/", s.page(func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{status: http.StatusNotFound, title: "Not found", detail: "There is no page at this address."}
	}))
	return mux
}

// practicesRoutes: the practices library, its attachments, summaries and feed.
func (s *Server) practicesRoutes() []route {
	return []route{
		{"GET /api/v1/practices", api(pr(s.apiSearchPractices))},
		{"POST /api/v1/practices", api(pr(s.apiCreatePractice))},
		{"GET /api/v1/practices/{id}", api(pr(s.apiGetPractice))},
		{"PUT /api/v1/practices/{id}", api(pr(s.apiUpdatePractice))},
		{"DELETE /api/v1/practices/{id}", api(pr(s.apiDeletePractice))},
		{"POST /api/v1/practices/{id}/texts", api(pr(s.apiAddPracticeText))},
		{"GET /api/v1/practices/{id}/history", api(pr(s.apiPracticeHistory))},
		{"GET /api/v1/practices/{id}/comments", api(pr(s.apiPracticeComments))},
		{"POST /api/v1/practices/{id}/comments", api(pr(s.apiAddPracticeComment))},
		{"POST /api/v1/practices/{id}/attachments", api(pr(s.apiAddPracticeAttachment))},
		{"GET /api/v1/practices/{id}/attachments/{att}", api(pr(s.downloadAttachment))},
		{"PUT /api/v1/practices/{id}/summary", api(pr(s.apiPublishSummary))},
		{"DELETE /api/v1/practices/{id}/summary", api(pr(s.apiWithdrawSummary))},
		{"GET /api/v1/practice-summaries/{id}", api(pr(s.apiGetSummary))},
		{"GET /practices", s.page(pr(s.pagePractices))},
		{"GET /practices/feed.atom", api(pr(s.practicesFeed))},
		{"GET /practices/new", s.page(pr(s.pageNewPractice))},
		{"POST /practices/new", s.page(pr(s.postNewPractice))},
		{"GET /practices/{id}", s.page(pr(s.pagePractice))},
		{"POST /practices/{id}/texts", s.page(pr(s.postPracticeText))},
		{"POST /practices/{id}/comments", s.page(pr(s.postPracticeComment))},
		{"POST /practices/{id}/attachments", s.page(pr(s.postPracticeAttachment))},
		{"POST /practices/{id}/summary", s.page(pr(s.postPracticeSummary))},
		{"GET /practices/{id}/attachments/{att}", s.page(pr(s.downloadAttachment))},
		{"GET /practice-summaries/{id}", s.page(pr(s.pageSummary))},
	}
}

// exchangesRoutes: the exchange of people: offers, requests, matches and
// the course of an application, over the API and as pages.
func (s *Server) exchangesRoutes() []route {
	return []route{
		{"GET /api/v1/exchange-offers", api(pr(s.apiListOffers))},
		{"POST /api/v1/exchange-offers", api(pr(s.apiCreateOffer))},
		{"POST /api/v1/exchange-offers/{id}/applications", api(pr(s.apiApply))},
		{"GET /api/v1/exchange-requests", api(pr(s.apiListRequests))},
		{"POST /api/v1/exchange-requests", api(pr(s.apiCreateRequest))},
		{"GET /api/v1/exchange-requests/{id}/matches", api(pr(s.apiMatchRequest))},
		{"GET /api/v1/exchange-applications/{id}", api(pr(s.apiGetApplication))},
		{"POST /api/v1/exchange-applications/{id}/approve", api(pr(s.apiApprove))},
		{"POST /api/v1/exchange-applications/{id}/sign", api(pr(s.apiSign))},
		{"POST /api/v1/exchange-applications/{id}/report", api(pr(s.apiReport))},
		{"POST /api/v1/exchange-applications/{id}/practice", api(pr(s.apiReportToPractice))},
		{"GET /exchanges", s.page(pr(s.pageExchanges))},
		{"GET /exchanges/offers/new", s.page(pr(s.pageNewExchange(true)))},
		{"POST /exchanges/offers/new", s.page(pr(s.postNewOffer))},
		{"GET /exchanges/offers/{id}", s.page(pr(s.pageExchangeOffer))},
		{"POST /exchanges/offers/{id}/apply", s.page(pr(s.postExchangeApply))},
		{"GET /exchanges/requests/new", s.page(pr(s.pageNewExchange(false)))},
		{"POST /exchanges/requests/new", s.page(pr(s.postNewRequest))},
		{"GET /exchanges/requests/{id}", s.page(pr(s.pageExchangeRequest))},
		{"GET /exchanges/applications/{id}", s.page(pr(s.pageExchangeApplication))},
		{"POST /exchanges/applications/{id}/approve", s.page(pr(s.applicationForm(s.postExchangeApprove)))},
		{"POST /exchanges/applications/{id}/sign", s.page(pr(s.applicationForm(s.postExchangeSign)))},
		{"POST /exchanges/applications/{id}/report", s.page(pr(s.applicationForm(s.postExchangeReport)))},
		{"POST /exchanges/applications/{id}/practice", s.page(pr(s.applicationForm(s.postExchangePractice)))},
	}
}

// postingsRoutes: partner search postings and expressions of interest.
func (s *Server) postingsRoutes() []route {
	return []route{
		{"GET /api/v1/postings", api(pr(s.apiListPostings))},
		{"POST /api/v1/postings", api(pr(s.apiCreatePosting))},
		{"GET /api/v1/postings/{id}", api(pr(s.apiGetPosting))},
		{"POST /api/v1/postings/{id}/interests", api(pr(s.apiExpressInterest))},
		{"GET /postings", s.page(pr(s.pagePostings))},
		{"GET /postings/mine", s.page(pr(s.pageMyPostings))},
		{"GET /postings/new", s.page(pr(s.pageNewPosting))},
		{"POST /postings/new", s.page(pr(s.postNewPosting))},
		{"GET /postings/{id}", s.page(pr(s.pagePosting))},
		{"POST /postings/{id}/interests", s.page(pr(s.postInterest))},
	}
}

// eventsRoutes: events, programme, registration, brokerage meetings and agendas.
func (s *Server) eventsRoutes() []route {
	return []route{
		{"GET /api/v1/events", api(s.apiListEvents)},
		{"POST /api/v1/events", api(s.apiCreateEvent)},
		{"GET /api/v1/events/{id}", api(s.apiGetEvent)},
		{"PUT /api/v1/events/{id}", api(s.apiUpdateEvent)},
		{"POST /api/v1/events/{id}/sessions", api(s.apiAddSession)},
		{"PUT /api/v1/events/{id}/sessions/{session}", api(s.apiUpdateSession)},
		{"GET /api/v1/events/{id}/calendar.ics", api(s.apiEventCalendar)},
		{"GET /api/v1/events/{id}/sessions/{session}/calendar.ics", api(s.apiEventCalendar)},
		{"POST /api/v1/events/{id}/registrations", api(s.apiRegister)},
		{"GET /api/v1/events/{id}/registrations", api(s.apiAttendees)},
		{"GET /api/v1/events/{id}/registration", api(s.apiMyRegistration)},
		{"GET /api/v1/events/{id}/attendees.csv", api(s.apiBadges)},
		{"GET /api/v1/events/{id}/participants", api(s.apiParticipants)},
		{"GET /api/v1/events/{id}/figures.csv", api(s.apiFiguresCSV)},
		{"POST /api/v1/registrations/{id}/step", api(s.apiRegistrationStep)},
		{"PUT /api/v1/registrations/{id}/unavailable", api(s.apiSetUnavailable)},
		{"POST /api/v1/events/{id}/meetings", api(s.apiRequestMeeting)},
		{"GET /api/v1/events/{id}/meetings", api(s.apiMyMeetings)},
		{"POST /api/v1/meetings/{id}/step", api(s.apiMeetingStep)},
		{"POST /api/v1/events/{id}/schedule", api(s.apiSchedule)},
		{"GET /api/v1/agenda.ics", api(s.apiMyAgenda)},
		{"POST /api/v1/agenda/feed", api(s.apiNewAgendaFeed)},
		{"GET /agenda/{token}", api(s.handleAgendaFeed)},
		{"GET /events", s.page(s.pageEvents)},
		{"GET /events/calendar", s.page(s.pageEventCalendar)},
		{"GET /events/{slug}", s.page(s.pageEvent)},
		{"POST /events/{slug}/register", s.page(s.postRegister)},
		{"POST /events/{slug}/cancel", s.page(s.postCancelRegistration)},
		{"GET /events/{slug}/participants", s.page(s.pageParticipants)},
		{"POST /events/{slug}/meetings", s.page(s.postRequestMeeting)},
		{"GET /events/{slug}/meetings", s.page(s.pageMeetings)},
		{"POST /events/{slug}/meetings/{id}", s.page(s.postMeetingStep)},
		{"POST /events/{slug}/schedule", s.page(s.postSchedule)},
		{"GET /events/{slug}/attendees", s.page(s.pageAttendees)},
		{"POST /events/{slug}/attendees/{id}", s.page(s.postAttendeeStep)},
		{"GET /events/{slug}/figures", s.page(s.pageFigures)},
		{"GET /events/new", s.page(s.pageNewEvent)},
		{"POST /events/new", s.page(s.postNewEvent)},
		{"GET /events/{slug}/edit", s.page(s.pageEditEvent)},
		{"POST /events/{slug}/edit", s.page(s.postEditEvent)},
		{"POST /events/{slug}/sessions", s.page(s.postAddSession)},
		{"POST /events/{slug}/sessions/{id}", s.page(s.postEditSession)},
		{"GET /events/{slug}/registrations/{id}/unavailable", s.page(s.pageUnavailable)},
		{"POST /events/{slug}/registrations/{id}/unavailable", s.page(s.postUnavailable)},
		{"POST /events/{slug}/meetings/{id}/outcome", s.page(s.postOutcome)},
		{"GET /api/v1/events/{id}/suggestions", api(s.apiSuggestions)},
	}
}
