package access

import "context"

type viewerKey struct{}

// WithViewer returns ctx carrying the viewer whose request it is; the
// capability services decide for this viewer.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer in ctx. Without one, it is an anonymous
// visitor: forgetting to set a viewer allows less, never more.
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}

// ReadOnlyToken reports whether v is signed in with a read-scoped API
// token: it may read what its owner may read, and change nothing.
func (v Viewer) ReadOnlyToken() bool { return !v.Anonymous() && !v.WriteAllowed }
