package access

import "testing"

func TestStayGrants(t *testing.T) {
	s := Stay{GuestUserID: "g", HostOrg: "h", Records: []string{"lab"}, StartsOn: "2027-03-01", EndsOn: "2027-03-31", Signed: true}
	guest := Viewer{UserID: "g"}
	cases := []struct {
		name string
		v    Viewer
		s    Stay
		id   string
		day  string
		want bool
	}{
		{"during the stay", guest, s, "lab", "2027-03-15", true},
		{"first day", guest, s, "lab", "2027-03-01", true},
		{"last day", guest, s, "lab", "2027-03-31", true},
		{"before", guest, s, "lab", "2027-02-28", false},
		{"after: the grant ends with the stay", guest, s, "lab", "2027-04-01", false},
		{"a record the plan does not name", guest, s, "range", "2027-03-15", false},
		{"someone else", Viewer{UserID: "x"}, s, "lab", "2027-03-15", false},
		{"unsigned plan", guest, Stay{GuestUserID: "g", Records: []string{"lab"}, StartsOn: "2027-03-01", EndsOn: "2027-03-31"}, "lab", "2027-03-15", false},
	}
	for _, c := range cases {
		if got := StayGrants(c.v, c.s, c.id, c.day); got != c.want {
			t.Errorf("%s: StayGrants = %v, want %v", c.name, got, c.want)
		}
	}
}
