package web

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestDemoCORDISPages: with the whole demo loaded, the embedded CORDIS
// projects are listed, and the project list, a project page and an
// organisation's page carry the CORDIS notice in each language.
func TestDemoCORDISPages(t *testing.T) {
	db := storetest.NewSQLite(t)
	a := newApp(t, db, envConfig{})
	n, err := demo.LoadAll(context.Background(), a, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n.Projects != 632 {
		t.Fatalf("demo loaded %d projects, want 632", n.Projects)
	}
	s, err := New(a, Config{Version: "test", Logger: a.Log})
	if err != nil {
		t.Fatal(err)
	}
	env := &testEnv{t: t, db: db, server: s, tokens: map[string]string{}}
	env.srv = httptest.NewServer(s.Handler())
	t.Cleanup(env.srv.Close)
	list := env.do("GET", "/projects", nil)
	if !strings.Contains(doc(t, list).Find("p.count").Text(), "632") {
		t.Fatalf("/projects count: %q", doc(t, list).Find("p.count").Text())
	}
	project := regexp.MustCompile(`href="(/projects/[^"?]+)"`).FindSubmatch(list.body)
	if project == nil {
		t.Fatal("/projects links to no project")
	}
	want := map[string]string{
		"en": "© European Union, reused under Commission Decision 2011/833/EU",
		"nl": "© Europese Unie, hergebruikt op grond van Besluit 2011/833/EU",
		"fr": "© Union européenne, réutilisé en vertu de la décision 2011/833/UE",
		"de": "© Europäische Union, weiterverwendet gemäß Beschluss 2011/833/EU",
	}
	for lang, notice := range want {
		for _, path := range []string{"/projects", string(project[1]), "/organisations/fraunhofer"} {
			r := env.do("GET", path, nil, "Accept-Language", lang)
			if got := doc(t, r).Find("p.source").Text(); r.status != 200 || !strings.Contains(got, notice) {
				t.Errorf("%s %s: %d, notice %q", lang, path, r.status, got)
			}
		}
	}
}
