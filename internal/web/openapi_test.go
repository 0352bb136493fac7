package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/facilities"
)

// openAPIDoc is the subset of an OpenAPI 3.1 document the tests read; the
// raw tree is kept too, to resolve $refs anywhere.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Tags       []struct{ Name string }               `json:"tags"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas         map[string]*openAPISchema `json:"schemas"`
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			Scheme string `json:"scheme"`
			In     string `json:"in"`
			Name   string `json:"name"`
		} `json:"securitySchemes"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Tags        []string                   `json:"tags"`
	Parameters  []openAPIParameter         `json:"parameters"`
	RequestBody json.RawMessage            `json:"requestBody"`
	Responses   map[string]json.RawMessage `json:"responses"`
	Security    []map[string][]string      `json:"security"`
}

type openAPIParameter struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
}

type openAPISchema struct {
	Ref                  string                    `json:"$ref"`
	Type                 string                    `json:"type"`
	Properties           map[string]*openAPISchema `json:"properties"`
	Required             []string                  `json:"required"`
	AdditionalProperties *bool                     `json:"additionalProperties"`
	Items                *openAPISchema            `json:"items"`
}

// httpMethods are the operation keys of a path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadOpenAPI(t *testing.T) (openAPIDoc, map[string]any) {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("decode the OpenAPI document: %v", err)
	}
	var raw map[string]any
	if err := json.Unmarshal(openAPIDocument, &raw); err != nil {
		t.Fatalf("decode the OpenAPI document: %v", err)
	}
	return doc, raw
}

// operations lists the document's operations as "METHOD /path".
func (doc openAPIDoc) operations(t *testing.T) map[string]openAPIOperation {
	t.Helper()
	ops := map[string]openAPIOperation{}
	for path, item := range doc.Paths {
		for key, v := range item {
			if !slices.Contains(httpMethods, key) {
				continue // parameters, summary, description, servers
			}
			var op openAPIOperation
			if err := json.Unmarshal(v, &op); err != nil {
				t.Fatalf("decode %s %s: %v", key, path, err)
			}
			ops[strings.ToUpper(key)+" "+path] = op
		}
	}
	return ops
}

// routeOperations returns the routing table as "METHOD /path", the way the
// document writes paths.
func routeOperations(t *testing.T) map[string]bool {
	t.Helper()
	// routes() only takes method values and closures, except the metrics
	// handler, which reads the registry: no database is needed.
	s := &Server{metrics: newMetrics()}
	out := map[string]bool{}
	for _, rt := range s.routes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			t.Errorf("route %q has no method; every route should name one", rt.pattern)
			continue
		}
		// "/{$}" matches only "/" itself.
		path = strings.ReplaceAll(path, "{$}", "")
		if path == "" {
			path = "/"
		}
		out[method+" "+path] = true
	}
	return out
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	ops := doc.operations(t)
	routes := routeOperations(t)
	if len(routes) == 0 {
		t.Fatal("routes() returned no routes")
	}
	for _, r := range sortedKeys(routes) {
		if _, ok := ops[r]; !ok {
			t.Errorf("route %s is not documented in the OpenAPI document (internal/web/openapi/)", r)
		}
	}
	for _, op := range sortedKeys(ops) {
		if !routes[op] {
			t.Errorf("the OpenAPI document documents %s, which is not a route", op)
		}
	}
}

var pathParamRE = regexp.MustCompile(`\{([^}]+)\}`)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, raw := loadOpenAPI(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	schemes := doc.Components.SecuritySchemes
	if s := schemes["apiToken"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("security scheme apiToken = %+v, want an http bearer scheme", s)
	}
	if s := schemes["session"]; s.Type != "apiKey" || s.In != "cookie" || s.Name != sessionCookie {
		t.Errorf("security scheme session = %+v, want an apiKey in the cookie %s", s, sessionCookie)
	}
	if _, ok := schemes["adminToken"]; ok {
		t.Error("security scheme adminToken is still documented; accounts replaced the admin token")
	}

	// Every $ref points into components and resolves.
	walkRefs(raw, "#", func(at, ref string) {
		if !strings.HasPrefix(ref, "#/components/") {
			t.Errorf("%s: $ref %q does not point into #/components/", at, ref)
			return
		}
		if _, ok := resolvePointer(raw, ref); !ok {
			t.Errorf("%s: $ref %q does not resolve", at, ref)
		}
	})

	var tags []string
	for _, tg := range doc.Tags {
		tags = append(tags, tg.Name)
	}
	ops := doc.operations(t)
	if len(ops) == 0 {
		t.Fatal("the document has no operations")
	}
	ids := map[string]string{}
	for _, key := range sortedKeys(ops) {
		op := ops[key]
		method, path, _ := strings.Cut(key, " ")
		if op.OperationID == "" {
			t.Errorf("%s has no operationId", key)
		} else if prev, dup := ids[op.OperationID]; dup {
			t.Errorf("operationId %q is used by both %s and %s", op.OperationID, prev, key)
		} else {
			ids[op.OperationID] = key
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s has no responses", key)
		}
		if len(op.Tags) == 0 {
			t.Errorf("%s has no tag", key)
		}
		for _, tg := range op.Tags {
			if !slices.Contains(tags, tg) {
				t.Errorf("%s has tag %q, which is not among the document's tags", key, tg)
			}
		}

		// Path parameters: each one in the template is declared, and each
		// declared one is in the template.
		declared := map[string]bool{}
		for _, p := range op.Parameters {
			if p.Ref != "" {
				v, ok := resolvePointer(raw, p.Ref)
				if !ok {
					continue // reported above
				}
				b, _ := json.Marshal(v)
				if err := json.Unmarshal(b, &p); err != nil {
					t.Errorf("%s: parameter %s: %v", key, p.Ref, err)
					continue
				}
			}
			if p.In == "path" {
				if !p.Required {
					t.Errorf("%s: path parameter %q must be required", key, p.Name)
				}
				declared[p.Name] = true
			}
		}
		inTemplate := map[string]bool{}
		for _, m := range pathParamRE.FindAllStringSubmatch(path, -1) {
			inTemplate[m[1]] = true
			if !declared[m[1]] {
				t.Errorf("%s: path parameter {%s} is not declared", key, m[1])
			}
		}
		for name := range declared {
			if !inTemplate[name] {
				t.Errorf("%s: declares path parameter %q, which is not in the path", key, name)
			}
		}

		// Security: only the document's schemes; API writes and the
		// account reads need a signed-in user, by API token or session.
		offers := func(scheme string) bool {
			return slices.ContainsFunc(op.Security, func(req map[string][]string) bool {
				_, ok := req[scheme]
				return ok
			})
		}
		for _, req := range op.Security {
			for scheme := range req {
				if _, ok := schemes[scheme]; !ok {
					t.Errorf("%s: security names %q, which is not a security scheme of the document", key, scheme)
				}
			}
		}
		isAPI := strings.HasPrefix(path, "/api/v1/")
		if isAPI {
			// A bad API token is refused on every route.
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s documents no 401 response (an invalid API token is refused on every route)", key)
			}
		}
		switch method {
		case http.MethodPost, http.MethodPut, http.MethodDelete:
			if isAPI {
				if !offers("apiToken") || !offers("session") {
					t.Errorf("%s writes but does not accept security apiToken or session: %v", key, op.Security)
				}
				if _, ok := op.Responses["403"]; !ok {
					t.Errorf("%s writes but documents no 403 response", key)
				}
				if method != http.MethodDelete && len(op.RequestBody) == 0 {
					t.Errorf("%s has no requestBody", key)
				}
			} else if len(op.RequestBody) != 0 {
				// HTML forms post application/x-www-form-urlencoded.
				var body struct {
					Content map[string]json.RawMessage `json:"content"`
				}
				if err := json.Unmarshal(op.RequestBody, &body); err != nil {
					t.Errorf("%s: requestBody: %v", key, err)
				} else if _, ok := body.Content["application/x-www-form-urlencoded"]; !ok || len(body.Content) != 1 {
					// File uploads are the one exception.
					if _, upload := body.Content["multipart/form-data"]; !upload || len(body.Content) != 1 {
						t.Errorf("%s: a form's requestBody should be application/x-www-form-urlencoded (or multipart/form-data for uploads) only, got %v", key, sortedKeys(body.Content))
					}
				}
			}
		default:
			if len(op.RequestBody) != 0 {
				t.Errorf("%s reads but has a requestBody", key)
			}
		}
		if signedInReads[key] && (!offers("apiToken") || !offers("session")) {
			t.Errorf("%s needs a signed-in user but does not have security apiToken or session: %v", key, op.Security)
		}
	}
	for _, key := range sortedKeys(signedInReads) {
		if _, ok := ops[key]; !ok {
			t.Errorf("%s should need a signed-in user, but is not documented", key)
		}
	}
}

// signedInReads are the API reads that need a signed-in user; other reads
// are open to anonymous visitors, who see only public records.
var signedInReads = map[string]bool{
	"GET /api/v1/me":            true,
	"GET /api/v1/bookings":      true,
	"GET /api/v1/bookings/{id}": true,
	"GET /api/v1/calendars":     true,
	"GET /api/v1/me/export":     true,
	"GET /api/v1/tokens":        true,
	"GET /api/v1/users":         true,
	"GET /api/v1/audit":         true,
}

// walkRefs calls f for every "$ref" in the tree v.
func walkRefs(v any, at string, f func(at, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				f(at, s)
				continue
			}
			walkRefs(x, at+"/"+k, f)
		}
	case []any:
		for i, x := range v {
			walkRefs(x, at+"/"+strconv.Itoa(i), f)
		}
	}
}

// resolvePointer resolves a local JSON pointer such as
// "#/components/schemas/Cluster" (RFC 6901).
func resolvePointer(root any, ref string) (any, bool) {
	ptr, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	cur := root
	for _, tok := range strings.Split(ptr, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func TestOpenAPIInputSchemasMatchTypes(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	for name, v := range map[string]any{
		"ClusterInput":           ClusterInput{},
		"Commitment":             directory.Commitment{},
		"OrganisationInput":      OrganisationInput{},
		"MembershipInput":        MembershipInput{},
		"PersonInput":            PersonInput{},
		"CapabilityInput":        CapabilityInput{},
		"FacilityInput":          FacilityInput{},
		"ResourceInput":          ResourceInput{},
		"Opening":                facilities.Opening{},
		"Quota":                  facilities.Quota{},
		"BlackoutInput":          facilities.BlackoutInput{},
		"ApproversInput":         ApproversInput{},
		"BookingInput":           facilities.RequestInput{},
		"ActionInput":            ActionInput{},
		"CalendarInput":          CalendarInput{},
		"TokenInput":             TokenInput{},
		"InvitationInput":        InvitationInput{},
		"RolesInput":             RolesInput{},
		"MembershipRequestInput": MembershipRequestInput{},
		"DecisionInput":          DecisionInput{},
		"ExchangeDecisionInput":  ExchangeDecisionInput{},
		// events (events_api.go)
		"EventInput":       events.EventInput{},
		"SessionInput":     events.SessionInput{},
		"Repeat":           events.Repeat{},
		"RegisterInput":    events.RegisterInput{},
		"RegistrationStep": RegistrationStep{},
		"UnavailableInput": UnavailableInput{},
		"MeetingInput":     events.MeetingInput{},
		"MeetingStep":      MeetingStep{},
	} {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			// The decoder refuses unknown fields; the schema must say so.
			if schema.AdditionalProperties == nil || *schema.AdditionalProperties {
				t.Errorf("%s: additionalProperties should be false", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(v), false)
		})
	}
}

// TestOpenAPIResponseSchemasMatchTypes checks the response schemas the same
// way, and that a property is required exactly when encoding/json always
// writes it (no omitempty).
func TestOpenAPIResponseSchemasMatchTypes(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	for name, v := range map[string]any{
		"Cluster":               directory.Cluster{},
		"Organisation":          directory.Organisation{},
		"Membership":            directory.Membership{},
		"Person":                directory.Person{},
		"Capability":            directory.Capability{},
		"Facility":              directory.Facility{},
		"ClusterPage":           directory.Page[directory.Cluster]{},
		"OrganisationPage":      directory.Page[directory.Organisation]{},
		"PersonPage":            directory.Page[directory.Person]{},
		"FacilityPage":          directory.Page[directory.Facility]{},
		"Resource":              facilities.Resource{},
		"ResourceList":          ResourceList{},
		"Blackout":              facilities.Blackout{},
		"Approver":              facilities.Approver{},
		"ApproverList":          ApproverList{},
		"Booking":               facilities.Booking{},
		"BookingList":           BookingList{},
		"Interval":              facilities.Interval{},
		"ResourceAvailability":  ResourceAvailability{},
		"Availability":          Availability{},
		"Slot":                  facilities.Slot{},
		"SlotList":              SlotList{},
		"Usage":                 facilities.Usage{},
		"UsageRow":              facilities.UsageRow{},
		"CalendarToken":         facilities.CalendarToken{},
		"NewCalendar":           NewCalendar{},
		"CalendarList":          CalendarList{},
		"CapabilityList":        CapabilityList{},
		"MembershipRequest":     directory.MembershipRequest{},
		"MembershipRequestList": MembershipRequestList{},
		"Health":                Health{},
		"Problem":               Problem{},
		"ProblemField":          ProblemField{},
		"User":                  accounts.User{},
		"APIToken":              accounts.APIToken{},
		"Invitation":            accounts.Invitation{},
		"AuditEntry":            audit.Entry{},
		"AuditActor":            audit.Actor{},
		"Me":                    Me{},
		"NewToken":              NewToken{},
		"TokenList":             TokenList{},
		"UserList":              UserList{},
		"AuditList":             AuditList{},
		"PersonalData":          PersonalData{},
		"MeetingSuggestion":     events.Suggestion{},
		"MeetingSuggestionList": MeetingSuggestionList{},
	} {
		t.Run(name, func(t *testing.T) {
			schema := doc.Components.Schemas[name]
			if schema == nil {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			compareSchema(t, doc, name, schema, reflect.TypeOf(v), true)
		})
	}
}

// compareSchema checks that the object schema has exactly the JSON fields
// of struct type typ, each with the JSON type Go encodes it as. With
// checkRequired, required must list exactly the fields without omitempty.
func compareSchema(t *testing.T, doc openAPIDoc, name string, schema *openAPISchema, typ reflect.Type, checkRequired bool) {
	t.Helper()
	if schema.Type != "object" {
		t.Errorf("%s: type = %q, want object", name, schema.Type)
	}
	fields := map[string]reflect.StructField{}
	var alwaysWritten []string
	for jname, f := range jsonFields(typ) {
		fields[jname] = f.StructField
		if !f.omitempty {
			alwaysWritten = append(alwaysWritten, jname)
		}
	}
	for _, jname := range sortedKeys(fields) {
		prop, ok := schema.Properties[jname]
		if !ok {
			t.Errorf("%s: field %q of %s is not a property of the schema", name, jname, typ)
			continue
		}
		if prop.Ref != "" {
			prop = resolveSchema(t, doc, prop.Ref)
			if prop == nil {
				continue
			}
		}
		if want := jsonSchemaType(fields[jname].Type); prop.Type != want {
			t.Errorf("%s.%s: type = %q, Go encodes %s as %q", name, jname, prop.Type, fields[jname].Type, want)
		}
	}
	for _, p := range sortedKeys(schema.Properties) {
		if _, ok := fields[p]; !ok {
			t.Errorf("%s: property %q is not a JSON field of %s", name, p, typ)
		}
	}
	for _, r := range schema.Required {
		if _, ok := schema.Properties[r]; !ok {
			t.Errorf("%s: required %q is not a property", name, r)
		}
	}
	if checkRequired {
		got := slices.Sorted(slices.Values(schema.Required))
		want := slices.Sorted(slices.Values(alwaysWritten))
		if !slices.Equal(got, want) {
			t.Errorf("%s: required = %v, want the fields without omitempty: %v", name, got, want)
		}
	}
}

// jsonField is a field as encoding/json writes it.
type jsonField struct {
	reflect.StructField
	omitempty bool
}

// jsonFields returns the JSON fields of struct type typ by name, the way
// encoding/json finds them: fields tagged "-" are skipped, and the fields of
// an embedded struct without a JSON name are promoted, unless a shallower
// field has the same name.
func jsonFields(typ reflect.Type) map[string]jsonField {
	out := map[string]jsonField{}
	var embedded []reflect.Type
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		jname, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && jname == "" && ft.Kind() == reflect.Struct {
			embedded = append(embedded, ft)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if jname == "" {
			jname = f.Name
		}
		out[jname] = jsonField{f, slices.Contains(strings.Split(opts, ","), "omitempty")}
	}
	for _, et := range embedded {
		for jname, f := range jsonFields(et) {
			if _, shadowed := out[jname]; !shadowed {
				out[jname] = f
			}
		}
	}
	return out
}

func resolveSchema(t *testing.T, doc openAPIDoc, ref string) *openAPISchema {
	t.Helper()
	name, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok || doc.Components.Schemas[name] == nil {
		t.Errorf("$ref %q does not name a schema", ref)
		return nil
	}
	return doc.Components.Schemas[name]
}

var timeType = reflect.TypeOf(time.Time{})

// jsonSchemaType is the JSON Schema type encoding/json produces for t.
func jsonSchemaType(t reflect.Type) string {
	if t == timeType {
		return "string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Pointer:
		return jsonSchemaType(t.Elem())
	}
	return t.Kind().String()
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
