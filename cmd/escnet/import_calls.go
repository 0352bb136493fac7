package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/validate"
)

// runImportCalls is "escnet import calls": a Funding & Tenders topic
// export (a JSON array of topics) into the calls, each with the
// eligibility rules read from its conditions. The whole file is read and
// checked before anything is written, so bad input changes nothing.
func runImportCalls(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "calls [--db DSN] FILE", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	plain := fs.Usage
	fs.Usage = func() {
		plain()
		fmt.Fprint(fs.Output(), `
Reads a Funding & Tenders topic export: a JSON array of topics with
topicId, title, description, programme, callIdentifier, actionType,
deadline, budgetMin/budgetMax (euro), expectedGrants, keywords, portalUrl
and topicConditions. Each topic gets the general rule of its action type
and the rules read from its conditions; sentences that read like
conditions but did not become rules are kept for a person to check on the
call's page. Importing the same file again changes nothing; a topic that
changed on the portal is updated, keeping the rules a person wrote.
`)
	}
	files, err := parseInterleaved(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, "escnet import calls: name one topic file (JSON)")
		fs.Usage()
		return errUsage
	}
	path := files[0]
	name := filepath.Base(path)
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a directory; name the JSON file", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	start := time.Now()
	cs, err := calls.DecodeTopics(bytes.NewReader(data))
	if err := reportInvalid(stderr, name, topicIDs(data), err); err != nil {
		return err
	}

	a, _, err := openApp(ctx, *dsn, stderr, app.Config{})
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = audit.WithActor(ctx, audit.Actor{Label: "cli"})
	n, err := a.Calls.Import(ctx, cs)
	if err := reportInvalid(stderr, name, nil, err); err != nil {
		return err
	}
	printCallSummary(stdout, name, cs, n, time.Since(start))
	return nil
}

// topicIDs reads what it can of the topics' identifiers from a refused
// file, so that a problem names the topic and not only its position.
func topicIDs(data []byte) []string {
	var topics []struct {
		ID any `json:"topicId"`
	}
	if json.Unmarshal(data, &topics) != nil {
		return nil
	}
	ids := make([]string, len(topics))
	for i, t := range topics {
		if s, ok := t.ID.(string); ok {
			ids[i] = strings.TrimSpace(s)
		}
	}
	return ids
}

var topicIndex = regexp.MustCompile(`^topics\[(\d+)\]`)

// reportInvalid lists the problems of a refused file on w, one a line
// as FILE: FIELD (topic ID): PROBLEM, and returns a one-line error; other
// errors are returned as they are.
func reportInvalid(w io.Writer, name string, ids []string, err error) error {
	var verrs validate.Errors
	if !errors.As(err, &verrs) {
		return err
	}
	for _, fe := range verrs {
		topic := ""
		if m := topicIndex.FindStringSubmatch(fe.Field); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(ids) && ids[i] != "" {
				topic = " (topic " + ids[i] + ")"
			}
		}
		fmt.Fprintf(w, "%s: %s%s: %s\n", name, fe.Field, topic, validate.Message(fe))
	}
	if len(verrs) == 1 {
		return fmt.Errorf("%s: 1 problem (listed above); nothing was imported", name)
	}
	return fmt.Errorf("%s: %d problems (listed above); nothing was imported", name, len(verrs))
}

func printCallSummary(w io.Writer, name string, cs []calls.Call, n calls.Counts, took time.Duration) {
	var parsed, unparsed, toCheck, repaired int
	for _, c := range cs {
		for _, r := range c.Rules {
			if r.Origin == calls.OriginTopic {
				parsed++
			}
		}
		unparsed += len(c.Unparsed)
		if len(c.Unparsed) > 0 {
			toCheck++
		}
		if c.TextRepaired {
			repaired++
		}
	}
	fmt.Fprintf(w, "Imported %d call topics from %s in %s.\n", len(cs), name, took.Round(time.Millisecond))
	fmt.Fprintf(w, "  calls         %d new, %d updated, %d unchanged\n", n.New, n.Updated, n.Unchanged)
	fmt.Fprintf(w, "  rules parsed  %d from the topics' conditions, besides the general rule of each action type\n", parsed)
	fmt.Fprintf(w, "  to check      %d sentences in %d topics did not become rules; a person checks them on the call's page\n", unparsed, toCheck)
	if n.ManualKept > 0 {
		fmt.Fprintf(w, "  kept          %d rules a person wrote, in place of what the parser read from the same sentences\n", n.ManualKept)
	}
	if repaired > 0 {
		fmt.Fprintf(w, "  repaired      %d topics had mis-encoded characters (UTF-8 read as Windows-1252), repaired\n", repaired)
	}
}
