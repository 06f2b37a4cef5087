package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/amanat/amn/auth"
)

// TestPasskeyAndGoogleFlags: the defaults serve the local frontend; an origin that is not an
// origin, or whose host is not the RP ID or under it, is refused at start; the settings reach the
// auth service's configuration.
func TestPasskeyAndGoogleFlags(t *testing.T) {
	parse := func(args ...string) (*authOptions, error) {
		var o authOptions
		fs := pflag.NewFlagSet("api", pflag.ContinueOnError)
		o.addFlags(fs)
		if err := fs.Parse(append([]string{"--auth-keys-file", "/dev/null", "--auth-code-key", strings.Repeat("k", 32)}, args...)); err != nil {
			t.Fatal(err)
		}
		return &o, o.Validate()
	}
	o, err := parse()
	if err != nil || o.WebAuthnRPID != "localhost" || len(o.WebAuthnOrigins) != 1 || o.WebAuthnOrigins[0] != "http://localhost:3000" ||
		len(o.GoogleClientIDs) != 0 || o.GoogleJWKSURL != "https://www.googleapis.com/oauth2/v3/certs" {
		t.Fatalf("defaults %+v (%v)", o, err)
	}
	if _, err := parse("--webauthn-rp-id", "amn.example", "--webauthn-origins", "https://amn.example,https://app.amn.example"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--webauthn-rp-id", "amn.example", "--webauthn-origins", "https://evilamn.example"}, "--webauthn-rp-id"},
		{[]string{"--webauthn-rp-id", "amn.example", "--webauthn-origins", "amn.example"}, "--webauthn-origins"},
		{[]string{"--webauthn-rp-id", "amn.example", "--webauthn-origins", "https://amn.example/login"}, "--webauthn-origins"},
	} {
		if _, err := parse(c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want an error naming %s", c.args, err, c.want)
		}
	}
	o, _ = parse("--google-client-ids", "a.apps.googleusercontent.com,b.apps.googleusercontent.com", "--google-jwks-url", "http://127.0.0.1:1/certs",
		"--webauthn-rp-id", "amn.example", "--webauthn-origins", "https://amn.example", "--webauthn-rp-name", "Amn Market")
	keys, err := auth.GenerateKeys()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := keys.MarshalPEM()
	if err != nil {
		t.Fatal(err)
	}
	o.KeysFile = filepath.Join(t.TempDir(), "keys.pem")
	if err := os.WriteFile(o.KeysFile, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := o.config()
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Passkeys; p.RPID != "amn.example" || p.RPDisplayName != "Amn Market" || len(p.Origins) != 1 || p.Origins[0] != "https://amn.example" {
		t.Fatalf("passkeys %+v", p)
	}
	if g := cfg.Google; len(g.ClientIDs) != 2 || g.ClientIDs[1] != "b.apps.googleusercontent.com" || g.JWKSURL != "http://127.0.0.1:1/certs" {
		t.Fatalf("google %+v", g)
	}
}
