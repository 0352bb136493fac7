package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/store"
)

// The demonstration exchange of people: offers of hosts in four
// clusters (Flanders, Karlsruhe, Twente, The Hague), requests of people
// from three, and applications in every state — waiting for approval,
// approved, a stay under way (whose guest may use the host's training
// ground today), and finished stays with both reports, one of them made
// into a lesson learned of the practices library. Every topic says
// "(demo)"; the accounts below exist only in the demo (password
// Password).

// ExchangeAccounts are the demo's hosts, guests and the administrators
// who approve for the guests' organisations.
var ExchangeAccounts = []struct {
	Email, Name, Org string
	Admin            bool
}{
	{"host.genk@example.org", "Demo Host Genk", "stad-genk", true},
	{"host.kit@example.org", "Demo Host KIT", "karlsruhe-institute-of-technology", true},
	{"host.twente@example.org", "Demo Host Twente", "veiligheidsregio-twente", true},
	{"guest.sdis13@example.org", "Demo Guest SDIS 13", "sdis-13", false},
	{"admin.sdis13@example.org", "Demo Administrator SDIS 13", "sdis-13", true},
	{"guest.pirkanmaa@example.org", "Demo Guest Pirkanmaa", "pirkanmaa-rescue-department", false},
	{"admin.pirkanmaa@example.org", "Demo Administrator Pirkanmaa", "pirkanmaa-rescue-department", true},
}

// exchangeViewers creates the demo's accounts (and the demonstration
// logins, LoadAccounts) and returns a viewer per e-mail address.
func exchangeViewers(ctx context.Context, dir directory.Store, acc *accounts.Service) (map[string]access.Viewer, error) {
	if err := LoadAccounts(ctx, dir, acc); err != nil {
		return nil, err
	}
	out := map[string]access.Viewer{}
	emails := []string{Accounts[2].Email, Accounts[3].Email}
	for _, a := range ExchangeAccounts {
		emails = append(emails, a.Email)
		if _, err := acc.Store().GetUserByEmail(ctx, a.Email); err == nil {
			continue
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		o, err := dir.GetOrganisation(ctx, a.Org)
		if err != nil {
			return nil, fmt.Errorf("demo exchange account %s: %w", a.Email, err)
		}
		u := accounts.User{Email: a.Email, Name: a.Name, OrganisationID: o.ID, OrgAdmin: a.Admin}
		if err := acc.NewUser(ctx, &u, Password); err != nil {
			return nil, fmt.Errorf("demo exchange account %s: %w", a.Email, err)
		}
	}
	for _, e := range emails {
		u, err := acc.Store().GetUserByEmail(ctx, e)
		if err != nil {
			return nil, err
		}
		o, err := dir.GetOrganisation(ctx, u.OrganisationID)
		if err != nil {
			return nil, err
		}
		v := access.Viewer{UserID: u.ID, Email: u.Email, OrganisationID: u.OrganisationID, OrgAdmin: u.OrgAdmin, WriteAllowed: true}
		for _, m := range o.Memberships {
			v.Clusters = append(v.Clusters, m.ClusterID)
		}
		out[e] = v
	}
	return out, nil
}

// LoadExchanges publishes the demo's offers and requests and takes its
// applications as far as their stage, through the exchange rules, as the
// people who take each step. It returns how many applications it stored.
func LoadExchanges(ctx context.Context, ex *exchanges.Service, dir directory.Store, acc *accounts.Service, now time.Time) (int, error) {
	vs, err := exchangeViewers(access.AsSystem(ctx), dir, acc)
	if err != nil {
		return 0, err
	}
	as := func(email string) context.Context { return access.WithViewer(ctx, vs[email]) }
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	offers := map[string]exchanges.Offer{}
	for _, o := range demoOffers(day) {
		created, err := ex.CreateOffer(as(o.host), o.Offer)
		if err != nil {
			return 0, fmt.Errorf("demo offer %s: %w", o.key, err)
		}
		offers[o.key] = created
	}
	for _, r := range demoRequests(day) {
		if _, err := ex.CreateRequest(as(r.by), r.Request); err != nil {
			return 0, fmt.Errorf("demo request %s: %w", r.Topic, err)
		}
	}
	n := 0
	for _, st := range demoStays() {
		if err := loadStay(ex, as, offers[st.offer], st, day); err != nil {
			return n, fmt.Errorf("demo exchange %s: %w", st.offer, err)
		}
		n++
	}
	return n, nil
}

// loadStay applies as the guest and takes the steps up to the stay's
// stage, each as the side that takes it.
func loadStay(ex *exchanges.Service, as func(string) context.Context, o exchanges.Offer, st demoStay, day func(int) string) error {
	in := exchanges.Application{Tasks: st.tasks, Supervisor: st.supervisor, StartsOn: day(st.from), EndsOn: day(st.to)}
	if st.records {
		in.Records = o.Facilities
	}
	a, err := ex.Apply(as(st.guest), o.ID, in)
	if err != nil {
		return err
	}
	type step struct {
		stage int
		do    func() (exchanges.Application, error)
	}
	steps := []step{
		{1, func() (exchanges.Application, error) { return ex.Approve(as(st.home), a.ID, "home", 0) }},
		{1, func() (exchanges.Application, error) { return ex.Approve(as(st.host), a.ID, "host", 0) }},
		{2, func() (exchanges.Application, error) { return ex.Sign(as(st.guest), a.ID, 0) }},
		{2, func() (exchanges.Application, error) { return ex.Sign(as(st.host), a.ID, 0) }},
		{3, func() (exchanges.Application, error) { return ex.Report(as(st.guest), a.ID, st.guestReport, 0) }},
		{3, func() (exchanges.Application, error) { return ex.Report(as(st.host), a.ID, st.hostReport, 0) }},
	}
	for _, s := range steps {
		if s.stage > st.stage {
			break
		}
		if _, err := s.do(); err != nil {
			return err
		}
	}
	if st.stage >= 4 {
		_, err = ex.ReportToPractice(as(st.host), a.ID)
	}
	return err
}
