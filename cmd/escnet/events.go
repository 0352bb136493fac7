package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/events"
)

const eventsUsage = `Usage: escnet events list [--from YYYY-MM-DD] [--kind KIND] [--db DSN]
       escnet events attendees EVENT [--db DSN]
       escnet events schedule EVENT [--db DSN]
       escnet events remind EVENT [--db DSN]

  list       events by start, with their venue's local times and places taken
  attendees  an event's registrations (id or slug): name, organisation,
             e-mail, status, checked in
  schedule   run the 1:1 meeting scheduler of a brokerage event, store the
             plan, e-mail every attendee their agenda and print the figures
  remind     e-mail a reminder to every confirmed attendee (run it from a
             scheduled job the day before)
`

func runEvents(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := stdout
		if len(args) == 0 {
			out = stderr
		}
		fmt.Fprint(out, eventsUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	sub := args[0]
	fs := newFlagSet("events "+sub, "[flags]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	from := fs.String("from", "", "list: only events ending after this day")
	kind := fs.String("kind", "", "list: workshop, conference, meeting, webinar or training")
	var rest []string
	flags := args[1:]
	if len(flags) > 0 && flags[0] != "" && flags[0][0] != '-' { // the event comes first
		rest, flags = flags[:1], flags[1:]
	}
	if err := parse(fs, flags, stdout); err != nil {
		return err
	}
	needsEvent := sub == "attendees" || sub == "schedule" || sub == "remind"
	if (sub != "list" && !needsEvent) || (needsEvent && len(rest) != 1) || (sub == "list" && len(rest) != 0) {
		fmt.Fprintf(stderr, "escnet events: bad command line\n\n%s", eventsUsage)
		return errUsage
	}
	f := events.Filter{Kind: *kind, Limit: 1000}
	if *from != "" {
		t, err := time.Parse("2006-01-02", *from)
		if err != nil {
			return fmt.Errorf("events list: --from: want YYYY-MM-DD: %w", err)
		}
		f.From = t
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)
	switch sub {
	case "list":
		return listEvents(ctx, a.Events, f, stdout)
	case "attendees":
		return listAttendees(ctx, a.Events, rest[0], stdout)
	case "remind":
		n, err := a.Events.SendReminders(ctx, rest[0])
		if err != nil {
			return fmt.Errorf("events remind %s: %w", rest[0], err)
		}
		fmt.Fprintf(stdout, "reminders sent: %d\n", n)
		return nil
	}
	res, err := a.Events.Schedule(ctx, rest[0])
	if err != nil {
		return fmt.Errorf("events schedule %s: %w", rest[0], err)
	}
	fmt.Fprintf(stdout, "accepted %d, held %d, idle gaps %d, kept %d, moved %d (%d slots × %d tables)\n",
		res.Accepted, res.Held, res.Gaps, res.Kept, res.Moved, res.Slots, res.Tables)
	return nil
}

func listEvents(ctx context.Context, svc *events.Service, f events.Filter, stdout io.Writer) error {
	evs, err := svc.ListEvents(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "START\tEND\tZONE\tKIND\tSLUG\tPLACES\tTITLE")
	for _, e := range evs {
		loc := e.Location()
		places := fmt.Sprint(e.Confirmed)
		if e.Capacity > 0 {
			places += "/" + fmt.Sprint(e.Capacity)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.StartsAt.In(loc).Format("2006-01-02 15:04"), e.EndsAt.In(loc).Format("2006-01-02 15:04"),
			e.TimeZone, e.Kind, e.Slug, places, e.Title)
	}
	return tw.Flush()
}

func listAttendees(ctx context.Context, svc *events.Service, event string, stdout io.Writer) error {
	e, rs, err := svc.Attendees(ctx, event)
	if err != nil {
		return fmt.Errorf("events attendees %s: %w", event, err)
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tORGANISATION\tEMAIL\tSTATUS\tCHECKED IN")
	for _, r := range rs {
		in := ""
		if r.CheckedInAt != nil {
			in = r.CheckedInAt.In(e.Location()).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Name, r.Org, r.Email, r.Status, in)
	}
	return tw.Flush()
}
