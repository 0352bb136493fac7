package storetest

import (
	"testing"

	"github.com/escnet/escnet/internal/store/sqlstore"
)

func TestSQLite(t *testing.T) {
	Run(t, func(t *testing.T) *sqlstore.DB { return NewSQLite(t) })
	RunCalls(t, func(t *testing.T) *sqlstore.DB { return NewSQLite(t) })
}

func TestPostgres(t *testing.T) {
	PostgresDSN(t)
	Run(t, func(t *testing.T) *sqlstore.DB { return NewPostgres(t) })
	RunCalls(t, func(t *testing.T) *sqlstore.DB { return NewPostgres(t) })
}
