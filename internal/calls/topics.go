package calls

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/validate"
)

// topicField is how the errors of DecodeTopics name the document and its
// elements: "topics", "topics[3].topicId".
const topicField = "topics"

// DecodeTopics reads a Funding & Tenders topic export: a JSON array of
// topic objects. Unknown fields are ignored (the export has many), text
// is repaired when it arrived double-encoded, and each call gets the
// general rule of its action type followed by the rules parsed from its
// conditions. Bad input returns validate.Errors naming the topic's index
// and field for every problem at once, and no calls.
func DecodeTopics(r io.Reader) ([]Call, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, validate.Errors{{Field: topicField, Code: validate.Malformed}}
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, validate.Errors{{Field: topicField, Code: validate.WrongType, Args: map[string]any{"expected": "array"}}}
	}
	var (
		calls []Call
		errs  validate.Errors
		seen  = map[string]int{}
	)
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, append(errs, validate.FieldError{Field: fmt.Sprintf("%s[%d]", topicField, i), Code: validate.Malformed})
		}
		c, terrs := decodeTopic(raw, fmt.Sprintf("%s[%d].", topicField, i))
		if len(terrs) == 0 && c.ID != "" {
			if j, dup := seen[c.ID]; dup {
				terrs.Add(fmt.Sprintf("%s[%d].topicId", topicField, i), validate.Duplicate, "index", j)
			}
			seen[c.ID] = i
		}
		errs = append(errs, terrs...)
		calls = append(calls, c)
	}
	if _, err := dec.Token(); err != nil {
		return nil, append(errs, validate.FieldError{Field: topicField, Code: validate.Malformed})
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, append(errs, validate.FieldError{Field: topicField, Code: validate.Malformed})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if calls == nil {
		calls = []Call{}
	}
	return calls, nil
}

// decodeTopic reads one topic object field by field, so a wrong type
// names its field rather than failing the whole topic.
// topicFields reads the fields of one topic object, collecting what is
// wrong with them.
type topicFields struct {
	obj    map[string]json.RawMessage
	prefix string
	errs   validate.Errors
}

func (tf *topicFields) raw(name string) (json.RawMessage, bool) {
	v, ok := tf.obj[name]
	if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return nil, false
	}
	return v, true
}

func (tf *topicFields) str(name string) string {
	v, ok := tf.raw(name)
	if !ok {
		return ""
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		tf.errs.Add(tf.prefix+name, validate.WrongType, "expected", "string")
	}
	return strings.TrimSpace(s)
}

func (tf *topicFields) num(name string) *big.Rat {
	v, ok := tf.raw(name)
	if !ok {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var n json.Number
	if err := dec.Decode(&n); err != nil {
		tf.errs.Add(tf.prefix+name, validate.WrongType, "expected", "number")
		return nil
	}
	r, ok := new(big.Rat).SetString(n.String())
	if !ok {
		tf.errs.Add(tf.prefix+name, validate.WrongType, "expected", "number")
		return nil
	}
	return r
}

// cents reads an amount in euros as cents.
func (tf *topicFields) cents(name string) int64 {
	r := tf.num(name)
	if r == nil {
		return 0
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || r.Sign() < 0 || !r.Num().IsInt64() {
		tf.errs.Add(tf.prefix+name, validate.InvalidFormat)
		return 0
	}
	return r.Num().Int64()
}

func (tf *topicFields) whole(name string) int {
	r := tf.num(name)
	if r == nil {
		return 0
	}
	if !r.IsInt() || r.Sign() < 0 || !r.Num().IsInt64() || r.Num().Int64() > math.MaxInt32 {
		tf.errs.Add(tf.prefix+name, validate.InvalidFormat)
		return 0
	}
	return int(r.Num().Int64())
}

// repairTexts mends mis-encoded text of the call's texts and keywords.
func repairTexts(c *Call) {
	for _, p := range []*string{&c.Title, &c.Description, &c.Programme, &c.Conditions} {
		var fixed bool
		*p, fixed = RepairText(*p)
		c.TextRepaired = c.TextRepaired || fixed
	}
	for i, k := range c.Keywords {
		var fixed bool
		c.Keywords[i], fixed = RepairText(k)
		c.TextRepaired = c.TextRepaired || fixed
	}
}

func decodeTopic(raw json.RawMessage, prefix string) (Call, validate.Errors) {
	tf := &topicFields{prefix: prefix}
	if err := json.Unmarshal(raw, &tf.obj); err != nil || tf.obj == nil {
		tf.errs.Add(strings.TrimSuffix(prefix, "."), validate.WrongType, "expected", "object")
		return Call{}, tf.errs
	}
	str, cents, whole, obj := tf.str, tf.cents, tf.whole, tf.obj
	c := Call{
		ID:             str("topicId"),
		Title:          str("title"),
		Description:    str("description"),
		Programme:      str("programme"),
		CallIdentifier: str("callIdentifier"),
		ActionType:     NormalizeActionType(str("actionType")),
		PortalURL:      str("portalUrl"),
		Conditions:     str("topicConditions"),
		BudgetMin:      cents("budgetMin"),
		BudgetMax:      cents("budgetMax"),
		ExpectedGrants: whole("expectedGrants"),
	}
	if c.ID == "" && !hasField(tf.errs, prefix+"topicId") {
		tf.errs.Add(prefix+"topicId", validate.Required)
	}
	if c.Title == "" && !hasField(tf.errs, prefix+"title") {
		tf.errs.Add(prefix+"title", validate.Required)
	}
	c.Stage = stage(obj)
	if c.Stage == "" {
		c.Stage = str("stage")
	}
	if d := str("deadline"); d != "" {
		day, ok := deadlineDay(d)
		if !ok {
			tf.errs.Add(prefix+"deadline", validate.InvalidDate)
		}
		c.Deadline = day
	}
	for _, name := range []string{"plannedOpeningDate", "openingDate", "startDate"} {
		if d := str(name); d != "" && c.Opens == "" {
			day, ok := deadlineDay(d)
			if !ok {
				tf.errs.Add(prefix+name, validate.InvalidDate)
			}
			c.Opens = day
		}
	}
	switch st := strings.ToLower(str("callStatus")); st {
	case StatusOpen, StatusForthcoming, StatusClosed:
		c.PortalStatus = st
	}
	c.Keywords = keywords(obj["keywords"], prefix+"keywords", &tf.errs, c.ID, c.CallIdentifier)
	repairTexts(&c)
	parsed, unparsed := ParseConditions(c.Conditions)
	c.Rules = append([]Rule{GeneralRule(c.ActionType)}, parsed...)
	c.Unparsed = unparsed
	if len(tf.errs) == 0 {
		// The same checks as a call typed in a page: a budget range the
		// wrong way round, a bad portal address.
		if err := ValidateCall(&c); err != nil {
			var verrs validate.Errors
			if errors.As(err, &verrs) {
				for _, fe := range verrs {
					if strings.HasPrefix(fe.Field, "rules[") {
						// A rule read from the conditions: the file's field
						// is the conditions text; the rule is named too.
						args := map[string]any{"rule": fe.Field}
						for k, v := range fe.Args {
							args[k] = v
						}
						fe.Field, fe.Args = "topicConditions", args
					}
					fe.Field = prefix + topicFieldName(fe.Field)
					tf.errs = append(tf.errs, fe)
				}
			}
		}
	}
	return c, tf.errs
}

func hasField(errs validate.Errors, field string) bool {
	for _, fe := range errs {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// topicFieldName maps a Call field back to the topic's JSON name so an
// import error points at the line in the file.
func topicFieldName(f string) string {
	names := map[string]string{"id": "topicId", "call_identifier": "callIdentifier", "action_type": "actionType",
		"budget_min": "budgetMin", "budget_max": "budgetMax", "expected_grants": "expectedGrants",
		"portal_url": "portalUrl", "conditions": "topicConditions", "opens": "startDate", "portal_status": "callStatus"}
	head, rest, _ := strings.Cut(f, "[")
	if n, ok := names[head]; ok {
		head = n
	}
	if rest != "" {
		return head + "[" + rest
	}
	return head
}

// stage prefers the portal's own submission fields (deadlineModel,
// submissionProcedure) to "stage", which some exports fill differently;
// both are optional extras, so an odd value is passed over, not refused.
func stage(obj map[string]json.RawMessage) string {
	valid := func(s string) bool { return s == "single-stage" || s == "two-stage" }
	var model string
	if json.Unmarshal(obj["deadlineModel"], &model) == nil && valid(model) {
		return model
	}
	var sp struct {
		Abbreviation string `json:"abbreviation"`
	}
	if json.Unmarshal(obj["submissionProcedure"], &sp) == nil && valid(sp.Abbreviation) {
		return sp.Abbreviation
	}
	return ""
}

// deadlineDay accepts a date or a timestamp and keeps the calendar day
// as written (the portal gives Brussels time).
func deadlineDay(s string) (string, bool) {
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return s, true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return s, false
}

// keywords reads the portal's comma-separated keyword string (or an
// array), dropping the topic and call identifiers the portal lists as
// keywords of themselves.
func keywords(raw json.RawMessage, field string, errs *validate.Errors, ids ...string) []string {
	var list []string
	switch t := bytes.TrimSpace(raw); {
	case len(t) == 0 || bytes.Equal(t, []byte("null")):
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			errs.Add(field, validate.WrongType, "expected", "string")
			break
		}
		list = strings.Split(s, ",")
	default:
		if err := json.Unmarshal(t, &list); err != nil {
			errs.Add(field, validate.WrongType, "expected", "string or array of strings")
		}
	}
	out := make([]string, 0, len(list))
	for _, k := range dedupe(list) {
		self := false
		for _, id := range ids {
			self = self || id != "" && strings.EqualFold(k, id)
		}
		if !self {
			out = append(out, k)
		}
	}
	return out
}
