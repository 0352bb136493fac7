package practices

import (
	"reflect"
	"strings"
	"testing"
)

func TestFileRoundTrip(t *testing.T) {
	f := File{Entry: "e1", Kind: "guideline", Organisation: "tno", Axis: "security", Visibility: "alliance", TLP: "GREEN",
		Capabilities: []string{"drones", "drones.testing"}, Text: Text{Lang: "en", Original: true, Title: "Drones: a guideline", Summary: "Short.", Body: "# Steps\n\n1. One\n"}}
	got, err := ParseFile(FormatFile(f))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip = %+v, want %+v", got, f)
	}
	for _, bad := range []string{"no front matter", "---\ntitle: x\n", "---\ncolour: red\n---\n", "---\noriginal: maybe\n---\n"} {
		if _, err := ParseFile(bad); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("ParseFile(%q) = %v, want an error naming the line", bad, err)
		}
	}
	groups := Group(map[string]File{"b.md": {Entry: "x", Text: Text{Lang: "en"}}, "a.md": {Entry: "x", Text: Text{Lang: "nl", Original: true}}, "c.md": {Text: Text{Lang: "fr"}}})
	if len(groups) != 2 || groups[0][0].Text.Lang != "nl" || len(groups[0]) != 2 {
		t.Errorf("groups = %+v", groups)
	}
}
