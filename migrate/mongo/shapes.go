package mongo

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/blog"
	"github.com/amanat/amn/chat"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/points"
)

// The source documents, shaped like the old backend's Mongoose models (docs/import.md lists every
// field read): each collection's convert reads one document into what its package's Import*
// entry point takes, resolving references through the mapping, or says what is wrong with it.
// convert never writes; item.write does, inside the document's savepoint.

// item is one converted document.
type item struct {
	newID       uuid.UUID
	sum         *big.Int // what the verification adds up for the collection (nil: nothing)
	open        *OpenPayment
	openDispute *OpenDispute
	note        string // imported, but something of it left out: the report's notes say what
	write       func(ctx context.Context, tx pgx.Tx) error
}

// collection is one source collection and how it is imported and verified.
type collection struct {
	name    string // the Mongoose model's collection (lower-case plural)
	sumName string // what item.sum is ("" for none)
	convert func(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error)
	// totals reads back what the target holds of ids: how many, and their sum.
	totals func(ctx context.Context, im *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error)
}

// The collections in the order references need: a document's references point to collections
// imported before it (a request's accepted offer is set by the offer).
const (
	Users             = "users"
	PointTransactions = "pointtransactions"
	RequestTemplates  = "requesttemplates"
	PurchaseRequests  = "purchaserequests"
	SellerOffers      = "selleroffers"
	Payments          = "payments"
	Chats             = "chats"
	BlogPosts         = "blogposts"
	Disputes          = "disputes"
	Notifications     = "notifications"
)

// collections is the import's order.
var collections = []collection{
	{name: Users, sumName: "points", convert: convertUser, totals: userTotals},
	{name: PointTransactions, sumName: "points", convert: convertPointTransaction, totals: historyTotals},
	{name: RequestTemplates, sumName: "price", convert: convertTemplate, totals: templateTotals},
	{name: PurchaseRequests, sumName: "budget_max", convert: convertRequest, totals: requestTotals},
	{name: SellerOffers, sumName: "price", convert: convertOffer, totals: offerTotals},
	{name: Payments, sumName: "amount", convert: convertPayment, totals: paymentTotals},
	{name: Chats, sumName: "messages", convert: convertChat, totals: chatTotals},
	{name: BlogPosts, convert: convertPost, totals: postTotals},
	{name: Disputes, sumName: "statements", convert: convertDispute, totals: disputeTotals},
	{name: Notifications, sumName: "read", convert: convertNotification, totals: notificationTotals},
}

// CollectionNames lists the collections read, in order.
func CollectionNames() []string {
	out := make([]string, len(collections))
	for i, c := range collections {
		out[i] = c.name
	}
	return out
}

var idNamespace = uuid.MustParse("3b0d2f6e-5c7a-4e8b-9f21-a4d6c8e0b1f3")

// NewID is the id here of the document of collection with ObjectId old: derived, so a rerun, a
// resumed run and a dry run agree on it without reading anything.
func NewID(collection string, old bson.ObjectID) uuid.UUID {
	return uuid.NewSHA1(idNamespace, []byte(collection+"/"+old.Hex()))
}

var (
	categoryForm = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)
	chainForm    = regexp.MustCompile(`^[a-z0-9_-]{1,32}$`)
	tokenForm    = regexp.MustCompile(`^[A-Za-z0-9]{1,16}$`)
)

// runes checks a text field's length in characters.
func runes(f *fields, key, s string, lo, hi int) {
	if n := utf8.RuneCountInString(s); n < lo || n > hi {
		f.fail("field %s has %d characters, not %d to %d", key, n, lo, hi)
	}
}

func orTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

func decodeB64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, fmt.Errorf("not base64")
}

// --- users ------------------------------------------------------------------------------------

var legacyRoles = map[string]auth.Role{"buyer": auth.RoleBuyer, "user": auth.RoleBuyer, "seller": auth.RoleSeller, "admin": auth.RoleAdmin}

func convertUser(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	u := auth.ImportedUser{ID: NewID(Users, id), CreatedAt: f.time("createdAt", true), LastImported: im.last}
	u.UpdatedAt = orTime(f.time("updatedAt", false), u.CreatedAt)
	if e := strings.ToLower(strings.TrimSpace(f.str("email", false))); e != "" {
		if !strings.Contains(e, "@") || len(e) < 3 || len(e) > 254 {
			f.fail("field email %.60q is not an email address", e)
		}
		u.Email = &e
	}
	tg := f.decimalString("telegramId")
	if u.Email == nil && tg == "" && f.err == nil {
		f.fail("missing field email (and no telegramId)")
	}
	if tg != "" {
		u.TelegramID, _ = strconv.ParseInt(tg, 10, 64) // decimalString checked it
	}
	u.PasswordHash = f.str("password", false)
	if h := u.PasswordHash; h != "" && !(strings.HasPrefix(h, "$2a$") || strings.HasPrefix(h, "$2b$") || strings.HasPrefix(h, "$2y$")) {
		f.fail("field password is not a bcrypt hash")
	}
	roles := f.strs("roles")
	if one := f.str("role", false); one != "" {
		roles = append(roles, one)
	}
	for _, name := range roles {
		role, ok := legacyRoles[strings.ToLower(name)]
		if !ok {
			f.fail("role %.30q is none of buyer, seller, admin, user", name)
		} else if !slices.Contains(u.Roles, role) {
			u.Roles = append(u.Roles, role)
		}
	}
	if len(u.Roles) == 0 {
		u.Roles = []auth.Role{auth.RoleBuyer}
	}
	u.DisplayName = f.str("name", false)
	runes(f, "name", u.DisplayName, 0, 80)
	u.EmailVerified = f.boolean("isEmailVerified")
	u.Banned = f.boolean("isBanned")
	code := strings.TrimSpace(f.str("referralCode", false))
	var referrer uuid.NullUUID
	if ref, ok := f.ref("referredBy", false); ok {
		referrer.UUID, referrer.Valid = r.ref(f, "referredBy", Users, ref), true
	}
	balance, _ := f.integer("points", false)
	if balance < 0 {
		f.fail("field points is negative")
	}
	u.Passkeys = readPasskeys(f, id, u.CreatedAt)
	if f.err == nil {
		// Checked as if verified: a passkey left out below must still be a readable one (a
		// malformed document is reported as such, whatever is imported of it).
		probe := u
		probe.EmailVerified = true
		if err := auth.CheckImportedUser(probe); err != nil {
			f.fail("%v", err)
		}
	}
	var note string
	if u.Email != nil && !u.EmailVerified && (u.TelegramID != 0 || len(u.Passkeys) > 0) {
		// Nobody proved the address: whoever registered it may have added these, and its owner,
		// verifying it here, would share the account with them. Left out (and reported).
		note = fmt.Sprintf("email not verified: %d passkey(s) and the Telegram id (%v) not imported; the owner verifies the email and adds them again",
			len(u.Passkeys), u.TelegramID != 0)
		u.TelegramID, u.Passkeys = 0, nil
	}
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: u.ID, sum: big.NewInt(balance), note: note, write: func(ctx context.Context, tx pgx.Tx) error {
		if err := auth.ImportUser(ctx, tx, u); err != nil {
			return err
		}
		if err := points.ImportReferral(ctx, tx, u.ID, code, referrer, u.CreatedAt); err != nil {
			return err
		}
		return im.points.ImportOpening(ctx, tx, u.ID, id.Hex(), balance, u.CreatedAt)
	}}, nil
}

// readPasskeys reads the old backend's WebAuthn credentials of user id (simplewebauthn's fields).
func readPasskeys(f *fields, id bson.ObjectID, created time.Time) []auth.ImportedPasskey {
	var out []auth.ImportedPasskey
	for i, p := range f.docs("passkeys") {
		pf := &fields{raw: p}
		pk := auth.ImportedPasskey{CredentialID: pf.bytes("credentialID", true), PublicKey: pf.bytes("publicKey", true),
			UserHandle: pf.bytes("userHandle", false), Transports: pf.strs("transports"), Name: pf.str("name", false),
			BackupEligible: pf.str("deviceType", false) == "multiDevice", BackupState: pf.boolean("backedUp"),
			CreatedAt: orTime(pf.time("createdAt", false), created)}
		counter, _ := pf.integer("counter", false)
		if counter < 0 || counter > 1<<32-1 {
			pf.fail("field counter is out of range")
		}
		pk.SignCount = uint32(counter)
		if pk.UserHandle == nil {
			// The old backend registered passkeys with the user id's hex text as the user handle.
			pk.UserHandle = []byte(id.Hex())
		}
		if pf.err != nil {
			f.fail("passkeys.%d: %v", i, pf.err)
		}
		out = append(out, pk)
	}
	return out
}

func userTotals(ctx context.Context, im *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	n, err := auth.CountUsers(ctx, tx, ids)
	if err != nil {
		return 0, nil, err
	}
	total, err := im.points.OpeningTotal(ctx, tx)
	return n, big.NewInt(total), err
}

// --- point transactions -----------------------------------------------------------------------

func convertPointTransaction(_ *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	e := points.LegacyEntry{ID: NewID(PointTransactions, id)}
	if u, ok := f.ref("user", true); ok {
		e.User = r.ref(f, "user", Users, u)
	}
	amount, _ := f.integer("amount", true)
	e.Amount = amount
	e.Kind = f.str("type", true)
	runes(f, "type", e.Kind, 1, 64)
	e.Reason = f.str("reason", false)
	e.CreatedAt = f.time("createdAt", true)
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: e.ID, sum: big.NewInt(amount), write: func(ctx context.Context, tx pgx.Tx) error {
		return points.ImportHistory(ctx, tx, e)
	}}, nil
}

func historyTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	n, sum, err := points.HistoryTotals(ctx, tx, ids)
	return n, big.NewInt(sum), err
}

// --- templates, requests, offers --------------------------------------------------------------

// listing reads what requests and templates share.
type listing struct {
	title, description, category, productType, chain, token string
}

func readListing(f *fields) listing {
	l := listing{title: strings.TrimSpace(f.str("title", true)), description: f.str("description", false),
		category: strings.ToLower(strings.TrimSpace(f.str("category", true))),
		chain:    strings.ToLower(strings.TrimSpace(f.str("chain", true))), token: strings.TrimSpace(f.str("token", true))}
	runes(f, "title", l.title, 3, 200)
	runes(f, "description", l.description, 0, 20000)
	if l.category != "" && !categoryForm.MatchString(l.category) {
		f.fail("field category %.70q is not 1 to 64 of a-z, 0-9, _ and -", l.category)
	}
	pt := f.str("productType", true)
	if v, ok := market.LegacyProductType[pt]; ok {
		l.productType = v
	} else if pt != "" {
		f.fail("productType %.40q is none of the old model's", pt)
	}
	if l.chain != "" && !chainForm.MatchString(l.chain) {
		f.fail("field chain %.40q is not a chain key", l.chain)
	}
	if l.token != "" && !tokenForm.MatchString(l.token) {
		f.fail("field token %.40q is not a token symbol", l.token)
	}
	return l
}

func deliveryDays(f *fields, key string) int {
	d, _ := f.integer(key, true)
	if d < 0 || d > 365 {
		f.fail("field %s is %d, not 0 to 365", key, d)
	}
	return int(d)
}

func convertTemplate(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	t := market.ImportedTemplate{ID: NewID(RequestTemplates, id), LastImported: im.last}
	if s, ok := f.ref("seller", true); ok {
		t.Seller = r.ref(f, "seller", Users, s)
	}
	l := readListing(f)
	t.Title, t.Description, t.Category, t.ProductType, t.ChainKey, t.TokenSymbol = l.title, l.description, l.category, l.productType, l.chain, l.token
	t.Price = f.amount("price", true)
	if t.Price != nil && t.Price.Sign() == 0 {
		f.fail("field price is 0")
	}
	t.DeliveryDays = deliveryDays(f, "deliveryDays")
	t.CreatedAt = f.time("createdAt", true)
	t.UpdatedAt = orTime(f.time("updatedAt", false), t.CreatedAt)
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: t.ID, sum: t.Price, write: func(ctx context.Context, tx pgx.Tx) error {
		return market.ImportTemplate(ctx, tx, t)
	}}, nil
}

func templateTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	t, err := market.ImportedTemplates(ctx, tx, ids)
	return t.Count, t.Sum, err
}

var urgencies = []string{"low", "normal", "high", "urgent"}

func convertRequest(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	q := market.ImportedRequest{ID: NewID(PurchaseRequests, id), LastImported: im.last}
	if b, ok := f.ref("buyer", true); ok {
		q.Buyer = r.ref(f, "buyer", Users, b)
	}
	l := readListing(f)
	q.Title, q.Description, q.Category, q.ProductType, q.ChainKey, q.TokenSymbol = l.title, l.description, l.category, l.productType, l.chain, l.token
	q.BudgetMin = f.amount("budget.min", true)
	q.BudgetMax = f.amount("budget.max", true)
	if q.BudgetMin != nil && q.BudgetMax != nil && (q.BudgetMax.Sign() == 0 || q.BudgetMax.Cmp(q.BudgetMin) < 0) {
		f.fail("budget.max must be above 0 and at least budget.min")
	}
	q.Urgency = f.str("urgency", false)
	if q.Urgency != "" && !slices.Contains(urgencies, q.Urgency) {
		f.fail("urgency %.20q is none of low, normal, high, urgent", q.Urgency)
	}
	switch kind := f.str("delivery.type", true); kind {
	case "online":
		q.Delivery = market.DeliveryTo{Kind: "online"}
	case "physical":
		a := &market.Address{Recipient: f.str("delivery.address.recipient", true), Line1: f.str("delivery.address.line1", true),
			Line2: f.str("delivery.address.line2", false), City: f.str("delivery.address.city", true),
			Region: f.str("delivery.address.region", false), PostalCode: f.str("delivery.address.postalCode", false),
			Country: f.str("delivery.address.country", true), Phone: f.str("delivery.address.phone", false)}
		q.Delivery = market.DeliveryTo{Kind: "physical", Address: a}
	case "":
	default:
		f.fail("delivery.type %.20q is neither online nor physical", kind)
	}
	switch v := f.str("visibility", false); v {
	case "", "public":
	case "private":
		q.Private = true
	default:
		f.fail("visibility %.20q is neither public nor private", v)
	}
	old := f.str("status", true)
	if s, ok := market.LegacyRequestStatus[old]; ok {
		q.Status = s
	} else if old != "" {
		f.fail("status %.40q is none of the old model's (docs/import.md)", old)
	}
	if t, ok := f.ref("template", false); ok {
		q.Template = uuid.NullUUID{UUID: r.ref(f, "template", RequestTemplates, t), Valid: true}
	}
	if d := f.time("deliveredAt", false); !d.IsZero() {
		q.DeliveredAt = &d
	}
	q.CreatedAt = f.time("createdAt", true)
	q.UpdatedAt = orTime(f.time("updatedAt", false), q.CreatedAt)
	q.ExpiresAt = orTime(f.time("expiresAt", false), q.CreatedAt.Add(30*24*time.Hour))
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: q.ID, sum: q.BudgetMax, write: func(ctx context.Context, tx pgx.Tx) error {
		return market.ImportRequest(ctx, tx, q)
	}}, nil
}

func requestTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	t, err := market.ImportedRequests(ctx, tx, ids)
	return t.Count, t.Sum, err
}

func convertOffer(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	o := market.ImportedOffer{ID: NewID(SellerOffers, id), LastImported: im.last}
	if q, ok := f.ref("request", true); ok {
		o.Request = r.ref(f, "request", PurchaseRequests, q)
	}
	if s, ok := f.ref("seller", true); ok {
		o.Seller = r.ref(f, "seller", Users, s)
	}
	o.Price = f.amount("price", true)
	if o.Price != nil && o.Price.Sign() == 0 {
		f.fail("field price is 0")
	}
	o.DeliveryDays = deliveryDays(f, "deliveryDays")
	o.Notes = f.str("notes", false)
	runes(f, "notes", o.Notes, 0, 5000)
	old := f.str("status", true)
	if s, ok := market.LegacyOfferStatus[old]; ok {
		o.Status = s
	} else if old != "" {
		f.fail("status %.40q is none of the old model's (docs/import.md)", old)
	}
	o.CreatedAt = f.time("createdAt", true)
	o.UpdatedAt = orTime(f.time("updatedAt", false), o.CreatedAt)
	o.ValidUntil = orTime(f.time("validUntil", false), o.CreatedAt.Add(7*24*time.Hour))
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: o.ID, sum: o.Price, write: func(ctx context.Context, tx pgx.Tx) error {
		return market.ImportOffer(ctx, tx, o)
	}}, nil
}

func offerTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	t, err := market.ImportedOffers(ctx, tx, ids)
	return t.Count, t.Sum, err
}

// --- payments ---------------------------------------------------------------------------------

func convertPayment(_ *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	p := payment.LegacyPayment{ID: NewID(Payments, id)}
	var open OpenPayment
	if q, ok := f.ref("request", false); ok {
		p.Request = uuid.NullUUID{UUID: r.ref(f, "request", PurchaseRequests, q), Valid: true}
		open.Request = q.Hex()
	}
	if b, ok := f.ref("buyer", false); ok {
		p.Buyer = uuid.NullUUID{UUID: r.ref(f, "buyer", Users, b), Valid: true}
	}
	if s, ok := f.ref("seller", false); ok {
		p.Seller = uuid.NullUUID{UUID: r.ref(f, "seller", Users, s), Valid: true}
	}
	p.Amount = f.amount("amount", true)
	p.TokenSymbol = strings.TrimSpace(f.str("token", true))
	p.ChainKey = strings.ToLower(strings.TrimSpace(f.str("chain", true)))
	if p.TokenSymbol != "" && !tokenForm.MatchString(p.TokenSymbol) {
		f.fail("field token %.40q is not a token symbol", p.TokenSymbol)
	}
	if p.ChainKey != "" && !chainForm.MatchString(p.ChainKey) {
		f.fail("field chain %.40q is not a chain key", p.ChainKey)
	}
	p.OldStatus = f.str("status", true)
	if s, ok := payment.LegacyPaymentStatus[p.OldStatus]; ok {
		p.State = s
	} else if p.OldStatus != "" {
		f.fail("status %.40q is none of the old model's (docs/import.md)", p.OldStatus)
	}
	p.Provider = f.str("provider", false)
	if v, ok := f.lookup("providerIds"); ok {
		d, isDoc := v.DocumentOK()
		if !isDoc {
			f.wrong("providerIds", v, "a document")
		} else {
			p.ProviderIDs = map[string]string{}
			els, _ := d.Elements()
			for _, e := range els {
				s, ok := e.Value().StringValueOK()
				if !ok {
					f.fail("providerIds.%s is %s, not a string", e.Key(), typeName(e.Value().Type))
					continue
				}
				p.ProviderIDs[e.Key()] = s
			}
		}
	}
	p.CreatedAt = f.time("createdAt", true)
	p.UpdatedAt = orTime(f.time("updatedAt", false), p.CreatedAt)
	if f.err != nil {
		return item{}, f.err
	}
	it := item{newID: p.ID, sum: p.Amount, write: func(ctx context.Context, tx pgx.Tx) error {
		return payment.ImportLegacy(ctx, tx, p)
	}}
	if p.State == payment.LegacyHeld {
		open.ID, open.Status, open.Amount, open.Token, open.Chain = id.Hex(), p.OldStatus, p.Amount.String(), p.TokenSymbol, p.ChainKey
		open.Provider, open.ProviderIDs, open.NewID = p.Provider, p.ProviderIDs, p.ID
		it.open = &open
	}
	return it, nil
}

func paymentTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	return payment.LegacyTotals(ctx, tx, ids)
}

// --- chats ------------------------------------------------------------------------------------

func convertChat(_ *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	c := chat.ImportedConversation{ID: NewID(Chats, id)}
	if q, ok := f.ref("request", true); ok {
		c.Request = r.ref(f, "request", PurchaseRequests, q)
	}
	if o, ok := f.ref("offer", true); ok {
		c.Offer = r.ref(f, "offer", SellerOffers, o)
	}
	buyer, _ := f.ref("buyer", true)
	seller, _ := f.ref("seller", true)
	if f.err == nil {
		c.Buyer, c.Seller = r.ref(f, "buyer", Users, buyer), r.ref(f, "seller", Users, seller)
	}
	for i, m := range f.docs("messages") {
		mf := &fields{raw: m}
		sender, _ := mf.ref("sender", true)
		msg := chat.ImportedMessage{Body: mf.str("text", true), CreatedAt: mf.time("createdAt", true)}
		runes(mf, "text", msg.Body, 1, chat.MaxText)
		switch sender {
		case buyer:
			msg.Sender = c.Buyer
		case seller:
			msg.Sender = c.Seller
		default:
			mf.fail("sender is neither the buyer nor the seller")
		}
		if mid, ok := mf.ref("_id", false); ok {
			msg.ID = uuid.NewSHA1(idNamespace, []byte(Chats+"/"+id.Hex()+"/"+mid.Hex()))
		} else {
			msg.ID = uuid.NewSHA1(idNamespace, []byte(fmt.Sprintf("%s/%s/#%d", Chats, id.Hex(), i)))
		}
		if mf.err != nil {
			f.fail("messages.%d: %v", i, mf.err)
		}
		c.Messages = append(c.Messages, msg)
	}
	c.CreatedAt = f.time("createdAt", true)
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: c.ID, sum: big.NewInt(int64(len(c.Messages))), write: func(ctx context.Context, tx pgx.Tx) error {
		return chat.ImportConversation(ctx, tx, c)
	}}, nil
}

func chatTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	n, m, err := chat.ImportedCounts(ctx, tx, ids)
	return n, big.NewInt(m), err
}

// --- blog posts -------------------------------------------------------------------------------

var legacyPostStatus = map[string]blog.Status{"draft": blog.Draft, "published": blog.Published, "archived": blog.Archived, "scheduled": blog.Scheduled}

func convertPost(im *Importer, id bson.ObjectID, f *fields, r *resolver) (item, error) {
	p := blog.ImportedPost{ID: NewID(BlogPosts, id)}
	if a, ok := f.ref("author", true); ok {
		p.Author = r.ref(f, "author", Users, a)
	}
	p.Slug = f.str("slug", true)
	p.Input = blog.Input{Title: f.str("title", true), Summary: f.str("summary", false), Markdown: f.str("content", true),
		Tags: f.strs("tags"), Categories: f.strs("categories"), Locale: f.str("locale", false)}
	if p.Input.Locale == "" {
		p.Input.Locale = "en"
	}
	old := f.str("status", true)
	if s, ok := legacyPostStatus[old]; ok {
		p.Input.Status = s
	} else if old != "" {
		f.fail("status %.40q is none of draft, published, scheduled, archived", old)
	}
	if t := f.time("publishedAt", false); !t.IsZero() {
		p.Input.PublishAt = &t
	}
	p.CreatedAt = f.time("createdAt", true)
	p.UpdatedAt = orTime(f.time("updatedAt", false), p.CreatedAt)
	if f.err == nil {
		if err := im.blog.CheckImport(p); err != nil {
			f.fail("%v", err)
		}
	}
	if f.err != nil {
		return item{}, f.err
	}
	return item{newID: p.ID, write: func(ctx context.Context, tx pgx.Tx) error {
		return im.blog.ImportPost(ctx, tx, p)
	}}, nil
}

func postTotals(ctx context.Context, _ *Importer, tx pgx.Tx, ids []uuid.UUID) (int64, *big.Int, error) {
	n, err := blog.ImportedPosts(ctx, tx, ids)
	return n, new(big.Int), err
}
