package postgres

// Exclusion reports whether err is an exclusion-constraint violation
// (SQLSTATE 23P01) and names the constraint, e.g. ex_bookings_slot.
func (dialect) Exclusion(err error) (string, bool) {
	pe := pgError(err)
	if pe == nil || pe.Code != "23P01" {
		return "", false
	}
	return pe.ConstraintName, true
}
