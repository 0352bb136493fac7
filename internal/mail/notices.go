package mail

import (
	"context"
	"log/slog"
	"strings"
	"time"
)

// NoticeConfig is what a service that writes notices needs: how to render
// its message keys in the reader's language, the address its links start
// with, a clock and a logger.
type NoticeConfig struct {
	// Text renders the e-mails' message keys in the request's language;
	// without it the keys are sent as they are.
	Text    func(ctx context.Context, key string, args ...any) string
	BaseURL string
	Now     func() time.Time
	Logger  *slog.Logger
}

// WithDefaults fills what c leaves unset: UTC wall clock, keys as text,
// the default logger, and a base URL without a trailing slash.
func (c NoticeConfig) WithDefaults() NoticeConfig {
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC() }
	}
	if c.Text == nil {
		c.Text = func(_ context.Context, key string, _ ...any) string { return key }
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}
