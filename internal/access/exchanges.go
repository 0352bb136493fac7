package access

import "slices"

// Stay is a signed exchange plan as the policy sees it: during the stay
// (from StartsOn to EndsOn, dates as YYYY-MM-DD, both included) the guest
// may use the host's records the plan names, and no others; the grant
// ends with the stay.
type Stay struct {
	GuestUserID string
	HostOrg     string
	Records     []string
	StartsOn    string
	EndsOn      string
	Signed      bool // by guest and host
}

// StayGrants reports whether v may use record id of the host on day
// (YYYY-MM-DD) under stay s.
func StayGrants(v Viewer, s Stay, id, day string) bool {
	if v.Anonymous() || v.UserID != s.GuestUserID || !s.Signed {
		return false
	}
	if day < s.StartsOn || day > s.EndsOn {
		return false
	}
	return slices.Contains(s.Records, id)
}
