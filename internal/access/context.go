package access

// ReadOnlyToken reports whether v is signed in with a read-scoped API
// token: it may read what its owner may read, and change nothing.
func (v Viewer) ReadOnlyToken() bool { return !v.Anonymous() && !v.WriteAllowed }
