package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/mail/mailtest"
)

// TestCallsDigest runs "escnet calls digest" twice against a loopback
// SMTP server: the subscriber gets the matching calls once.
func TestCallsDigest(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "escnet.db")
	ctx := context.Background()
	a, _, err := app.Open(ctx, dsn, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sys := access.AsSystem(ctx)
	if _, err := demo.Load(sys, a.Directory); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadAccounts(sys, a.Directory.Store(), a.Accounts); err != nil {
		t.Fatal(err)
	}
	u, err := a.Accounts.Store().GetUserByEmail(sys, demo.Accounts[3].Email)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Follow.Subscribe(access.WithViewer(ctx, access.Viewer{UserID: u.ID, OrganisationID: u.OrganisationID, WriteAllowed: true}), true); err != nil {
		t.Fatal(err)
	}
	a.Close()
	// A topic that stays open whenever the test runs, on what TNO does.
	topic := filepath.Join(t.TempDir(), "topic.json")
	if err := os.WriteFile(topic, []byte(`[{"topicId": "FUTURE-CL3-2099-01", "title": "Forensics and CBRN detection for research organisations",
		"actionType": "RIA", "deadline": "2099-11-05", "keywords": "forensics, CBRN detection, research, safety and security",
		"description": "Independent research organisations in defence, safety and security develop forensics and CBRNE detection."}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "import", "calls", "--db", dsn, topic)
	smtp := mailtest.Start(t)
	out := mustRun(t, "calls", "digest", "--db", dsn, "--smtp-addr", smtp.Addr, "--base-url", "https://escnet.example.org")
	if !strings.Contains(out, "1 subscribers, 1 e-mails sent") {
		t.Fatalf("first digest: %s", out)
	}
	msg := smtp.Wait(t, 1)
	if !strings.Contains(msg.Data, "https://escnet.example.org/calls/FUTURE-CL3-2099-01") || !strings.Contains(msg.Data, "Subject: ") {
		t.Errorf("digest:\n%s", msg.Data)
	}
	if out := mustRun(t, "calls", "digest", "--db", dsn, "--smtp-addr", smtp.Addr); !strings.Contains(out, "0 e-mails sent") {
		t.Errorf("second digest: %s", out)
	}
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d e-mails, want 1", n)
	}
	if _, err := escnet(t, "calls", "digest", "--db", dsn, "--closing-days", "0"); err == nil || !strings.Contains(err.Error(), "--closing-days 0") {
		t.Errorf("--closing-days 0: %v", err)
	}
	if _, err := escnet(t, "calls", "send"); err == nil {
		t.Error("an unknown calls command ran")
	}
}
