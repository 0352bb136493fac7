package inquiries

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/validate"
)

// Message keys of the contact point's rules (locales: *.inquiries.json).
const (
	ErrConsent       = "error.inquiry.consent"         // consent was not given
	ErrTooFast       = "error.inquiry.too_fast"        // the form came back sooner than a person can fill it
	ErrFormExpired   = "error.inquiry.form_expired"    // the form's stamp is missing, forged or old
	ErrSpam          = "error.inquiry.spam"            // the hidden field was filled
	ErrThrottled     = "error.inquiry.throttled"       // too many questions from one address or e-mail
	ErrNotExpert     = "error.inquiry.not_expert"      // not a listed expert the desk may see
	ErrClosed        = "error.inquiry.closed"          // the case is closed
	ErrState         = "error.inquiry.state"           // the step does not fit the case's state
	ErrFileType      = "error.inquiry.file_type"       // the content is not what the name says, or not allowed
	ErrSameCluster   = "error.inquiry.same_cluster"    // a hand-off to the cluster that holds the case
	ErrMergeSelf     = "error.inquiry.merge_self"      // a case merged into itself
	ErrRatingTooSoon = "error.inquiry.rating_too_soon" // rating before any answer
	ErrNoAccount     = "error.inquiry.no_account"      // a desk member must have an account
)

// Limits of the input.
const (
	MaxQuestion = 8000 // characters
	MinQuestion = 10
	MaxName     = 200
	MaxBody     = 20000
	MaxReason   = 1000
)

// AskInput is a question as sent from the public form or the API.
type AskInput struct {
	Question     string `json:"question"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation"`
	Kind         string `json:"kind"`
	Country      string `json:"country"`
	Lang         string `json:"lang"`
	Urgency      string `json:"urgency"`
	Consent      bool   `json:"consent"`
	// Cluster optionally names the cluster to ask (id or slug); empty lets
	// the routing choose.
	Cluster string `json:"cluster"`
	// FormStamp is the signed time the form was served (pages; the API
	// sends none and is held to the same throttling).
	FormStamp string `json:"-"`
	// FromForm marks a question from the public page, which must carry a
	// valid FormStamp.
	FromForm bool `json:"-"`
	// Trap is the honeypot field: people leave it empty.
	Trap string `json:"-"`
	// Address is the client address, for throttling.
	Address string `json:"-"`
}

// Normalize trims the input and lower-cases codes.
func (in *AskInput) Normalize() {
	in.Question = strings.TrimSpace(in.Question)
	in.Name = strings.TrimSpace(in.Name)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Organisation = strings.TrimSpace(in.Organisation)
	in.Kind = strings.TrimSpace(in.Kind)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.Lang = strings.ToLower(strings.TrimSpace(in.Lang))
	in.Urgency = strings.TrimSpace(in.Urgency)
	if in.Urgency == "" {
		in.Urgency = "normal"
	}
}

// Validate checks the fields of a question (not the spam rules).
func (in AskInput) Validate() error {
	var errs validate.Errors
	switch n := utf8.RuneCountInString(in.Question); {
	case n == 0:
		errs.Add("question", validate.Required)
	case n < MinQuestion:
		errs.Add("question", validate.InvalidFormat)
	case n > MaxQuestion:
		errs.Add("question", validate.TooLong, "max", MaxQuestion)
	}
	errs.Text("name", in.Name, true, MaxName)
	if in.Email == "" {
		errs.Add("email", validate.Required)
	} else if !ValidEmail(in.Email) {
		errs.Add("email", validate.InvalidEmail)
	}
	errs.Text("organisation", in.Organisation, false, MaxName)
	choice(&errs, "kind", in.Kind, Kinds, true)
	if in.Country == "" {
		errs.Add("country", validate.Required)
	} else if !country.Valid(in.Country) {
		errs.Add("country", validate.InvalidCountry)
	}
	choice(&errs, "lang", in.Lang, []string{"en", "nl", "fr", "de"}, true)
	choice(&errs, "urgency", in.Urgency, Urgencies, true)
	if !in.Consent {
		errs.Add("consent", ErrConsent)
	}
	return errs.Err()
}

func choice(errs *validate.Errors, field, v string, choices []string, required bool) {
	switch {
	case v == "" && required:
		errs.Add(field, validate.Required)
	case v != "" && !slices.Contains(choices, v):
		errs.Add(field, validate.InvalidChoice, "choices", strings.Join(choices, ", "))
	}
}

// ValidEmail reports whether s is a plain address (no display name).
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// Stamp signs the time a form was served, so that its return can be
// checked for a minimum fill time without keeping state.
func Stamp(secret []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return ts + "." + sign(secret, "form:"+ts)
}

// CheckStamp returns "" when stamp was signed with secret between maxAge
// and minFill before now, or the message key of the problem.
func CheckStamp(secret []byte, stamp string, now time.Time, minFill, maxAge time.Duration) string {
	ts, mac, ok := strings.Cut(stamp, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(sign(secret, "form:"+ts))) {
		return ErrFormExpired
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrFormExpired
	}
	age := now.Sub(time.Unix(sec, 0))
	switch {
	case age < minFill:
		return ErrTooFast
	case age > maxAge:
		return ErrFormExpired
	}
	return ""
}

func sign(secret []byte, msg string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Pseudonym is a keyed hash of an address or e-mail for the throttling
// log: the same input meets itself, but the log names nobody.
func Pseudonym(secret []byte, kind, v string) string {
	return sign(secret, kind+":"+strings.ToLower(strings.TrimSpace(v)))
}

// NewToken returns a secret for a requester's private link and the hash
// the database keeps.
func NewToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness failing is not recoverable
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a link token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Open reports whether the case still takes messages and steps.
func (q Inquiry) Open() bool { return q.State != StateClosed }

// ActiveExperts returns the person ids of experts on the case.
func (q Inquiry) ActiveExperts() []string {
	var out []string
	for _, a := range q.Assignments {
		if a.Active() {
			out = append(out, a.PersonID)
		}
	}
	return out
}

// assignment returns the case's assignment of person, if any.
func (q *Inquiry) assignment(person string) *Assignment {
	for i := range q.Assignments {
		if q.Assignments[i].PersonID == person {
			return &q.Assignments[i]
		}
	}
	return nil
}

// settle moves an open case to the state its assignments and answers put
// it in: answered once answered; else assigned with an active expert;
// else triaged once the desk looked at it.
func (q *Inquiry) settle() {
	if q.State == StateClosed {
		return
	}
	switch {
	case q.FirstAnswerAt != nil:
		q.State = StateAnswered
	case len(q.ActiveExperts()) > 0:
		q.State = StateAssigned
	case q.State != StateNew:
		q.State = StateTriaged
	}
}

// Deadlines are the targets for a first answer, per urgency.
type Deadlines map[string]time.Duration

// DefaultDeadlines: a working day for high urgency, three days for normal
// and a week for low.
var DefaultDeadlines = Deadlines{"high": 24 * time.Hour, "normal": 72 * time.Hour, "low": 7 * 24 * time.Hour}

// Due returns when q's first answer is due.
func (d Deadlines) Due(q Inquiry) time.Time {
	t, ok := d[q.Urgency]
	if !ok {
		t = d["normal"]
	}
	return q.CreatedAt.Add(t)
}

// Late reports what a case without a first answer needs at now: a
// reminder to the desk and the experts at half the target, an escalation
// to the cluster's managers past it.
func (d Deadlines) Late(q Inquiry, now time.Time) (remind, escalate bool) {
	if !q.Open() || q.FirstAnswerAt != nil {
		return false, false
	}
	due := d.Due(q)
	half := q.CreatedAt.Add(due.Sub(q.CreatedAt) / 2)
	return q.RemindedAt == nil && !now.Before(half), q.EscalatedAt == nil && !now.Before(due)
}

// ParseDeadlines reads targets for a first answer as "high=24h,normal=72h,low=168h";
// urgencies left out keep their default.
func ParseDeadlines(s string) (Deadlines, error) {
	d := Deadlines{}
	for k, v := range DefaultDeadlines {
		d[k] = v
	}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		dur, err := time.ParseDuration(strings.TrimSpace(v))
		if !ok || err != nil || dur <= 0 || !slices.Contains(Urgencies, strings.TrimSpace(k)) {
			return nil, fmt.Errorf("deadline %q: want URGENCY=DURATION with urgency one of %s", part, strings.Join(Urgencies, ", "))
		}
		d[strings.TrimSpace(k)] = dur
	}
	return d, nil
}
