package signer

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/google/uuid"

	"github.com/amanat/amn/bindings"
)

// Intents awaiting approvals compare their count with the contract's threshold on every tick:
// one read of threshold() per chain and tick, not one per intent (each is an RPC call a paid
// endpoint counts).
func TestThresholdIsReadOncePerTick(t *testing.T) {
	t.Parallel() // a world of its own: anvil and database
	esc, _ := bindings.AmnEscrowMetaData.GetAbi()
	selector := hexutil.Encode(esc.Methods["threshold"].ID)
	var reads atomic.Int64
	var anvil string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), `"eth_call"`) && strings.Contains(string(body), selector) {
			reads.Add(1)
		}
		resp, err := http.Post(anvil, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, resp.Body)
	}))
	defer proxy.Close()
	w := newWorld(t, nil)
	anvil = w.f.URL
	client, err := ethclient.Dial(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	w.chain.Client = client

	for range 5 {
		if _, err := w.admin.Exec(w.ctx, `INSERT INTO signer_intents (id, kind, chain_id, contract, token, seller, seller_amount,
			fee_recipient, fee_amount, deadline, state, requested_by) VALUES ($1, 'release', $2, $3, $4, $5, 1, $5, 0, $6,
			'awaiting_approvals', 'test')`, uuid.New(), w.f.ChainID, hexAddr(w.f.Addresses.Escrow), hexAddr(w.f.Addresses.USDT),
			hexAddr(w.f.Seller.Address), time.Now().Add(time.Hour).Unix()); err != nil {
			t.Fatal(err)
		}
	}
	reads.Store(0)
	if err := w.signer.Tick(w.ctx); err != nil {
		t.Fatal(err)
	}
	if n := reads.Load(); n != 1 {
		t.Fatalf("threshold() read %d times in one tick for five intents awaiting approvals, want 1", n)
	}
	if err := w.signer.Tick(w.ctx); err != nil {
		t.Fatal(err)
	}
	if n := reads.Load(); n != 2 {
		t.Fatalf("threshold() read %d times in two ticks, want 2 (a new tick reads it afresh)", n)
	}
}
