// Package accounts holds users, sessions, password resets, invitations and
// API tokens, and the rules around them: argon2id passwords, throttled
// logins that do not reveal whether an account exists, one-time links, and
// tokens that are shown once and stored hashed.
package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/escnet/escnet/internal/access"
)

// User is an account.
type User struct {
	ID              string     `json:"id"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	OrganisationID  string     `json:"organisation_id,omitempty"`
	PersonID        string     `json:"person_id,omitempty"`
	AllianceAdmin   bool       `json:"alliance_admin"`
	OrgAdmin        bool       `json:"organisation_admin"`
	ManagedClusters []string   `json:"managed_clusters"`
	PasswordHash    string     `json:"-"`
	Disabled        bool       `json:"disabled"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	LastLoginAt     *time.Time `json:"last_login_at,omitempty"`
	// PreviousLoginAt is the sign-in before the last one: what the home
	// page counts as the member's previous visit.
	PreviousLoginAt *time.Time `json:"previous_login_at,omitempty"`
}

// Role is the highest role of u, as the access package names it.
func (u User) Role() string {
	return access.Viewer{UserID: u.ID, AllianceAdmin: u.AllianceAdmin, ManagedClusters: u.ManagedClusters, OrgAdmin: u.OrgAdmin}.Role()
}

// Session is a signed-in browser. ID is the hash of the cookie value.
type Session struct {
	ID        string
	UserID    string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // absolute expiry
	IP        string
	UserAgent string
}

// Token scopes.
const (
	ScopeRead  = "read"
	ScopeWrite = "read-write"
)

// APIToken is a credential for the JSON API.
type APIToken struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Invitation asks a person to join an organisation.
type Invitation struct {
	ID             string     `json:"id"`
	Hash           string     `json:"-"`
	Email          string     `json:"email"`
	OrganisationID string     `json:"organisation_id"`
	OrgAdmin       bool       `json:"organisation_admin"`
	InvitedBy      string     `json:"invited_by"`
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      time.Time  `json:"expires_at"`
	AcceptedAt     *time.Time `json:"accepted_at,omitempty"`
	// ManagedClusters are the clusters the invited account will manage
	// (set when a cluster is accepted into the alliance).
	ManagedClusters []string `json:"-"`
}

// Reset is a one-time password reset link.
type Reset struct {
	Hash      string
	UserID    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// Errors the rules return. They are deliberately vague towards clients:
// a wrong e-mail and a wrong password read the same.
var (
	ErrInvalidCredentials = errors.New("wrong e-mail address or password")
	ErrThrottled          = errors.New("too many sign-in attempts; wait a few minutes and try again")
	ErrLinkInvalid        = errors.New("this link is not valid: it may have expired or been used already")
	ErrTokenInvalid       = errors.New("the API token is not valid or has been revoked")
	ErrSessionInvalid     = errors.New("the session has expired")
	// ErrBusy says that too many passwords are being checked at once;
	// the request may be repeated in a moment (503 with Retry-After).
	ErrBusy = errors.New("too many sign-ins at once; try again in a moment")
)

// Store is what accounts need from a storage engine: its own tables, and
// reads of the directory and the audit log that its rules need.
type Store interface {
	Directory
	AuditReader

	CreateUser(ctx context.Context, u *User) error
	GetUser(ctx context.Context, id string) (User, error)
	GetUserByEmail(ctx context.Context, email string) (User, error)
	ListUsers(ctx context.Context) ([]User, error)
	// UpdateUser writes name, organisation, person link, roles and the
	// disabled flag.
	UpdateUser(ctx context.Context, u *User) error
	// SetPassword replaces the hash and ends all of the user's sessions,
	// reset links and pending invitations, in one transaction.
	SetPassword(ctx context.Context, userID, hash string) error
	RecordLogin(ctx context.Context, userID string, at time.Time) error
	// EraseUser anonymises the account and its person record and ends its
	// sessions and tokens, in one transaction.
	EraseUser(ctx context.Context, userID string) error

	CreateSession(ctx context.Context, s Session) error
	GetSession(ctx context.Context, id string) (Session, error)
	TouchSession(ctx context.Context, id string, at time.Time) error
	DeleteSession(ctx context.Context, id string) error

	CreateReset(ctx context.Context, r Reset) error
	// UseReset marks the reset used if it exists, is unused and unexpired,
	// atomically, and returns its user.
	UseReset(ctx context.Context, hash string, now time.Time) (string, error)

	CreateInvitation(ctx context.Context, inv *Invitation) error
	GetInvitation(ctx context.Context, hash string) (Invitation, error)
	// AcceptInvitation creates the user and marks the invitation accepted,
	// atomically; a used invitation gives ErrLinkInvalid.
	AcceptInvitation(ctx context.Context, hash string, u *User, now time.Time) error

	CreateToken(ctx context.Context, t *APIToken) error
	GetToken(ctx context.Context, id string) (APIToken, error)
	ListTokens(ctx context.Context, userID string) ([]APIToken, error)
	RevokeToken(ctx context.Context, userID, id string, at time.Time) error
	TouchToken(ctx context.Context, id string, at time.Time) error

	// CountAttempt counts one sign-in attempt under each key in windows of
	// the given length, atomically (across nodes), and returns each key's
	// count including this attempt.
	CountAttempt(ctx context.Context, keys []string, at time.Time, window time.Duration) ([]int, error)
	// ForgetAttempt takes back one attempt under each key.
	ForgetAttempt(ctx context.Context, keys []string) error
}
