package access

import "context"

type viewerKey struct{}

// WithViewer returns ctx carrying v, the viewer whose permissions the
// capability services check.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return context.WithValue(ctx, viewerKey{}, v)
}

// ViewerFrom returns the viewer in ctx: without one, an anonymous visitor
// (forgetting to set it allows less, never more).
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(viewerKey{}).(Viewer)
	return v
}
