package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/api/openapi"
	"github.com/amanat/amn/kind"
	"github.com/amanat/amn/ops"
)

// apiSession is what `amn login` keeps in the user's config directory (mode 0600): the API it
// signed in to and the session's tokens.
type apiSession struct {
	APIURL                string    `json:"apiUrl"`
	Email                 string    `json:"email"`
	AccessToken           string    `json:"accessToken"`
	AccessTokenExpiresAt  time.Time `json:"accessTokenExpiresAt"`
	RefreshToken          string    `json:"refreshToken"`
	RefreshTokenExpiresAt time.Time `json:"refreshTokenExpiresAt"`
}

// sessionPath is $XDG_CONFIG_HOME/amn/session.json (os.UserConfigDir: ~/.config on Linux).
func sessionPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", badInput(fmt.Errorf("no config directory for the session: %v", err))
	}
	return filepath.Join(dir, "amn", "session.json"), nil
}

func loadSession() (*apiSession, error) {
	path, err := sessionPath()
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, badInput(errors.New("not signed in: run amn login --api-url URL --email EMAIL"))
	}
	if err != nil {
		return nil, err
	}
	var s apiSession
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, badInput(fmt.Errorf("%s: %v (run amn login again)", path, err))
	}
	return &s, nil
}

// save writes the session file with mode 0600 (its directory 0700), replacing it atomically.
func (s *apiSession) save() error {
	path, err := sessionPath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".session-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (s *apiSession) take(b openapi.Session) {
	s.AccessToken, s.AccessTokenExpiresAt = b.AccessToken, b.AccessTokenExpiresAt
	s.RefreshToken, s.RefreshTokenExpiresAt = b.RefreshToken, b.RefreshTokenExpiresAt
}

type loginOptions struct {
	APIURL, Email, PasswordFile string
}

func (o *loginOptions) Validate() error {
	if err := validateAPIURL(o.APIURL); err != nil {
		return err
	}
	if o.Email == "" {
		return errors.New("--email is required")
	}
	return nil
}

func validateAPIURL(raw string) error {
	if raw == "" {
		return errors.New("--api-url is required (or AMN_API_URL)")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return fmt.Errorf("--api-url %q: want http(s)://host[:port] without credentials", raw)
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return fmt.Errorf("--api-url %q: plain http would send the password and tokens in clear; use https (http only for localhost)", raw)
	}
	return nil
}

// loopback reports whether host is this machine: localhost or a loopback address (127.0.0.0/8,
// ::1). Names other than localhost are not resolved: a name that resolves to 127.0.0.1 today may
// not tomorrow.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

func newLoginCmd() *cobra.Command {
	var o loginOptions
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to an Amn API and keep the session for amn admin --api-url",
		Long: `login signs in over the API with an email and password (asked without echo, or read from
--password-file) and keeps the session (access and refresh tokens) in $XDG_CONFIG_HOME/amn/session.json,
mode 0600. amn admin … --api-url then works over the API with it, refreshing the access token when
it has expired; no database login is needed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			pw, err := readPassword(cmd, o.PasswordFile)
			if err != nil {
				return err
			}
			c := &apiClient{base: strings.TrimRight(o.APIURL, "/"), http: &http.Client{Timeout: 30 * time.Second}}
			var b openapi.Session
			if err := c.call(cmd.Context(), "POST", "/v1/auth/login", openapi.LoginRequest{Email: openapi.Email(o.Email), Password: pw}, &b); err != nil {
				return err
			}
			s := &apiSession{APIURL: c.base, Email: o.Email}
			s.take(b)
			if err := s.save(); err != nil {
				return err
			}
			path, _ := sessionPath()
			fmt.Fprintf(cmd.OutOrStdout(), "signed in to %s as %s (roles %v); session kept in %s\n", c.base, o.Email, b.User.Roles, path)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.APIURL, "api-url", o.APIURL, "the API's base URL, https://api.example.com (or AMN_API_URL)")
	cmd.Flags().StringVar(&o.Email, "email", "", "the account's email")
	cmd.Flags().StringVar(&o.PasswordFile, "password-file", "", "read the password from this file's first line instead of asking")
	return cmd
}

// apiClient calls the API as the signed-in user (session nil: anonymously).
type apiClient struct {
	base    string
	http    *http.Client
	session *apiSession
}

// newSessionClient is a client on the session `amn login` kept, for apiURL.
func newSessionClient(apiURL string) (*apiClient, error) {
	if err := validateAPIURL(apiURL); err != nil {
		return nil, badInput(err)
	}
	s, err := loadSession()
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(apiURL, "/")
	if s.APIURL != base {
		return nil, badInput(fmt.Errorf("the session is for %s, not %s: run amn login --api-url %s", s.APIURL, base, base))
	}
	return &apiClient{base: base, http: &http.Client{Timeout: 60 * time.Second}, session: s}, nil
}

// refresh trades the refresh token for a new session when the access token has expired (or is
// about to), and keeps it. A refresh token is good for one refresh: the API treats its second use
// as theft and revokes the session. So concurrent amn processes take turns (lockSession), and each
// re-reads the file once it has the lock: the one before it may have refreshed already.
func (c *apiClient) refresh(ctx context.Context) error {
	if c.session == nil || c.session.fresh() {
		return nil
	}
	unlock, err := lockSession()
	if err != nil {
		return err
	}
	defer unlock()
	if s, err := loadSession(); err == nil && s.APIURL == c.base {
		c.session = s
		if s.fresh() {
			return nil
		}
	}
	var b openapi.Session
	anon := &apiClient{base: c.base, http: c.http}
	if err := anon.call(ctx, "POST", "/v1/auth/refresh", openapi.RefreshRequest{RefreshToken: c.session.RefreshToken}, &b); err != nil {
		return fmt.Errorf("refreshing the session (run amn login again): %w", err)
	}
	c.session.take(b)
	return c.session.save()
}

// fresh reports whether the access token has more than a few seconds to live.
func (s *apiSession) fresh() bool { return time.Until(s.AccessTokenExpiresAt) > 10*time.Second }

// lockSession takes an exclusive lock (flock) on session.json.lock beside the session file, waiting
// for another amn that holds it; the returned function releases it. The lock is on a file of its
// own because save replaces session.json by a rename: a lock on the old file would not exclude a
// process that opens the new one.
func lockSession() (func(), error) {
	path, err := sessionPath()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", f.Name(), err)
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// apiError is an error answer of the API, of the kind its status says (the CLI's exit codes
// follow kinds: 2 for the caller's mistakes).
type apiError struct {
	status     int
	code, msg  string
	kindOfCode kind.Kind
}

func (e *apiError) Error() string { return e.msg + " (" + e.code + ")" }

func (e *apiError) Is(target error) bool { k, ok := target.(kind.Kind); return ok && k == e.kindOfCode }

func kindOfStatus(status int) kind.Kind {
	switch {
	case status == http.StatusNotFound:
		return kind.NotFound
	case status == http.StatusConflict:
		return kind.Conflict
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return kind.Refused
	case status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests:
		return kind.Unavailable
	case status >= 400 && status < 500:
		return kind.Invalid
	}
	return ""
}

// call sends body as JSON and decodes a 2xx answer into out; an error answer becomes an apiError.
func (c *apiClient) call(ctx context.Context, method, path string, body, out any) error {
	if err := c.refresh(ctx); err != nil {
		return err
	}
	var r io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "amn-cli/"+ops.Version)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.session != nil {
		req.Header.Set("Authorization", "Bearer "+c.session.AccessToken)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %v", kind.Unavailable, method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e openapi.Error
		if json.Unmarshal(raw, &e) != nil || e.Error.Code == "" {
			return &apiError{status: resp.StatusCode, code: "http_" + fmt.Sprint(resp.StatusCode), msg: fmt.Sprintf("%s %s: HTTP %d", method, path, resp.StatusCode),
				kindOfCode: kindOfStatus(resp.StatusCode)}
		}
		return &apiError{status: resp.StatusCode, code: string(e.Error.Code), msg: e.Error.Message, kindOfCode: kindOfStatus(resp.StatusCode)}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}
