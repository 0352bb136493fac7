package web

import "github.com/escnet/escnet/internal/store/sqlstore"

// legacyDB is the store that handlers not yet moved behind a service still
// call (s.db). It goes away with the last of them; TestWebImportsNoStore
// fails while this file exists.
type legacyDB = *sqlstore.DB
