package follow

import (
	"context"
	"net/url"
	"strings"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/mail"
)

// Message keys of the digest (rendered by the web's locales).
var MessageKeys = []string{"mail.calls_digest.subject", "mail.calls_digest.intro", "mail.calls_digest.new",
	"mail.calls_digest.closing", "mail.calls_digest.line", "mail.calls_digest.footer"}

// digestMessage writes a digest: the new calls, then those closing soon,
// each with its deadline, address and why it matches.
func (s *Service) digestMessage(ctx context.Context, u accounts.User, fresh, closing []Match) mail.Message {
	t := s.cfg.Text
	var b strings.Builder
	b.WriteString(t(ctx, "mail.calls_digest.intro", "name", u.Name) + "\n")
	section := func(key string, ms []Match) {
		if len(ms) == 0 {
			return
		}
		b.WriteString("\n" + t(ctx, key) + "\n")
		for _, m := range ms {
			deadline := m.Call.Deadline
			if deadline == "" {
				deadline = "–"
			}
			b.WriteString(t(ctx, "mail.calls_digest.line", "id", m.Call.ID, "title", m.Call.Title, "deadline", deadline) + "\n")
			b.WriteString("  " + s.cfg.BaseURL + "/calls/" + url.PathEscape(m.Call.ID) + "\n")
			for _, r := range m.Reasons[:min(2, len(m.Reasons))] {
				b.WriteString("  - " + r + "\n")
			}
		}
	}
	section("mail.calls_digest.new", fresh)
	section("mail.calls_digest.closing", closing)
	b.WriteString("\n" + t(ctx, "mail.calls_digest.footer", "url", s.cfg.BaseURL+"/calls") + "\n")
	return mail.Message{To: u.Email, Subject: t(ctx, "mail.calls_digest.subject", "new", len(fresh), "closing", len(closing)),
		Text: b.String()}
}
