package web

import (
	"net/http/httptest"
	"testing"
)

func TestIfMatchVersion(t *testing.T) {
	tests := []struct {
		header  string
		want    int
		wantErr bool
	}{
		{"", 0, false},
		{"*", 0, false},
		{`"v3"`, 3, false},
		{`W/"v12"`, 12, false},
		{`"abc"`, 0, true},
		{`"v0"`, 0, true},
		{`"v-1"`, 0, true},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("PUT", "/", nil)
		if tt.header != "" {
			r.Header.Set("If-Match", tt.header)
		}
		got, err := ifMatchVersion(r)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("If-Match %q: got %d, %v; want %d, error %v", tt.header, got, err, tt.want, tt.wantErr)
		}
	}
	w := httptest.NewRecorder()
	setETag(w, 7)
	if got := w.Header().Get("ETag"); got != `"v7"` {
		t.Errorf("ETag = %q, want %q", got, `"v7"`)
	}
}
