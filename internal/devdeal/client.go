package devdeal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/amanat/amn/clients/go/amnclient"
	"github.com/amanat/amn/devnet"
)

// printer writes the deal's story: one line per step, labelled in a column. The buyer's chat
// socket prints from its own goroutine: lines are written whole, one at a time.
type printer struct {
	out   io.Writer
	start time.Time
	mu    sync.Mutex
}

func (p *printer) printf(label, format string, a ...any) {
	line := fmt.Sprintf("%-9s %s\n", label, fmt.Sprintf(format, a...))
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.out, line)
}

func (p *printer) since() string { return time.Since(p.start).Round(100 * time.Millisecond).String() }

// loggingDoer prints every call the deal makes to the API: method, path, status and time. Polls
// (GETs that answer what the last one did) are not printed again.
type loggingDoer struct {
	p    *printer
	who  string
	next http.Client
	last map[string]string
}

func (d *loggingDoer) Do(req *http.Request) (*http.Response, error) {
	began := time.Now()
	resp, err := d.next.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	key := req.Method + " " + req.URL.RequestURI()
	sum := fmt.Sprintf("%d %x", resp.StatusCode, crypto.Keccak256(body))
	if req.Method == http.MethodGet && d.last[key] == sum {
		return resp, nil
	}
	d.last[key] = sum
	d.p.printf("http", "%-6s %-6s %s → %d (%s)", d.who, req.Method, req.URL.RequestURI(), resp.StatusCode,
		time.Since(began).Round(time.Millisecond))
	return resp, nil
}

// party is a signed-in account of the local stack: its API client carries its access token (which
// also signs its real-time socket in).
type party struct {
	name  string
	api   *amnclient.ClientWithResponses
	token string
}

// signIn signs an account in with its password and returns a client acting as it.
func signIn(ctx context.Context, p *printer, baseURL, name, email, password string) (*party, error) {
	doer := &loggingDoer{p: p, who: name, next: http.Client{Timeout: 30 * time.Second}, last: map[string]string{}}
	anon, err := amnclient.NewClientWithResponses(baseURL, amnclient.WithHTTPClient(doer))
	if err != nil {
		return nil, err
	}
	res, err := anon.LoginWithResponse(ctx, amnclient.LoginRequest{Email: amnclient.Email(email), Password: password})
	if err != nil {
		return nil, err
	}
	if res.JSON200 == nil {
		return nil, answerError("signing in "+email, res.HTTPResponse, res.Body)
	}
	token := res.JSON200.AccessToken
	api, err := amnclient.NewClientWithResponses(baseURL, amnclient.WithHTTPClient(doer),
		amnclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	if err != nil {
		return nil, err
	}
	return &party{name: name, api: api, token: token}, nil
}

// answerError turns an unexpected answer into an error that shows the API's error body.
func answerError(what string, r *http.Response, body []byte) error {
	var e struct {
		Error struct{ Code, Message string }
	}
	if json.Unmarshal(body, &e) == nil && e.Error.Code != "" {
		return fmt.Errorf("%s: %d %s: %s", what, r.StatusCode, e.Error.Code, e.Error.Message)
	}
	return fmt.Errorf("%s: %d %s", what, r.StatusCode, strings.TrimSpace(string(body)))
}

// signTypedData signs eth_signTypedData_v4 typed data as a wallet does.
func signTypedData(td any, acct devnet.Account) (string, string, error) {
	raw, err := json.Marshal(td)
	if err != nil {
		return "", "", err
	}
	var typed apitypes.TypedData
	if err := json.Unmarshal(raw, &typed); err != nil {
		return "", "", err
	}
	hash, _, err := apitypes.TypedDataAndHash(typed)
	if err != nil {
		return "", "", err
	}
	sig, err := crypto.Sign(hash, acct.Key)
	if err != nil {
		return "", "", err
	}
	sig[64] += 27
	return hexutil.Encode(sig), hexutil.Encode(hash), nil
}
