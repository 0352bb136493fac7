package web

import "net/http"

// route is one entry of the routing table. Tests read the table to check
// that every route is documented in the OpenAPI document.
type route struct {
	pattern string
	handler http.Handler
}

// routes lists every route of the server, in one place.
func (s *Server) routes() []route {
	w := s.requireWriter
	return []route{
		// Operations.
		{"GET /healthz", api(s.handleHealth)},
		{"GET /metrics", s.handleMetrics()},
		{"GET /api/openapi.json", api(s.handleOpenAPI)},

		// JSON API.
		{"GET /api/v1/clusters", api(s.apiListClusters)},
		{"POST /api/v1/clusters", api(w(s.apiCreateCluster))},
		{"GET /api/v1/clusters/{id}", api(s.apiGetCluster)},
		{"PUT /api/v1/clusters/{id}", api(w(s.apiUpdateCluster))},
		{"DELETE /api/v1/clusters/{id}", api(w(s.apiDeleteCluster))},

		{"GET /api/v1/organisations", api(s.apiListOrganisations)},
		{"POST /api/v1/organisations", api(w(s.apiCreateOrganisation))},
		{"GET /api/v1/organisations/{id}", api(s.apiGetOrganisation)},
		{"PUT /api/v1/organisations/{id}", api(w(s.apiUpdateOrganisation))},
		{"DELETE /api/v1/organisations/{id}", api(w(s.apiDeleteOrganisation))},

		{"GET /api/v1/people", api(s.apiListPeople)},
		{"POST /api/v1/people", api(w(s.apiCreatePerson))},
		{"GET /api/v1/people/{id}", api(s.apiGetPerson)},
		{"PUT /api/v1/people/{id}", api(w(s.apiUpdatePerson))},
		{"DELETE /api/v1/people/{id}", api(w(s.apiDeletePerson))},

		{"GET /api/v1/capabilities", api(s.apiListCapabilities)},
		{"POST /api/v1/capabilities", api(w(s.apiCreateCapability))},
		{"GET /api/v1/capabilities/{code}", api(s.apiGetCapability)},
		{"PUT /api/v1/capabilities/{code}", api(w(s.apiUpdateCapability))},
		{"DELETE /api/v1/capabilities/{code}", api(w(s.apiDeleteCapability))},

		{"GET /api/v1/facilities", api(s.apiListFacilities)},
		{"POST /api/v1/facilities", api(w(s.apiCreateFacility))},
		{"GET /api/v1/facilities/{id}", api(s.apiGetFacility)},
		{"PUT /api/v1/facilities/{id}", api(w(s.apiUpdateFacility))},
		{"DELETE /api/v1/facilities/{id}", api(w(s.apiDeleteFacility))},

		// Web pages.
		{"GET /{$}", s.page(s.pageHome)},
		{"GET /clusters", s.page(s.pageClusters)},
		{"GET /clusters/{slug}", s.page(s.pageCluster)},
		{"GET /organisations", s.page(s.pageOrganisations)},
		{"GET /organisations/{slug}", s.page(s.pageOrganisation)},
		{"GET /people", s.page(s.pagePeople)},
		{"GET /people/{id}", s.page(s.pagePerson)},
		{"GET /capabilities", s.page(s.pageCapabilities)},
		{"GET /capabilities/{code}", s.page(s.pageCapability)},
		{"GET /facilities", s.page(s.pageFacilities)},
		{"GET /facilities/{slug}", s.page(s.pageFacility)},
		{"GET /static/{file}", http.HandlerFunc(s.handleStatic)},
	}
}

func (s *Server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, rt.handler)
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
