package chat_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/payment/paymenttest"
	"github.com/amanat/amn/upload"
	"github.com/amanat/amn/upload/uploadtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// anvilXpub is the account xpub of anvil's public test mnemonic (public test data).
const anvilXpub = "xpub6Ce9NcJvTk36xtLSrJLZqE7wtgA5deCeYs7rSQtreh4cj6ByPtrg9sD7V2FNFLPnf8heNP3FGkeV9qwfzvZNSd54JoNXVsXFYSYwHsnJxqP"

// world is the chat, the market and uploads as amn_api, with the owner's pool for making users
// and reading tables directly.
type world struct {
	chat     *chat.Service
	m        *market.Service
	payments *payment.Service
	files    *upload.Service
	owner    *pgxpool.Pool
}

func newWorld(t *testing.T) *world {
	t.Helper()
	d, err := hd.ParseXpub(anvilXpub)
	if err != nil {
		t.Fatal(err)
	}
	api := dbtest.PoolAs(t, db.RoleAPI)
	c := market.DefaultConfig()
	c.FeeAddress = common.HexToAddress("0x00000000000000000000000000000000000000fe")
	pays := payment.New(api, d)
	m := market.New(api, pays, chain.DefaultRegistry(), c)
	files := upload.New(api, upload.Disk{Root: t.TempDir()}, upload.DefaultConfig())
	ch := chat.New(api, m, files)
	files.WithRule(upload.KindChat, ch.AttachmentRule)
	return &world{chat: ch, m: m, payments: pays, files: files, owner: dbtest.Pool(t)}
}

func (w *world) user(t *testing.T) chat.Caller {
	t.Helper()
	id := uuid.New()
	if _, err := w.owner.Exec(context.Background(), `INSERT INTO users (id, email, roles) VALUES ($1, $2, '{buyer,seller}')`,
		id, id.String()+"@example.com"); err != nil {
		t.Fatal(err)
	}
	return chat.Caller{UserID: id}
}

func mc(c chat.Caller) market.Caller { return market.Caller{UserID: c.UserID, Admin: c.Admin} }

// offer is a request of buyer's with seller's offer at price on it.
func (w *world) offer(t *testing.T, buyer, seller chat.Caller, price int64) (*market.Request, *market.Offer) {
	t.Helper()
	ctx := context.Background()
	r, err := w.m.CreateRequest(ctx, mc(buyer), market.RequestInput{Title: "Vintage camera lens",
		Description: "A 50mm f/1.4 lens in good condition", Category: "photo", ProductType: "physical_product",
		BudgetMin: "1", BudgetMax: "200000000000000000000", ChainKey: "bsc", TokenSymbol: "USDT",
		Delivery: market.DeliveryTo{Kind: "physical", Address: &market.Address{Recipient: "A. Buyer", Line1: "1 Main St", City: "Almaty", Country: "KZ"}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := chain.DefaultRegistry().Get(r.ChainKey)
	if err != nil {
		t.Fatal(err)
	}
	var token common.Address
	for _, tk := range cfg.Tokens {
		if tk.Symbol == r.TokenSymbol {
			token = tk.Address
		}
	}
	id := uuid.New()
	n := paymenttest.Offer(payment.NewPayment{OfferRef: id.String(), ChainID: cfg.ID, Token: token, Amount: big.NewInt(price)}, paymenttest.Seller())
	o, err := w.m.MakeOffer(ctx, mc(seller), r.ID, market.OfferInput{ID: id, Price: fmt.Sprint(price), DeliveryDays: 5,
		ValidUntil: time.Now().Add(72 * time.Hour), PayoutAddress: paymenttest.Seller().Address, PayoutSignature: n.SellerSignature})
	if err != nil {
		t.Fatal(err)
	}
	return r, o
}

// conversation is a new offer's conversation between two new users, opened by the buyer.
func (w *world) conversation(t *testing.T) (c *chat.Conversation, buyer, seller chat.Caller) {
	t.Helper()
	buyer, seller = w.user(t), w.user(t)
	_, o := w.offer(t, buyer, seller, 1_000_000)
	c, err := w.chat.Open(context.Background(), buyer, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, buyer, seller
}

func (w *world) upload(t *testing.T, owner chat.Caller) uuid.UUID {
	t.Helper()
	u, err := w.files.Put(context.Background(), upload.Caller{UserID: owner.UserID}, bytes.NewReader(uploadtest.PNG(t, uploadtest.Image(20, 20))))
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// roomEvents lists a chat room's stored events as "seq:kind".
func (w *world) roomEvents(t *testing.T, id uuid.UUID) string {
	t.Helper()
	rows, err := w.owner.Query(context.Background(), `SELECT seq || ':' || kind FROM realtime_events WHERE room = $1 ORDER BY seq`, "chat-"+id.String())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
}
