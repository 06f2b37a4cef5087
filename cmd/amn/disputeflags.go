package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/dispute"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/notify"
	"github.com/amanat/amn/payment"
	"github.com/amanat/amn/upload"
)

// disputeOptions are the API's dispute settings: the deadlines, the amount from which a second
// admin approves, and the key export bundles are signed with (a secret file, like the access
// tokens' keys).
type disputeOptions struct {
	AnswerHours     int
	EscalateHours   int
	SecondAdminFrom int64
	BundleKeyFile   string
	Hour            time.Duration

	cfg dispute.Config
}

func (o *disputeOptions) addFlags(fs *pflag.FlagSet) {
	d := dispute.DefaultConfig()
	fs.IntVar(&o.AnswerHours, "dispute-answer-hours", d.AnswerHours, "hours each side of a dispute has to answer (after opening, after an admin asks for evidence)")
	fs.IntVar(&o.EscalateHours, "dispute-escalate-hours", d.EscalateHours, "hours a dispute may wait for an admin before it escalates")
	fs.Int64Var(&o.SecondAdminFrom, "dispute-second-admin-from", d.SecondAdminFrom, "amount at stake, in whole tokens, from which even a resolution both parties accepted needs a second admin")
	fs.StringVar(&o.BundleKeyFile, "dispute-bundle-key-file", "", "PEM file of the Ed25519 key dispute bundles are signed with (`openssl genpkey -algorithm ed25519`); none: export is unavailable")
	fs.DurationVar(&o.Hour, "dispute-hour", d.Hour, "FOR DEV AND TESTS ONLY: the disputes' hour (deadlines count in it)")
	_ = fs.MarkHidden("dispute-hour")
}

// Validate checks the settings and reads the bundle key.
func (o *disputeOptions) Validate() error {
	o.cfg = dispute.Config{AnswerHours: o.AnswerHours, EscalateHours: o.EscalateHours, SecondAdminFrom: o.SecondAdminFrom, Hour: o.Hour}
	if o.BundleKeyFile != "" {
		k, err := readEd25519Key(o.BundleKeyFile)
		if err != nil {
			return fmt.Errorf("%w: --dispute-bundle-key-file (%s): %v", config.ErrInvalid, config.Env("dispute-bundle-key-file"), err)
		}
		o.cfg.BundleKey = k
	}
	if err := o.cfg.Validate(); err != nil {
		return fmt.Errorf("%w: --dispute-* settings: %v", config.ErrInvalid, err)
	}
	return nil
}

// readEd25519Key reads a PKCS #8 PEM Ed25519 private key.
func readEd25519Key(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("no PEM PRIVATE KEY block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	ed, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the key is not an Ed25519 key")
	}
	return ed, nil
}

// newDisputes is the disputes on pool (Validate first): the market and the payments run their
// steps, uploads attach evidence (and let the case's parties read it), the accounts ban, notes
// tells both parties when a case opens and when it ends.
func newDisputes(pool *pgxpool.Pool, cfg dispute.Config, mkt *market.Service, uploads *upload.Service, accounts *auth.Service,
	notes *notify.Service) *dispute.Service {
	d := dispute.New(pool, cfg, mkt, payment.New(pool, nil)).WithFiles(uploads).WithAccounts(accounts).
		WithNotifier(dispute.Parties{Notify: notes})
	uploads.WithRule(upload.KindEvidence, d.EvidenceRule)
	return d
}
