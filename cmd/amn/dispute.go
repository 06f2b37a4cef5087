package main

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/config"
	"github.com/amanat/amn/dispute"
)

// disputeVerifyOptions are `amn dispute verify`'s: the bundle file and the key it must be signed
// with (base64, as GET /v1/dispute-bundle-key serves it, or a file holding that).
type disputeVerifyOptions struct {
	File      string
	PublicKey string

	key ed25519.PublicKey
}

// Validate reads the public key, which is required: a bundle checked only against the key it
// carries proves nothing about who signed it (anyone can make one).
func (o *disputeVerifyOptions) Validate() error {
	if o.PublicKey == "" {
		return fmt.Errorf("%w: --public-key is required: the platform's key (curl -s HOST/v1/dispute-bundle-key | jq -r .publicKey); "+
			"the key inside a bundle proves nothing about who signed it", config.ErrInvalid)
	}
	v := o.PublicKey
	if b, err := os.ReadFile(v); err == nil {
		v = strings.TrimSpace(string(b))
	}
	k, err := dispute.ParsePublicKey(v)
	if err != nil {
		return fmt.Errorf("%w: --public-key: %v", config.ErrInvalid, err)
	}
	o.key = k
	return nil
}

func newDisputeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "dispute", Short: "Work with dispute cases' exported bundles"}
	var o disputeVerifyOptions
	verify := &cobra.Command{
		Use:   "verify FILE",
		Short: "Check a dispute bundle's hash chain and signature; exit 1 naming the first bad entry",
		Long: `verify reads a bundle exported from GET /v1/disputes/{id}/bundle and checks every timeline
entry's hash and its link to the entry before, then the platform's Ed25519 signature over the
case's summary (which names the timeline's last hash and length), with --public-key (required:
base64, from GET /v1/dispute-bundle-key, or a file holding it). A bundle must be signed with that
key: the key it carries itself proves nothing about who signed it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.File = args[0]
			if err := o.Validate(); err != nil {
				return badInput(err)
			}
			data, err := os.ReadFile(o.File)
			if err != nil {
				return badInput(err)
			}
			v, err := dispute.VerifyBundle(data, o.key)
			if err != nil {
				return fmt.Errorf("bundle %s does not verify: %w", o.File, err)
			}
			c := v.Case
			fmt.Fprintf(cmd.OutOrStdout(), "bundle verified: case %s (%s, %s), %d entries, head %s\n", c.ID, c.Status, c.Reason, c.Entries, c.Head)
			return nil
		},
	}
	verify.Flags().StringVar(&o.PublicKey, "public-key", "", "the platform's Ed25519 public key (base64), or a file holding it (required)")
	cmd.AddCommand(verify)
	return cmd
}
