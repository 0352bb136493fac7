package web

import (
	"net/http"
	"strconv"
	"strings"
)

// Editable records carry a version that starts at 1 and grows by one with
// every update. The API sends it as the ETag `"v<version>"`; a write that
// sends If-Match with an older version fails with 412 (store.ErrStale)
// instead of overwriting a change it never saw. Edit forms carry the
// version in a hidden "version" field for the same check.

// setETag sends the version of the record in the response.
func setETag(w http.ResponseWriter, version int) {
	if version > 0 {
		w.Header().Set("ETag", `"v`+strconv.Itoa(version)+`"`)
	}
}

// ifMatchVersion returns the version named by If-Match, or 0 when the
// request does not ask for the check (no header, or "*"). A header that
// names no version of ours is refused with 412: it cannot match.
func ifMatchVersion(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return 0, nil
	}
	tag := strings.TrimPrefix(h, "W/")
	tag = strings.Trim(tag, `"`)
	if !strings.HasPrefix(tag, "v") {
		return 0, &httpError{status: http.StatusPreconditionFailed, title: "Precondition failed", detail: "If-Match names no version of this record; read it again for its ETag."}
	}
	v, err := strconv.Atoi(tag[1:])
	if err != nil || v < 1 {
		return 0, &httpError{status: http.StatusPreconditionFailed, title: "Precondition failed", detail: "If-Match names no version of this record; read it again for its ETag."}
	}
	return v, nil
}

// formVersion returns the version an edit form was rendered with, or 0.
func formVersion(r *http.Request) int {
	v, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil || v < 1 {
		return 0
	}
	return v
}
