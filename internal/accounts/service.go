package accounts

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
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
	// MaxHashing passwords are hashed at once (default: the number of
	// CPUs, at least 2); HashQueue more wait up to HashWait for a slot
	// (defaults 8 and 3 s); beyond that a sign-in is answered ErrBusy.
	MaxHashing int
	HashQueue  int
	HashWait   time.Duration
	BaseURL    string // for links in e-mails, e.g. https://escnet.example.org
	Params     Params // argon2id cost
	Now        func() time.Time
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
	if c.MaxHashing == 0 {
		c.MaxHashing = max(2, runtime.NumCPU())
	}
	if c.HashQueue == 0 {
		c.HashQueue = 8
	}
	if c.HashWait == 0 {
		c.HashWait = 3 * time.Second
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
	gate  *hashGate
	// sources are the other capabilities' personal records.
	sources personalSources
	// dummyHash is checked when an e-mail is unknown, so that a wrong
	// address takes as long as a wrong password.
	dummyHash string
}

// NewService returns a Service.
func NewService(s Store, a Auditor, m mail.Sender, cfg Config) *Service {
	cfg.defaults()
	dummy, _ := HashPassword("escnet-dummy-password", cfg.Params)
	return &Service{store: s, audit: a, mail: m, cfg: cfg, dummyHash: dummy, gate: newHashGate(cfg.MaxHashing, cfg.HashQueue, cfg.HashWait)}
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
	hash, err := s.hash(ctx, password)
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
// value. The attempt is counted, per account and per address, before the
// password is looked at, so parallel guesses cannot pass the limit; a
// sign-in that succeeds takes its attempt back. Failures are audited; the
// error never says whether the account exists.
func (s *Service) Login(ctx context.Context, email, password, userAgent string) (User, string, error) {
	email = NormalizeEmail(email)
	ip := audit.ActorFrom(ctx).IP
	now := s.cfg.Now()
	keys := []string{"account:" + email}
	if ip != "" {
		keys = append(keys, "ip:"+ip)
	}
	counts, err := s.store.CountAttempt(ctx, keys, now, s.cfg.FailureWindow)
	if err != nil {
		return User{}, "", err
	}
	if counts[0] > s.cfg.MaxPerAccount || (ip != "" && counts[1] > s.cfg.MaxPerIP) {
		_ = s.audit.Audit(ctx, "login.throttled", "account", email, "")
		return User{}, "", ErrThrottled
	}
	u, ok, err := s.checkCredentials(ctx, email, password)
	if errors.Is(err, ErrBusy) || errors.Is(err, context.Canceled) {
		// Not checked: the attempt does not count.
		if ferr := s.store.ForgetAttempt(context.WithoutCancel(ctx), keys); ferr != nil {
			return User{}, "", ferr
		}
		return User{}, "", err
	}
	if err != nil {
		return User{}, "", err
	}
	if !ok {
		if err := s.audit.Audit(ctx, "login.failed", "account", email, ""); err != nil {
			return User{}, "", err
		}
		return User{}, "", ErrInvalidCredentials
	}
	if err := s.store.ForgetAttempt(ctx, keys); err != nil {
		return User{}, "", err
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

// checkCredentials looks the account up and checks the password; an
// unknown address is checked against a dummy hash, so it takes as long.
func (s *Service) checkCredentials(ctx context.Context, email, password string) (User, bool, error) {
	u, err := s.store.GetUserByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		_, err := s.check(ctx, s.dummyHash, password)
		return User{}, false, err
	case err != nil:
		return User{}, false, err
	}
	ok, err := s.check(ctx, u.PasswordHash, password)
	return u, ok && !u.Disabled, err
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
// It decides nothing: it is for the command line, the demo and tests;
// requests go through CreateMyToken.
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
// sessions of the account and every other outstanding link. The password
// is hashed before the link is used, so a busy server does not burn it.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) error {
	var errs validate.Errors
	checkPassword(&errs, "password", password)
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
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
	return s.storePassword(ctx, userID, hash, "password.reset")
}

// SetPassword sets u's password directly (CLI, account page).
func (s *Service) SetPassword(ctx context.Context, userID, password string) error {
	var errs validate.Errors
	checkPassword(&errs, "password", password)
	if err := errs.Err(); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	return s.storePassword(ctx, userID, hash, "password.change")
}

// storePassword writes a new hash; the store ends the account's sessions,
// reset links and pending invitations with it.
func (s *Service) storePassword(ctx context.Context, userID, hash, action string) error {
	if err := s.store.SetPassword(ctx, userID, hash); err != nil {
		return err
	}
	return s.audit.Audit(ctx, action, "account", userID, "")
}

// sendInvitation mails an invitation to join o; the use case (Invite) has
// decided that the inviter may.
func (s *Service) sendInvitation(ctx context.Context, inviter User, email string, o directory.Organisation, orgAdmin bool) (Invitation, error) {
	return s.invite(ctx, inviter, email, o, orgAdmin, nil)
}

// InviteManager invites a person to administer organisation o and manage
// cluster clusterID (a cluster that was just accepted into the alliance);
// the caller (the governance service) has decided that the inviter may.
func (s *Service) InviteManager(ctx context.Context, inviter User, email string, o directory.Organisation, clusterID string) (Invitation, error) {
	return s.invite(ctx, inviter, email, o, true, []string{clusterID})
}

func (s *Service) invite(ctx context.Context, inviter User, email string, o directory.Organisation, orgAdmin bool, clusters []string) (Invitation, error) {
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
	inv := Invitation{ID: uuid.Must(uuid.NewV7()).String(), Hash: hash, Email: email, OrganisationID: o.ID, OrgAdmin: orgAdmin,
		InvitedBy: inviter.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.InviteTTL), ManagedClusters: clusters}
	if err := s.store.CreateInvitation(ctx, &inv); err != nil {
		return Invitation{}, err
	}
	link := s.cfg.BaseURL + "/invitations/" + secret
	t := s.cfg.Text
	err := s.mail.Send(ctx, mail.Message{To: email, Subject: t(ctx, "mail.invite.subject"),
		Text: t(ctx, "mail.invite.body", "inviter", displayName(inviter), "organisation", o.Name, "days", int(s.cfg.InviteTTL.Hours()/24), "link", link)})
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
	hash, err := s.hash(ctx, password)
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
