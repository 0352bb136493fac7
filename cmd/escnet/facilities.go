package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

const facilitiesUsage = `Usage: escnet facilities import --org ORG --file FILE.csv [--db DSN] [--dry-run]

  Adds or updates the facilities of organisation ORG (id or slug) from a
  CSV file with a header row. A row whose slug exists updates that facility
  (which must belong to ORG); any other row adds one. Every row is checked
  first: if any is bad, nothing is written and each problem is listed as
  line: field: problem.

  Columns (any order; slug, name, kind and country are required):
    slug, name, kind, country, city, address, latitude, longitude,
    time_zone, capacity, uses, access_conditions, price_model, price_cents,
    price_unit, website, description, cluster, visibility, tlp,
    capabilities, restrictions (space-separated), certifications
    (separated by ";")
`

// facilityColumns are the columns the import reads.
var facilityColumns = []string{"slug", "name", "kind", "country", "city", "address", "latitude", "longitude", "time_zone", "capacity",
	"uses", "access_conditions", "price_model", "price_cents", "price_unit", "website", "description", "cluster", "visibility", "tlp",
	"capabilities", "restrictions", "certifications"}

func runFacilities(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := stdout
		if len(args) == 0 {
			out = stderr
		}
		fmt.Fprint(out, facilitiesUsage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "import" {
		fmt.Fprintf(stderr, "escnet facilities: unknown subcommand %q\n\n%s", args[0], facilitiesUsage)
		return errUsage
	}
	return runFacilitiesImport(ctx, args[1:], stdout, stderr)
}

// runFacilitiesImport reads, checks and writes a facilities file through
// the facilities service (the same rules as the web: the owner's records,
// the facility cluster rule).
func runFacilitiesImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("facilities import", "--org ORG --file FILE.csv [--db DSN] [--dry-run]", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	org := fs.String("org", "", "the owning organisation (id or slug)")
	file := fs.String("file", "", "the CSV file (- for standard input)")
	dry := fs.Bool("dry-run", false, "check every row and write nothing")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *org == "" || *file == "" {
		fmt.Fprint(stderr, facilitiesUsage)
		return errUsage
	}
	var in io.Reader = os.Stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = cliContext(ctx)
	owner, err := a.Directory.Store().GetOrganisation(ctx, *org)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("facilities import: no organisation %q", *org)
	} else if err != nil {
		return err
	}
	rows, err := readFacilityCSV(in, owner.ID)
	if err != nil {
		return err
	}
	// Check every row first, so that a bad file writes nothing.
	problems, err := checkFacilityRows(ctx, a.Facilities, owner.ID, rows)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		return fmt.Errorf("facilities import: %d problems in %s; nothing was written", len(problems), *file)
	}
	if *dry {
		fmt.Fprintf(stdout, "%d facilities checked; nothing was written (--dry-run)\n", len(rows))
		return nil
	}
	added, updated, err := writeFacilityRows(ctx, a.Facilities, rows)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d facilities added, %d updated for %s\n", added, updated, owner.Name)
	return nil
}

// checkFacilityRows matches rows to existing facilities by slug and lists
// every problem as "line N: field: problem".
func checkFacilityRows(ctx context.Context, svc *facilities.Service, owner string, rows []*facilityRow) ([]string, error) {
	var problems []string
	for _, r := range rows {
		if existing, err := svc.Facility(ctx, r.facility.Slug); err == nil {
			if existing.OrganisationID != owner {
				problems = append(problems, fmt.Sprintf("line %d: slug: %s belongs to another organisation", r.line, r.facility.Slug))
				continue
			}
			r.facility.ID = existing.ID
			// Sharing stays as it is unless the file says otherwise.
			if r.facility.Visibility == "" {
				r.facility.Visibility = existing.Visibility
			}
			if r.facility.TLP == "" {
				r.facility.TLP = existing.TLP
			}
		}
		f := r.facility
		if err := svc.ValidateFacility(ctx, &f); err != nil {
			var ve validate.Errors
			if !errors.As(err, &ve) {
				return nil, err
			}
			for _, fe := range ve {
				problems = append(problems, fmt.Sprintf("line %d: %s: %s", r.line, fe.Field, validate.Message(fe)))
			}
		}
		problems = append(problems, r.problems...)
	}
	return problems, nil
}

// writeFacilityRows adds or updates each row's facility.
func writeFacilityRows(ctx context.Context, svc *facilities.Service, rows []*facilityRow) (added, updated int, err error) {
	for _, r := range rows {
		f := r.facility
		if f.ID != "" {
			err = svc.UpdateFacility(ctx, &f)
			updated++
		} else {
			err = svc.CreateFacility(ctx, &f)
			added++
		}
		if err != nil {
			return added, updated, fmt.Errorf("line %d (%s): %w", r.line, f.Slug, err)
		}
	}
	return added, updated, nil
}

type facilityRow struct {
	line     int
	facility directory.Facility
	problems []string // what the CSV itself got wrong (numbers)
}

// readFacilityCSV reads the rows with encoding/csv; unknown columns are
// refused so that a misspelt header does not drop data silently.
func readFacilityCSV(in io.Reader, owner string) ([]*facilityRow, error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("facilities import: header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(facilityColumns, h) {
			return nil, fmt.Errorf("facilities import: unknown column %q (the columns are %s)", h, strings.Join(facilityColumns, ", "))
		}
		col[h] = i
	}
	for _, need := range []string{"slug", "name", "kind", "country"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("facilities import: the header lacks the column %q", need)
		}
	}
	var rows []*facilityRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("facilities import: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		r := &facilityRow{line: line}
		f := directory.Facility{Slug: get("slug"), Name: get("name"), Kind: get("kind"), Country: get("country"), City: get("city"),
			Address: get("address"), TimeZone: get("time_zone"), Uses: get("uses"), AccessConditions: get("access_conditions"),
			PriceModel: get("price_model"), PriceUnit: get("price_unit"), Website: get("website"), Description: get("description"),
			ClusterID: get("cluster"), Visibility: get("visibility"), TLP: get("tlp"), OrganisationID: owner,
			Capabilities: strings.Fields(get("capabilities")), Restrictions: strings.Fields(get("restrictions"))}
		for _, c := range strings.Split(get("certifications"), ";") {
			if c = strings.TrimSpace(c); c != "" {
				f.Certifications = append(f.Certifications, c)
			}
		}
		num := func(name string, set func(float64)) {
			if v := get(name); v != "" {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					r.problems = append(r.problems, fmt.Sprintf("line %d: %s: is not a number", line, name))
					return
				}
				set(n)
			}
		}
		num("latitude", func(v float64) { f.Latitude = &v })
		num("longitude", func(v float64) { f.Longitude = &v })
		num("capacity", func(v float64) { f.Capacity = int(v) })
		num("price_cents", func(v float64) { f.PriceCents = int64(v) })
		r.facility = f
		rows = append(rows, r)
	}
	return rows, nil
}
