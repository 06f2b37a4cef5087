package auth

import (
	"testing"
	"time"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// newTestService is the service on the package's test database, working as amn_api, with new
// keys and a clock the test moves; opts change its configuration.
func newTestService(t testing.TB, opts ...func(*Config)) (*Service, *time.Time) {
	t.Helper()
	keys, err := GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	cfg := Config{Issuer: "amn-test", Audience: "amn-api-test", Keys: keys, Now: func() time.Time { return now }}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(dbtest.PoolAs(t, db.RoleAPI), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, &now
}

func withKeys(k *KeySet) func(*Config) { return func(c *Config) { c.Keys = k } }
