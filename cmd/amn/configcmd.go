package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/amanat/amn/config"
	"github.com/amanat/amn/db"
)

// printOptions are the settings `config print` shows: every setting any role reads.
type printOptions struct {
	commonOptions
	RedisURL string
	Chain    string
	RPCURL   string
	// RNWebhookSecret is shown only as set or not.
	RNWebhookSecret string
	// TelegramBotToken is shown only as set or not.
	TelegramBotToken string
	AuthCodeKey      string
	NotifyKey        string
	mail             mailOptions
}

// Validate accepts anything: printing is how people find out what is wrong.
func (o *printOptions) Validate() error { return nil }

// secretFlags are printed masked.
var secretFlags = map[string]bool{"database-url": true, "redis-url": true, "rpc-url": true, "rn-webhook-secret": true, "smtp-url": true}

func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Inspect configuration"}
	var o printOptions
	print := &cobra.Command{
		Use:   "print",
		Short: "Print every setting, where it came from and its value (secrets masked)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "FLAG\tVARIABLE\tSOURCE\tVALUE")
			cmd.Flags().VisitAll(func(f *pflag.Flag) {
				if f.Name == "help" {
					return
				}
				v := f.Value.String()
				switch {
				case (f.Name == "rn-webhook-secret" || f.Name == "telegram-bot-token" || f.Name == "auth-code-key" || f.Name == "notify-key") && v != "":
					v = "(set)"
				case secretFlags[f.Name]:
					v = config.MaskURL(v)
				}
				src := "default"
				if len(f.Annotations[sourceAnnotation]) > 0 {
					src = "env"
				} else if f.Changed {
					src = "flag"
				}
				fmt.Fprintf(w, "--%s\t%s\t%s\t%s\n", f.Name, config.Env(f.Name), src, v)
			})
			if err := w.Flush(); err != nil {
				return err
			}
			return printRoles(cmd)
		},
	}
	o.addFlags(print.Flags(), config.Common{Listen: "127.0.0.1:8080"})
	print.Flags().StringVar(&o.RedisURL, "redis-url", "", "Redis URL")
	print.Flags().StringVar(&o.Chain, "chain", "", "chain key")
	print.Flags().StringVar(&o.RPCURL, "rpc-url", "", "chain JSON-RPC endpoint")
	print.Flags().StringVar(&o.RNWebhookSecret, "rn-webhook-secret", "", "Request Network webhook secret")
	print.Flags().StringVar(&o.TelegramBotToken, "telegram-bot-token", "", "Telegram bot token")
	print.Flags().StringVar(&o.AuthCodeKey, "auth-code-key", "", "key email codes are stored under")
	print.Flags().StringVar(&o.NotifyKey, "notify-key", "", "key unsubscribe links are signed with")
	o.mail.addFlags(print.Flags())
	cmd.AddCommand(print)
	return cmd
}

// printRoles shows the database role each command works as (commandRoles): the login in
// --database-url must be a member of it (docs/security.md).
func printRoles(cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, "\nEach command works as a database role (SET ROLE); its login must be a member of it (docs/security.md):")
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "COMMAND\tDATABASE ROLE")
	for _, c := range databaseCommands(cmd.Root()) {
		role, err := roleOf(c)
		if err != nil {
			return err
		}
		switch {
		case c.CommandPath() == "amn dev":
			role = fmt.Sprintf("owner (migrates and resets its database); api %s, indexers %s, worker %s, signer %s",
				db.RoleAPI, db.RoleIndexer, db.RoleWorker, db.RoleSigner)
		case role == db.Owner:
			role = "owner (the login itself, no SET ROLE)"
		}
		fmt.Fprintf(w, "%s\t%s\n", c.CommandPath(), role)
	}
	return w.Flush()
}
