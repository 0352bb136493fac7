package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

const userUsage = `Usage: escnet user <add|list|set-role|reset-password> [flags]

  escnet user add --email E [--name N] [--org ORG] [--role ROLE] [--cluster C]
        create an account; the password is read from ESCNET_PASSWORD or,
        when that is unset, from the first line of standard input
  escnet user list
  escnet user set-role --email E --role ROLE [--cluster C] [--org ORG]
        ROLE is alliance-admin, cluster-manager (with --cluster, repeatable
        as a comma list), org-admin (of --org or the user's organisation)
        or member (removes the administrative roles)
  escnet user reset-password --email E
        print a one-time link that lets the user choose a new password
`

// cliContext marks writes of the command line in the audit log and lets
// it see everything, as the application itself does.

func runUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := stdout
		if len(args) == 0 {
			out = stderr
		}
		fmt.Fprint(out, userUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("user "+sub, "[flags]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	email := fs.String("email", "", "the account's e-mail address")
	name := fs.String("name", "", "the person's name")
	org := fs.String("org", "", "organisation (id or slug)")
	role := fs.String("role", "member", "alliance-admin, cluster-manager, org-admin or member")
	cluster := fs.String("cluster", "", "cluster (id or slug, comma-separated) for cluster-manager")
	baseURL := fs.String("base-url", "http://localhost:8080", "public address of the server, for the reset link")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{Accounts: accounts.Config{BaseURL: *baseURL}})
	if err != nil {
		return err
	}
	defer a.Close()
	db := a.DB
	ctx = cliContext(ctx)
	acc := a.Accounts
	switch sub {
	case "add":
		if *email == "" {
			return errors.New("user add: --email is required")
		}
		password, err := readPassword()
		if err != nil {
			return err
		}
		u := accounts.User{Email: *email, Name: *name}
		if err := applyRole(ctx, db, &u, *role, *org, *cluster); err != nil {
			return err
		}
		if err := acc.NewUser(ctx, &u, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Email, u.Role())
		return nil
	case "list":
		users, err := db.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tORGANISATION\tCLUSTERS\tDISABLED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\n", u.Email, u.Role(), u.OrganisationID, strings.Join(u.ManagedClusters, ","), u.Disabled)
		}
		return tw.Flush()
	case "set-role":
		u, err := db.GetUserByEmail(ctx, accounts.NormalizeEmail(*email))
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("user set-role: no account with e-mail %q", *email)
		}
		if err != nil {
			return err
		}
		if err := applyRole(ctx, db, &u, *role, *org, *cluster); err != nil {
			return err
		}
		if err := db.UpdateUser(ctx, &u); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now %s\n", u.Email, u.Role())
		return nil
	case "reset-password":
		u, err := db.GetUserByEmail(ctx, accounts.NormalizeEmail(*email))
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("user reset-password: no account with e-mail %q", *email)
		}
		if err != nil {
			return err
		}
		link, err := acc.ResetLink(ctx, u)
		if err != nil {
			return err
		}
		if err := db.Audit(ctx, "password.reset_link_issued", "account", u.ID, "cli"); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "one-time link for %s (valid %s):\n%s\n", u.Email, acc.Config().ResetTTL, link)
		return nil
	}
	fmt.Fprintf(stderr, "escnet: unknown user command %q\n\n%s", sub, userUsage)
	return errUsage
}

// readPassword takes the password from ESCNET_PASSWORD or standard input,
// never from a flag, so it stays out of shell history and process lists.
func readPassword() (string, error) {
	if p := os.Getenv("ESCNET_PASSWORD"); p != "" {
		return p, nil
	}
	var line string
	if _, err := fmt.Fscanln(os.Stdin, &line); err != nil {
		return "", errors.New("user add: give the password in ESCNET_PASSWORD or on standard input")
	}
	return strings.TrimSpace(line), nil
}

// applyRole sets u's roles from the command line's words.
func applyRole(ctx context.Context, db *sqlstore.DB, u *accounts.User, role, org, clusters string) error {
	if org != "" {
		o, err := db.GetOrganisation(ctx, org)
		if err != nil {
			return fmt.Errorf("--org %q: %w", org, err)
		}
		u.OrganisationID = o.ID
	}
	switch role {
	case "alliance-admin":
		u.AllianceAdmin = true
	case "cluster-manager":
		if clusters == "" {
			return errors.New("--role cluster-manager needs --cluster")
		}
		for _, c := range strings.Split(clusters, ",") {
			cl, err := db.GetCluster(ctx, strings.TrimSpace(c))
			if err != nil {
				return fmt.Errorf("--cluster %q: %w", c, err)
			}
			u.ManagedClusters = append(u.ManagedClusters, cl.ID)
		}
	case "org-admin":
		if u.OrganisationID == "" {
			return errors.New("--role org-admin needs --org (or an account that belongs to an organisation)")
		}
		u.OrgAdmin = true
	case "member":
		u.AllianceAdmin, u.OrgAdmin, u.ManagedClusters = false, false, []string{}
	default:
		return fmt.Errorf("--role %q: use alliance-admin, cluster-manager, org-admin or member", role)
	}
	return nil
}
