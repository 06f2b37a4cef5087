package main

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/chain"
	"github.com/amanat/amn/config"
	"github.com/amanat/amn/hd"
	"github.com/amanat/amn/market"
	"github.com/amanat/amn/payment"
)

// marketOptions are the API's marketplace settings: the chains and tokens requests are priced in
// (--chain-config over the built-in defaults), the account xpub accepted offers' deposit addresses
// derive from, and market.Config.
type marketOptions struct {
	ChainConfig   string
	Xpub          string
	Moderation    bool
	FeeBps        int64
	CommissionBps int64
	FeeAddress    string
	PaymentTTL    time.Duration
	RequestTTL    time.Duration
	// The deal after payment: inspection periods per category, the delivery grace, and the day
	// unit (shorter only in dev and tests).
	InspectionDays    map[string]int
	DeliveryGraceDays int
	Day               time.Duration

	reg     *chain.Registry
	deriver *hd.Deriver
	cfg     market.Config
}

func (o *marketOptions) addFlags(fs *pflag.FlagSet) {
	d := market.DefaultConfig()
	fs.StringVar(&o.ChainConfig, "chain-config", "", "chain config file (JSON): the chains and tokens requests are priced in, their fee proxies, and the escrow contracts, nodes and explorers the admin routes use; built-in mainnet defaults otherwise")
	fs.StringVar(&o.Xpub, "xpub", "", "platform account xpub (m/44'/60'/0') the deposit addresses of accepted offers derive from")
	fs.BoolVar(&o.Moderation, "market-moderation", false, "hold new purchase requests until an admin publishes them")
	fs.Int64Var(&o.FeeBps, "market-fee-bps", 0, "Request Network's fee in basis points of the price, paid beside it to --market-fee-address")
	fs.Int64Var(&o.CommissionBps, "market-commission-bps", d.CommissionBps, "the platform's commission in basis points of the price, taken from escrow on release")
	fs.StringVar(&o.FeeAddress, "market-fee-address", "", "where the fee goes (0x address); required with a fee")
	fs.DurationVar(&o.PaymentTTL, "market-payment-ttl", d.PaymentTTL, "how long an accepted offer's payment awaits the buyer's money")
	fs.DurationVar(&o.RequestTTL, "market-request-ttl", d.RequestTTL, "a purchase request's life when its buyer gives no expiry")
	fs.StringToIntVar(&o.InspectionDays, "market-inspection-days", nil, fmt.Sprintf("the buyer's inspection period after delivery, in days, per category (photo=3,design=14); other categories get %d", market.DefaultInspectionDays))
	fs.IntVar(&o.DeliveryGraceDays, "market-delivery-grace-days", d.DeliveryGraceDays, "days past the accepted offer's delivery time after which a shipped request counts as delivered when nobody said so")
	fs.DurationVar(&o.Day, "market-day", d.Day, "FOR DEV AND TESTS ONLY: the deal's day (inspection periods, delivery times, reminders count in it); 1s runs a silent buyer's deal in seconds")
	_ = fs.MarkHidden("market-day")
}

// Validate reads the chain config and the xpub and checks the marketplace's settings.
func (o *marketOptions) Validate() error {
	var err error
	if o.deriver, err = hd.ParseXpub(o.Xpub); err != nil {
		return fmt.Errorf("%w: --xpub (%s): %v", config.ErrInvalid, config.Env("xpub"), err)
	}
	if o.reg, err = chain.LoadRegistry(o.ChainConfig); err != nil {
		return fmt.Errorf("%w: --chain-config (%s): %v", config.ErrInvalid, config.Env("chain-config"), err)
	}
	o.cfg = market.Config{Moderation: o.Moderation, FeeBps: o.FeeBps, CommissionBps: o.CommissionBps,
		PaymentTTL: o.PaymentTTL, RequestTTL: o.RequestTTL, InspectionDays: o.InspectionDays,
		DeliveryGraceDays: o.DeliveryGraceDays, Day: o.Day}
	if o.FeeAddress != "" {
		if !common.IsHexAddress(o.FeeAddress) {
			return fmt.Errorf("%w: --market-fee-address (%s) must be a 0x address", config.ErrInvalid, config.Env("market-fee-address"))
		}
		o.cfg.FeeAddress = common.HexToAddress(o.FeeAddress)
	}
	if err := o.cfg.Validate(); err != nil {
		return fmt.Errorf("%w: --market-* settings: %v", config.ErrInvalid, err)
	}
	return nil
}

// service is the marketplace on pool, creating payments as the API (Validate first).
func (o *marketOptions) service(pool *pgxpool.Pool) *market.Service {
	return market.New(pool, payment.New(pool, o.deriver), o.reg, o.cfg)
}
