package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Auditor appends to the audit log.
type Auditor interface {
	Audit(ctx context.Context, action, entity, entityID, detail string) error
}

// Config holds the account rules' settings; zero fields take defaults.
type Config struct {
	IdleTimeout     time.Duration // a session unused this long ends (default 2 h)
	AbsoluteTimeout time.Duration // a session ends this long after sign-in (default 7 days)
	ResetTTL        time.Duration // reset links (default 1 h)
	InviteTTL       time.Duration // invitations (default 14 days)
	FailureWindow   time.Duration // throttling window (default 15 min)
	MaxPerAccount   int           // failed sign-ins per account per window (default 5)
	MaxPerIP        int           // failed sign-ins per address per window (default 20)
	BaseURL         string        // for links in e-mails, e.g. https://escnet.example.org
	Params          Params        // argon2id cost
	Now             func() time.Time
	// Text renders the e-mails' message keys (mail.reset.subject, ...) in
	// the language of the request; without it the keys are sent as they
	// are, which only a test would notice.
	Text func(ctx context.Context, key string, args ...any) string
}

func (c *Config) defaults() {
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 2 * time.Hour
	}
	if c.AbsoluteTimeout == 0 {
		c.AbsoluteTimeout = 7 * 24 * time.Hour
	}
	if c.ResetTTL == 0 {
		c.ResetTTL = time.Hour
	}
	if c.InviteTTL == 0 {
		c.InviteTTL = 14 * 24 * time.Hour
	}
	if c.FailureWindow == 0 {
		c.FailureWindow = 15 * time.Minute
	}
	if c.MaxPerAccount == 0 {
		c.MaxPerAccount = 5
	}
	if c.MaxPerIP == 0 {
		c.MaxPerIP = 20
	}
	if c.Params == (Params{}) {
		c.Params = DefaultParams
	}
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC() }
	}
	if c.Text == nil {
		c.Text = func(_ context.Context, key string, _ ...any) string { return key }
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
}

// Service applies the account rules.
type Service struct {
	store Store
	audit Auditor
	mail  mail.Sender
	cfg   Config
	// dummyHash is checked when an e-mail is unknown, so that a wrong
	// address takes as long as a wrong password.
	dummyHash string
}

// NewService returns a Service.
func NewService(s Store, a Auditor, m mail.Sender, cfg Config) *Service {
	cfg.defaults()
	dummy, _ := HashPassword("escnet-dummy-password", cfg.Params)
	return &Service{store: s, audit: a, mail: m, cfg: cfg, dummyHash: dummy}
}

// Config returns the effective settings.
func (s *Service) Config() Config { return s.cfg }

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// MinPasswordLength follows NIST SP 800-63B's advice for a length floor
// rather than composition rules.
const MinPasswordLength = 12

func checkPassword(errs *validate.Errors, field, pw string) {
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		errs.Add(field, validate.Required)
	case n < MinPasswordLength:
		errs.Add(field, "error.password_too_short", "min", MinPasswordLength)
	case n > 256:
		errs.Add(field, validate.TooLong, "max", 256)
	}
}

// NewUser validates and creates an account with a password.
func (s *Service) NewUser(ctx context.Context, u *User, password string) error {
	var errs validate.Errors
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	errs.Email("email", u.Email, true)
	errs.Text("name", u.Name, false, 200)
	checkPassword(&errs, "password", password)
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password, s.cfg.Params)
	if err != nil {
		return err
	}
	u.ID = uuid.Must(uuid.NewV7()).String()
	u.PasswordHash = hash
	if u.ManagedClusters == nil {
		u.ManagedClusters = []string{}
	}
	return s.store.CreateUser(ctx, u)
}

// Login checks credentials and opens a new session, returning the cookie
// value. Failures are audited and throttled per account and per address;
// the error never says whether the account exists.
func (s *Service) Login(ctx context.Context, email, password, userAgent string) (User, string, error) {
	email = NormalizeEmail(email)
	ip := audit.ActorFrom(ctx).IP
	now := s.cfg.Now()
	byAccount, byIP, err := s.store.RecentFailures(ctx, email, ip, now.Add(-s.cfg.FailureWindow))
	if err != nil {
		return User{}, "", err
	}
	if byAccount >= s.cfg.MaxPerAccount || (ip != "" && byIP >= s.cfg.MaxPerIP) {
		_ = s.audit.Audit(ctx, "login.throttled", "account", email, "")
		return User{}, "", ErrThrottled
	}
	u, err := s.store.GetUserByEmail(ctx, email)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		CheckPassword(s.dummyHash, password)
	case err != nil:
		return User{}, "", err
	default:
		ok, _ = CheckPassword(u.PasswordHash, password)
		ok = ok && !u.Disabled
	}
	if !ok {
		if err := s.audit.Audit(ctx, "login.failed", "account", email, ""); err != nil {
			return User{}, "", err
		}
		return User{}, "", ErrInvalidCredentials
	}
	token, err := s.newSession(ctx, u.ID, userAgent)
	if err != nil {
		return User{}, "", err
	}
	if err := s.store.RecordLogin(ctx, u.ID, now); err != nil {
		return User{}, "", err
	}
	actx := audit.WithActor(ctx, withUser(audit.ActorFrom(ctx), u))
	if err := s.audit.Audit(actx, "login", "account", u.ID, ""); err != nil {
		return User{}, "", err
	}
	return u, token, nil
}

func withUser(a audit.Actor, u User) audit.Actor {
	a.UserID, a.Label = u.ID, u.Email
	return a
}

// newSession always makes a fresh id, so a session id planted before
// sign-in is worthless after it.
func (s *Service) newSession(ctx context.Context, userID, userAgent string) (string, error) {
	secret, hash := NewSecret()
	now := s.cfg.Now()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	err := s.store.CreateSession(ctx, Session{ID: hash, UserID: userID, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(s.cfg.AbsoluteTimeout), IP: audit.ActorFrom(ctx).IP, UserAgent: userAgent})
	return secret, err
}

// Authenticate returns the user of a session cookie value, ending the
// session when it is idle or past its absolute expiry.
func (s *Service) Authenticate(ctx context.Context, cookie string) (User, error) {
	if cookie == "" || len(cookie) > 100 {
		return User{}, ErrSessionInvalid
	}
	id := HashSecret(cookie)
	sess, err := s.store.GetSession(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return User{}, ErrSessionInvalid
	}
	if err != nil {
		return User{}, err
	}
	now := s.cfg.Now()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeen) > s.cfg.IdleTimeout {
		_ = s.store.DeleteSession(ctx, id)
		return User{}, ErrSessionInvalid
	}
	u, err := s.store.GetUser(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return User{}, ErrSessionInvalid
	}
	// Writing last-seen on every request would make each page a write;
	// once a minute keeps the idle clock accurate enough.
	if now.Sub(sess.LastSeen) > time.Minute {
		if err := s.store.TouchSession(ctx, id, now); err != nil {
			return User{}, err
		}
	}
	return u, nil
}

// Logout ends the session of a cookie value.
func (s *Service) Logout(ctx context.Context, cookie string) error {
	if cookie == "" {
		return nil
	}
	if err := s.store.DeleteSession(ctx, HashSecret(cookie)); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return s.audit.Audit(ctx, "logout", "account", audit.ActorFrom(ctx).UserID, "")
}

// AuthenticateToken returns the user and token of an API token; revoked
// and unknown tokens are refused and audited.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (User, APIToken, error) {
	compact, secret, ok := ParseAPIToken(token)
	if !ok {
		_ = s.audit.Audit(ctx, "token.refused", "token", "", "malformed")
		return User{}, APIToken{}, ErrTokenInvalid
	}
	t, err := s.store.GetToken(ctx, ExpandID(compact))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!SameHash(t.Hash, HashSecret(secret)) || t.RevokedAt != nil)) {
		detail := "unknown"
		if err == nil && t.RevokedAt != nil {
			detail = "revoked"
		}
		_ = s.audit.Audit(ctx, "token.refused", "token", ExpandID(compact), detail)
		return User{}, APIToken{}, ErrTokenInvalid
	}
	if err != nil {
		return User{}, APIToken{}, err
	}
	u, err := s.store.GetUser(ctx, t.UserID)
	if err != nil || u.Disabled {
		return User{}, APIToken{}, ErrTokenInvalid
	}
	now := s.cfg.Now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := s.store.TouchToken(ctx, t.ID, now); err != nil {
			return User{}, APIToken{}, err
		}
		t.LastUsedAt = &now
	}
	return u, t, nil
}

// CreateToken makes an API token for u; the returned secret is shown once.
func (s *Service) CreateToken(ctx context.Context, u User, name, scope string) (APIToken, string, error) {
	var errs validate.Errors
	name = strings.TrimSpace(name)
	errs.Text("name", name, true, 100)
	errs.Choice("scope", scope, true, ScopeRead, ScopeWrite)
	if err := errs.Err(); err != nil {
		return APIToken{}, "", err
	}
	t := APIToken{ID: uuid.Must(uuid.NewV7()).String(), UserID: u.ID, Name: name, Scope: scope, CreatedAt: s.cfg.Now()}
	secret, hash := NewAPIToken(t.ID)
	t.Hash = hash
	if err := s.store.CreateToken(ctx, &t); err != nil {
		return APIToken{}, "", err
	}
	return t, secret, nil
}

// RevokeToken revokes one of u's tokens.
func (s *Service) RevokeToken(ctx context.Context, u User, id string) error {
	return s.store.RevokeToken(ctx, u.ID, id, s.cfg.Now())
}

// RequestReset sends a one-time reset link when the address belongs to an
// account. It answers the same either way, so it cannot be used to find
// out who has an account.
func (s *Service) RequestReset(ctx context.Context, email string) error {
	email = NormalizeEmail(email)
	var errs validate.Errors
	errs.Email("email", email, true)
	if err := errs.Err(); err != nil {
		return err
	}
	if err := s.audit.Audit(ctx, "password.reset_requested", "account", email, ""); err != nil {
		return err
	}
	u, err := s.store.GetUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		return nil
	}
	if err != nil {
		return err
	}
	link, err := s.ResetLink(ctx, u)
	if err != nil {
		return err
	}
	t := s.cfg.Text
	return s.mail.Send(ctx, mail.Message{To: u.Email, Subject: t(ctx, "mail.reset.subject"),
		Text: t(ctx, "mail.reset.body", "name", displayName(u), "minutes", int(s.cfg.ResetTTL.Minutes()), "link", link)})
}

// ResetLink makes a one-time reset link for u (also used by the CLI).
func (s *Service) ResetLink(ctx context.Context, u User) (string, error) {
	secret, hash := NewSecret()
	now := s.cfg.Now()
	if err := s.store.CreateReset(ctx, Reset{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.ResetTTL)}); err != nil {
		return "", err
	}
	return s.cfg.BaseURL + "/reset/" + secret, nil
}

func displayName(u User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// ResetPassword sets a new password through a one-time link and ends all
// sessions of the account.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) error {
	var errs validate.Errors
	checkPassword(&errs, "password", password)
	if err := errs.Err(); err != nil {
		return err
	}
	userID, err := s.store.UseReset(ctx, HashSecret(secret), s.cfg.Now())
	if errors.Is(err, store.ErrNotFound) {
		_ = s.audit.Audit(ctx, "password.reset_refused", "account", "", "invalid, expired or used link")
		return ErrLinkInvalid
	}
	if err != nil {
		return err
	}
	return s.setPassword(ctx, userID, password, "password.reset")
}

// SetPassword sets u's password directly (CLI, account page).
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	var errs validate.Errors
	checkPassword(&errs, "password", password)
	if err := errs.Err(); err != nil {
		return err
	}
	return s.setPassword(ctx, userID, password, "password.change")
}

func (s *Service) setPassword(ctx context.Context, userID, password, action string) error {
	hash, err := HashPassword(password, s.cfg.Params)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, userID, hash); err != nil {
		return err
	}
	return s.audit.Audit(ctx, action, "account", userID, "")
}

// Invite sends an invitation to join organisation org; the caller has
// checked that the inviter may invite there.
func (s *Service) Invite(ctx context.Context, inviter User, email, org, orgName string, orgAdmin bool) (Invitation, error) {
	return s.invite(ctx, inviter, email, org, orgName, orgAdmin, nil)
}

// InviteManager invites a person to administer organisation org and
// manage cluster clusterID (a cluster that was just accepted into the
// alliance); the caller has checked that the inviter may.
func (s *Service) InviteManager(ctx context.Context, inviter User, email, org, orgName, clusterID string) (Invitation, error) {
	return s.invite(ctx, inviter, email, org, orgName, true, []string{clusterID})
}

func (s *Service) invite(ctx context.Context, inviter User, email, org, orgName string, orgAdmin bool, clusters []string) (Invitation, error) {
	email = NormalizeEmail(email)
	var errs validate.Errors
	errs.Email("email", email, true)
	if err := errs.Err(); err != nil {
		return Invitation{}, err
	}
	if _, err := s.store.GetUserByEmail(ctx, email); err == nil {
		return Invitation{}, validate.Errors{{Field: "email", Code: "error.account_exists"}}
	} else if !errors.Is(err, store.ErrNotFound) {
		return Invitation{}, err
	}
	secret, hash := NewSecret()
	now := s.cfg.Now()
	inv := Invitation{ID: uuid.Must(uuid.NewV7()).String(), Hash: hash, Email: email, OrganisationID: org, OrgAdmin: orgAdmin,
		InvitedBy: inviter.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.InviteTTL), ManagedClusters: clusters}
	if err := s.store.CreateInvitation(ctx, &inv); err != nil {
		return Invitation{}, err
	}
	link := s.cfg.BaseURL + "/invitations/" + secret
	t := s.cfg.Text
	err := s.mail.Send(ctx, mail.Message{To: email, Subject: t(ctx, "mail.invite.subject"),
		Text: t(ctx, "mail.invite.body", "inviter", displayName(inviter), "organisation", orgName, "days", int(s.cfg.InviteTTL.Hours()/24), "link", link)})
	return inv, err
}

// Invitation returns the pending invitation of a link secret.
func (s *Service) Invitation(ctx context.Context, secret string) (Invitation, error) {
	inv, err := s.store.GetInvitation(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (inv.AcceptedAt != nil || s.cfg.Now().After(inv.ExpiresAt))) {
		return Invitation{}, ErrLinkInvalid
	}
	return inv, err
}

// AcceptInvitation creates the invited account.
func (s *Service) AcceptInvitation(ctx context.Context, secret, name, password string) (User, error) {
	inv, err := s.Invitation(ctx, secret)
	if err != nil {
		_ = s.audit.Audit(ctx, "invitation.refused", "invitation", "", "invalid, expired or used link")
		return User{}, err
	}
	var errs validate.Errors
	name = strings.TrimSpace(name)
	errs.Text("name", name, true, 200)
	checkPassword(&errs, "password", password)
	if err := errs.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password, s.cfg.Params)
	if err != nil {
		return User{}, err
	}
	u := User{ID: uuid.Must(uuid.NewV7()).String(), Email: inv.Email, Name: name, OrganisationID: inv.OrganisationID,
		OrgAdmin: inv.OrgAdmin, PasswordHash: hash, ManagedClusters: append([]string{}, inv.ManagedClusters...)}
	if err := s.store.AcceptInvitation(ctx, HashSecret(secret), &u, s.cfg.Now()); err != nil {
		return User{}, err
	}
	return u, nil
}

// Store returns the underlying store.
func (s *Service) Store() Store { return s.store }
