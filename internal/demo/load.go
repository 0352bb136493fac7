package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
)

// Counts says how many records a load wrote.
type Counts struct {
	Clusters, Organisations, People, Facilities, Calls, Bookings, Events, Inquiries, Practices, Applications, Postings int
	// Exchanges counts the applications of the exchange of people.
	Exchanges int
	// Projects and Participations count the EU project records of the
	// embedded CORDIS subset (cordis.go) that the load added.
	Projects, Participations int
}

// Option changes what LoadAll loads.
type Option func(*options)

type options struct{ skipCORDIS bool }

// WithoutCORDIS leaves out the embedded CORDIS security subset, for tests
// that are not about EU projects, track records or rankings (the import
// takes a few seconds).
func WithoutCORDIS() Option { return func(o *options) { o.skipCORDIS = true } }

// ErrNotEmpty is LoadAll's refusal to load into a database that holds
// data already; nothing was changed.
var ErrNotEmpty = errors.New("the database already holds data")

// LoadAll loads the whole demonstration alliance through the application's
// services: the directory, the calls and the facilities' bookings (dated
// relative to now; their notices go nowhere), and the embedded CORDIS
// security subset unless WithoutCORDIS is given. It refuses a database that
// is not empty with ErrNotEmpty.
func LoadAll(ctx context.Context, a *app.App, now time.Time, opts ...Option) (Counts, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	empty, err := Empty(ctx, a.Directory.Store())
	if err != nil {
		return Counts{}, err
	}
	if !empty {
		return Counts{}, ErrNotEmpty
	}
	n, err := Load(ctx, a.Directory)
	if err != nil {
		return n, err
	}
	quiet := a.Facilities.WithMail(mail.Log{Logger: slog.New(slog.DiscardHandler)})
	if n.Bookings, err = LoadBookings(ctx, a.Directory.Store(), quiet, now); err != nil {
		return n, err
	}
	if n.Events, err = LoadEvents(ctx, a.DB, now); err != nil { // events.go
		return n, err
	}
	silent := mail.Log{Logger: slog.New(slog.DiscardHandler)}
	if n.Inquiries, err = LoadInquiries(ctx, a.Inquiries.WithMail(silent), a.Directory.Store()); err != nil { // inquiries.go
		return n, err
	}
	if n.Applications, err = LoadGovernance(ctx, a.Governance.WithMail(silent), a.Directory.Store()); err != nil { // governance.go
		return n, err
	}
	if n.Exchanges, err = LoadExchanges(ctx, a.Exchanges, a.Directory.Store(), a.Accounts, now); err != nil { // exchanges.go
		return n, err
	}
	if n.Postings, err = LoadPostings(ctx, a.Postings.WithMail(silent), a.Directory.Store()); err != nil { // postings.go
		return n, err
	}
	if !o.skipCORDIS {
		sum, err := LoadCORDIS(ctx, a) // cordis.go
		if err != nil {
			return n, err
		}
		n.Projects, n.Participations = sum.Projects.New, sum.Participations.New
	}
	return n, nil
}

// Empty reports whether the directory holds no clusters and no
// organisations, the condition under which the demo may be loaded.
func Empty(ctx context.Context, s directory.Store) (bool, error) {
	ctx = access.WithScope(ctx, access.System)
	c, err := s.ListClusters(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return false, err
	}
	o, err := s.ListOrganisations(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return false, err
	}
	return c.Total == 0 && o.Total == 0, nil
}

// Load writes the demonstration alliance through the directory's rules, so
// the demo is held to the same validation as any other input.
func Load(ctx context.Context, svc *directory.Service) (Counts, error) {
	ctx = access.AsSystem(ctx)
	ctx = audit.WithActor(ctx, audit.Actor{Label: "demo"})
	var n Counts
	d := Alliance()
	for i := range d.Clusters {
		c := &d.Clusters[i]
		if err := svc.CreateCluster(ctx, c); err != nil {
			return n, fmt.Errorf("demo cluster %s: %w", c.Slug, err)
		}
		n.Clusters++
	}
	for i := range d.Organisations {
		o := &d.Organisations[i]
		if err := svc.CreateOrganisation(ctx, o); err != nil {
			return n, fmt.Errorf("demo organisation %s: %w", o.Slug, err)
		}
		n.Organisations++
	}
	for i := range d.People {
		p := &d.People[i]
		// A mix of sharing levels, so that signing in as different roles
		// shows different directories.
		if p.Visibility == "" {
			p.Visibility = []string{access.Public, access.Alliance, access.Cluster}[i%3]
		}
		if err := svc.CreatePerson(ctx, p); err != nil {
			return n, fmt.Errorf("demo person %s: %w", p.Name, err)
		}
		n.People++
	}
	for i := range d.Facilities {
		f := &d.Facilities[i]
		if f.Visibility == "" {
			f.Visibility = access.Public
			if i == len(d.Facilities)-1 {
				f.Visibility = access.Alliance
			}
		}
		if err := svc.CreateFacility(ctx, f); err != nil {
			return n, fmt.Errorf("demo facility %s: %w", f.Slug, err)
		}
		n.Facilities++
	}
	// Calls live in their own store, which the directory's engine also
	// implements (calls.go).
	if cs, ok := svc.Store().(calls.Store); ok {
		var err error
		if n.Calls, err = loadCalls(ctx, cs); err != nil {
			return n, err
		}
	}
	if ps, ok := svc.Store().(practices.Store); ok {
		var err error
		if n.Practices, err = loadPractices(ctx, ps); err != nil { // practices.go
			return n, err
		}
	}
	return n, nil
}

// Password is the password of every demonstration account. It is printed
// by `escnet serve --demo`; never use the demo accounts on a real server.
const Password = "escnet-demo-2026"

// Account is a demonstration login.
type Account struct {
	Email, Role, Description string
}

// Accounts lists the demonstration logins, one per role.
var Accounts = []Account{
	{"admin@example.org", "alliance administrator", "everything, the audit log, users and roles"},
	{"manager.hsd@example.org", "cluster manager", "The Hague Security Delta: edits the cluster and its members"},
	{"admin.tno@example.org", "organisation administrator", "TNO: edits TNO, its people and facilities, invites colleagues"},
	{"member.tno@example.org", "member", "TNO: sees what is shared with TNO's clusters and the alliance"},
}

// LoadAccounts creates the demonstration accounts that do not exist yet.
func LoadAccounts(ctx context.Context, dir directory.Store, acc *accounts.Service) error {
	ctx = access.WithScope(ctx, access.System)
	hsd, err := dir.GetCluster(ctx, "hsd")
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	tno, err := dir.GetOrganisation(ctx, "tno")
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	hsdOrg, err := dir.GetOrganisation(ctx, "hsd-foundation")
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	users := []accounts.User{
		{Email: Accounts[0].Email, Name: "Demo Administrator", AllianceAdmin: true},
		{Email: Accounts[1].Email, Name: "Demo Cluster Manager", OrganisationID: hsdOrg.ID, ManagedClusters: []string{hsd.ID}},
		{Email: Accounts[2].Email, Name: "Demo Organisation Administrator", OrganisationID: tno.ID, OrgAdmin: true},
		{Email: Accounts[3].Email, Name: "Demo Member", OrganisationID: tno.ID},
	}
	for _, u := range users {
		if _, err := acc.Store().GetUserByEmail(ctx, u.Email); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := acc.NewUser(ctx, &u, Password); err != nil {
			return fmt.Errorf("demo account %s: %w", u.Email, err)
		}
	}
	return nil
}
