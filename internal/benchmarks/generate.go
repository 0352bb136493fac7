// Package benchmarks measures the CORDIS import: a reproducible generator
// of CORDIS-layout files of any size, and runs of the import and of each
// engine's own bulk load of the same rows (PostgreSQL COPY; SQLite one
// prepared statement per table in one transaction), with time and peak
// memory. `escnet bench import` and the Go benchmarks use it;
// docs/benchmarks.md records the figures.
package benchmarks

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Shape of the synthetic data, taken from the shipped security exports:
// 632 projects, 6,873 participations (10.9 per project), 3,070 distinct
// organisations, a few of which take part in very many projects.
const (
	perProject = 10.9
	orgShare   = 0.45 // distinct organisations per participation
)

var (
	countries = []string{"DE", "FR", "IT", "ES", "UK", "NL", "EL", "BE", "AT", "SE", "PT", "PL", "FI", "NO", "IL", "IE", "CH", "RO", "DK", "CZ"}
	cities    = []string{"BERLIN", "PARIS", "ROMA", "MADRID", "LONDON", "DELFT", "ATHINA", "BRUXELLES", "WIEN", "STOCKHOLM", "LISBOA", "WARSZAWA", "ESPOO", "OSLO", "HAIFA", "DUBLIN", "ZURICH", "BUCURESTI", "KOBENHAVN", "PRAHA"}
	activity  = []string{"PRC", "PRC", "PRC", "PRC", "HES", "HES", "REC", "REC", "PUB", "OTH"}
	schemes   = []string{"RIA", "IA", "CSA", "CP-FP", "CP", "SME-1"}
	words     = strings.Fields(`security resilience crisis response border detection sensor network critical infrastructure
		cyber threat forensic emergency responders drone maritime surveillance interoperability communication training
		evacuation pandemic explosives chemical biological radiological nuclear protection analysis platform decision
		support situational awareness citizens privacy ethics standard validation demonstration pilot community`)
	suffixes = []string{"GMBH", "SA", "SRL", "BV", "LTD", "AB", "OY", "AS", "SPA", "EV"}
)

// Files are the generated files of one data set.
type Files struct {
	Projects, Organisations string
	NProjects               int
	NParticipations         int
	NOrganisations          int // distinct PICs used
}

// Generate writes CORDIS files in the H2020/FP7 layout with n
// participations into dir. The same n and seed give byte-identical files.
func Generate(dir string, n int, seed uint64) (Files, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	f := Files{Projects: filepath.Join(dir, "cordis-synth-projects.csv"), Organisations: filepath.Join(dir, "cordis-synth-organizations.csv")}
	f.NProjects = max(1, int(math.Round(float64(n)/perProject)))
	pool := max(1, int(float64(n)*orgShare*1.6)) // some of the pool is never drawn

	pw, err := newWriter(f.Projects, "rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;coordinatorCountry;participants;participantCountries;subjects")
	if err != nil {
		return f, err
	}
	ow, err := newWriter(f.Organisations, "projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber")
	if err != nil {
		pw.close()
		return f, err
	}
	used := map[int]bool{}
	written := 0
	for p := range f.NProjects {
		// Spread the participations evenly: project p gets its share.
		size := (p+1)*n/f.NProjects - p*n/f.NProjects
		id := strconv.Itoa(600000 + p)
		acr := fmt.Sprintf("SYN%05d", p)
		year := 2008 + rng.IntN(12)
		start := fmt.Sprintf("%d-%02d-01", year, 1+rng.IntN(12))
		end := fmt.Sprintf("%d-%02d-28", year+2+rng.IntN(3), 1+rng.IntN(12))
		total := 500000 + rng.Float64()*9e6
		topic := fmt.Sprintf("SEC-%02d-%s-%d", 1+rng.IntN(20), []string{"BES", "DRS", "FCT", "GM", "INFRA"}[rng.IntN(5)], year)
		if err := pw.row(strconv.Itoa(100000+p), id, acr, "CLOSED", "H2020-EU.3.7.", topic, "H2020", sentence(rng, 8), start, end,
			"https://"+strings.ToLower(acr)+".example.eu", sentence(rng, 220), amount(total), amount(total*0.85), "H2020-SEC-"+strconv.Itoa(year),
			schemes[rng.IntN(len(schemes))]); err != nil {
			return f, err
		}
		seen := map[int]bool{}
		for j := range size {
			// A skewed draw: a few organisations take part very often.
			org := int(float64(pool) * math.Pow(rng.Float64(), 2.2))
			for seen[org] {
				org = (org + 1) % pool
			}
			seen[org] = true
			used[org] = true
			role := "participant"
			if j == 0 {
				role = "coordinator"
			}
			c := org % len(countries)
			contrib := ""
			if rng.IntN(30) > 0 { // about 1 in 30 is unknown, as in the real files
				contrib = amount(total * 0.85 / float64(size) * (0.5 + rng.Float64()))
			}
			vat, url := "", ""
			if org%10 < 7 {
				vat = fmt.Sprintf("%s%09d", strings.Replace(countries[c], "UK", "GB", 1), 100000000+org)
			}
			if org%4 != 0 {
				url = fmt.Sprintf("www.org%d.example", org)
			}
			if err := ow.row(strconv.Itoa(100000+p), id, acr, role, strconv.Itoa(900000000+org), orgName(org), fmt.Sprintf("O%d", org),
				activity[org%len(activity)], "false", contrib, countries[c], fmt.Sprintf("STREET %d", org%500), cities[c], strconv.Itoa(10000+org%89999), url, vat); err != nil {
				return f, err
			}
			written++
		}
	}
	f.NParticipations, f.NOrganisations = written, len(used)
	if err := pw.close(); err != nil {
		ow.close()
		return f, err
	}
	return f, ow.close()
}

// orgName is a stable name for pool entry i.
func orgName(i int) string {
	a, b := words[i%len(words)], words[(i/len(words))%len(words)]
	return strings.ToUpper(fmt.Sprintf("%s %s SYSTEMS %d %s", a, b, i, suffixes[i%len(suffixes)]))
}

func sentence(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[rng.IntN(len(words))])
	}
	return b.String()
}

// amount writes euros the way the exports do (up to two decimals).
func amount(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

type writer struct {
	f  *os.File
	bw *bufio.Writer
	cw *csv.Writer
}

func newWriter(path, header string) (*writer, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	w := &writer{f, bw, cw}
	return w, w.row(strings.Split(header, ";")...)
}

func (w *writer) row(fields ...string) error { return w.cw.Write(fields) }

func (w *writer) close() error {
	w.cw.Flush()
	err := w.cw.Error()
	if ferr := w.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}
