package access

import "context"

// ViewerKey is the context key of the viewer. Prefer WithViewer, which
// also sets the scope; the key is exported so that the HTTP layer's own
// context helpers and this package agree on one key.
type ViewerKey struct{}

// WithViewer returns ctx carrying the viewer whose rights the capability
// services check, and the scope that store reads apply for that viewer.
func WithViewer(ctx context.Context, v Viewer) context.Context {
	return WithScope(context.WithValue(ctx, ViewerKey{}, v), ScopeOf(v))
}

// ViewerFrom returns the viewer in ctx. Without one it is an anonymous
// visitor: forgetting to set a viewer allows less, never more.
func ViewerFrom(ctx context.Context) Viewer {
	v, _ := ctx.Value(ViewerKey{}).(Viewer)
	return v
}

// SystemViewer is the application itself (the command line, the demo
// loader, imports): an alliance administrator that may write, and is
// audited under the actor in the context.
var SystemViewer = Viewer{UserID: "system", AllianceAdmin: true, WriteAllowed: true}

// AsSystem returns ctx for the application's own work: the system viewer
// and the scope that sees everything.
func AsSystem(ctx context.Context) context.Context { return WithViewer(ctx, SystemViewer) }
