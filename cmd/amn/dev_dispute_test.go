package main

import (
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/amanat/amn/bindings"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/payment"
)

// devDisputeSettled checks amn dev's disputed deal (issue #19, acceptance 1) after the demo: the
// split by payment.SplitOf is what the chain paid each party, to the base unit; the case over the
// API holds both sides' evidence and the resolution, and its signed bundle verifies (and a
// tampered one does not); both parties were notified in-app and by mail that it opened and ended.
// logs is the demo's output, usdt the bsc USDT contract, rpc the bsc node.
func devDisputeSettled(t *testing.T, api string, logs *syncBuffer, usdt common.Address, rpc string) {
	t.Helper()
	out := logs.String()
	// What the demo paid: 125 USDT in escrow, 2.5 commission, 1.25 RN fee per deal; the buyer gets
	// exactly 30 % of the escrow back, the fee is the commission's share of the seller's part.
	const units = 1_000_000
	received, commission, rnFee := big.NewInt(125*units), big.NewInt(2_500_000), big.NewInt(1_250_000)
	buyerPart := new(big.Int).Quo(new(big.Int).Mul(received, big.NewInt(30)), big.NewInt(100))
	split, err := payment.SplitOf(received, commission, buyerPart)
	if err != nil {
		t.Fatal(err)
	}
	f := func(v *big.Int) string { return regexp.QuoteMeta(payment.FormatUnits(v, 6)) }
	sum := func(vs ...*big.Int) *big.Int {
		n := new(big.Int)
		for _, v := range vs {
			n.Add(n, v)
		}
		return n
	}
	hex40 := `0x[0-9a-fA-F]{40}`
	seller := sum(received, received, split.Seller) // two releases of 125 − 2.5 each, and the split's part
	seller.Sub(seller, sum(commission, commission))
	fees := sum(rnFee, rnFee, rnFee, commission, commission, split.Fee)
	for _, re := range []string{
		`settle\s+intent \S+: buyer ` + hex40 + ` gets ` + f(split.Buyer) + ` USDT, seller ` + hex40 + ` gets ` + f(split.Seller) +
			` USDT, ` + hex40 + ` gets ` + f(split.Fee) + ` USDT; EIP-712 digest 0x[0-9a-f]{64}`,
		`deal\s+payment \S+ is settled \(the buyer disputed, case \S+\): received 125 USDT, buyer ` + f(split.Buyer) + ` back, seller ` +
			f(split.Seller) + `, commission ` + f(split.Fee) + ` \(of 2.5\), RN fee 1.25`,
		`balances  seller ` + hex40 + ` ` + f(seller) + ` USDT, fee recipient ` + hex40 + ` ` + f(fees) + ` USDT, escrow ` + hex40 + ` 0 USDT`,
		`payment\s+\S+ is settled: received 125 USDT, swept 125, .* in escrow 0`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("dev output lacks %s", re)
		}
	}
	// The buyer's wallet paid 125 + 1.25 and got exactly its part back, as the chain says.
	m := regexp.MustCompile(`dispute\s+buyer wallet (` + hex40 + `): ([0-9.]+) USDT before the deal, ([0-9.]+) after`).FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no buyer wallet line")
	}
	before, after := parseUnits(t, m[2]), parseUnits(t, m[3])
	if got, want := new(big.Int).Sub(after, before), new(big.Int).Sub(split.Buyer, sum(received, rnFee)); got.Cmp(want) != 0 {
		t.Errorf("the buyer's wallet moved by %s, want %s (paid 126.25, %s back)", got, want, split.Buyer)
	}
	client, err := ethclient.Dial(rpc)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	tok, err := bindings.NewERC20(usdt, client)
	if err != nil {
		t.Fatal(err)
	}
	if bal, err := tok.BalanceOf(&bind.CallOpts{}, common.HexToAddress(m[1])); err != nil || bal.Cmp(after) != 0 {
		t.Errorf("the buyer's wallet holds %v on chain, the demo printed %s (%v)", bal, after, err)
	}

	// The case over the API, as its buyer sees it.
	id := regexp.MustCompile(`dispute\s+(\S+) opened by the buyer \(not_as_described\)`).FindStringSubmatch(out)
	upload := regexp.MustCompile(`buyer\s+uploaded (\S+) \(image/png, \d+ bytes, sha256 ([0-9a-f]{64})\)`).FindStringSubmatch(out)
	if id == nil || upload == nil {
		t.Fatal("no dispute or upload line")
	}
	token := signInToken(t, api, devAccounts[1].email, devAccounts[1].password)
	code, body := getAuth(t, api+"/v1/disputes/"+id[1], token)
	var c struct {
		Status, Resolution string
		Entries            []struct {
			Kind, Actor string
			Body        json.RawMessage
		}
	}
	if code != 200 || json.Unmarshal([]byte(body), &c) != nil {
		t.Fatalf("GET the dispute: %d %s", code, body)
	}
	var kinds []string
	var photo, statement bool
	for _, e := range c.Entries {
		kinds = append(kinds, e.Kind+":"+e.Actor)
		var b struct{ File, Sha256, Statement, ContentType string }
		_ = json.Unmarshal(e.Body, &b)
		photo = photo || (e.Kind == "evidence" && e.Actor == "buyer" && b.File == upload[1] && b.Sha256 == upload[2] && b.ContentType == "image/png")
		statement = statement || (e.Kind == "evidence" && e.Actor == "seller" && b.Statement != "" && b.File == "")
	}
	if want := "opened:buyer evidence:buyer evidence:seller proposed:admin accepted:buyer accepted:seller resolved:admin"; c.Status != "resolved" ||
		c.Resolution != "compensation" || strings.Join(kinds, " ") != want || !photo || !statement {
		t.Errorf("the case: %s %s, timeline %s (want %s), photo %v, statement %v", c.Status, c.Resolution, kinds, want, photo, statement)
	}
	// Its signed bundle verifies against the published key; a changed entry does not.
	_, keyBody := getAuth(t, api+"/v1/dispute-bundle-key", "")
	var key struct{ PublicKey string }
	if err := json.Unmarshal([]byte(keyBody), &key); err != nil {
		t.Fatal(err)
	}
	pub, err := dispute.ParsePublicKey(key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	code, bundle := getAuth(t, api+"/v1/disputes/"+id[1]+"/bundle", token)
	if code != 200 {
		t.Fatalf("GET the bundle: %d %s", code, bundle)
	}
	v, err := dispute.VerifyBundle([]byte(bundle), pub)
	if err != nil || v.Case.Resolution != "compensation" || v.Case.Entries != len(c.Entries) || !v.KeyGiven {
		t.Errorf("the bundle: %+v %v", v, err)
	}
	tampered := strings.Replace(bundle, upload[2], strings.Repeat("0", 64), 1)
	if _, err := dispute.VerifyBundle([]byte(tampered), pub); err == nil {
		t.Errorf("a bundle with the photo's hash changed verifies")
	}

	// Both parties heard that the case opened and that it ended: in the app and by mail.
	for _, a := range devAccounts[1:3] {
		tok := token
		if a.email != devAccounts[1].email {
			tok = signInToken(t, api, a.email, a.password)
		}
		_, page := getAuth(t, api+"/v1/notifications?limit=100", tok)
		for _, k := range []string{"dispute.opened", "dispute.resolved"} {
			if !hasNotification(page, k, id[1]) {
				t.Errorf("%s has no %s notification of the case: %s", a.email, k, page)
			}
		}
		for _, subject := range []string{"A dispute was opened: Vintage film camera, tested", "The dispute is resolved: Vintage film camera, tested"} {
			re := regexp.MustCompile(`mail      to ` + regexp.QuoteMeta(a.email) + `: ` + regexp.QuoteMeta(subject))
			deadline := time.Now().Add(20 * time.Second)
			for !re.MatchString(logs.String()) {
				if time.Now().After(deadline) {
					t.Errorf("no mail %q to %s printed", subject, a.email)
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
}

// hasNotification reports whether a page of notifications has one of kind k about case id.
func hasNotification(page, k, id string) bool {
	var p struct {
		Items []struct {
			Kind string
			Data struct{ Dispute string }
		}
	}
	if json.Unmarshal([]byte(page), &p) != nil {
		return false
	}
	for _, n := range p.Items {
		if n.Kind == k && n.Data.Dispute == id {
			return true
		}
	}
	return false
}

// parseUnits reads a decimal amount of USDT (6 decimals) as base units.
func parseUnits(t *testing.T, s string) *big.Int {
	t.Helper()
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 6 {
		t.Fatalf("amount %q", s)
	}
	n, ok := new(big.Int).SetString(whole+frac+strings.Repeat("0", 6-len(frac)), 10)
	if !ok {
		t.Fatalf("amount %q", s)
	}
	return n
}

func signInToken(t *testing.T, api, email, password string) string {
	t.Helper()
	code, body := postJSON(t, api+"/v1/auth/login", "", map[string]string{"email": email, "password": password})
	var s struct{ AccessToken string }
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil || s.AccessToken == "" {
		t.Fatalf("sign in as %s: %d %s", email, code, body)
	}
	return s.AccessToken
}

func getAuth(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
