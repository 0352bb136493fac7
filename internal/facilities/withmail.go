package facilities

import "github.com/escnet/escnet/internal/mail"

// WithMail returns a copy of the service that sends its notices through m
// (the demo loader's bookings send theirs nowhere).
func (s *Service) WithMail(m mail.Sender) *Service {
	c := *s
	c.mail = m
	return &c
}
