package main

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/amanat/amn/db"
)

// commandRoles is the database role each command that opens the database works as: every
// connection runs SET ROLE to it (db.OpenAs), so the login in --database-url must be a member.
// Each is the least role that can do the command's work; docs/security.md ("Roles and logins")
// says why, and `amn config print` shows this table. A command missing here cannot open the
// database (TestEveryDatabaseCommandHasARole).
var commandRoles = map[string]string{
	// The long-running processes.
	"amn api":     db.RoleAPI,
	"amn indexer": db.RoleIndexer,
	"amn worker":  db.RoleWorker,
	"amn signer":  db.RoleSigner,
	// Only the schema's owner may change the schema. `amn dev` migrates and resets its own
	// database as the owner, and runs each component with a pool of that component's role.
	"amn migrate up":     db.Owner,
	"amn migrate status": db.Owner,
	"amn migrate down":   db.Owner,
	"amn dev":            db.Owner,
	// The deployment check only reads, but goose's status (its migrations check) creates goose's
	// version table when it is missing, and it is run with migrate's login (docs/operations.md).
	"amn doctor": db.Owner,
	// The legacy import writes accounts, the points books (opening balances), the marketplace's
	// legacy rows, history and its own tables, through each package's Import* entry point: its
	// own role may write exactly that, and nothing of payments, intents, the signer or custody.
	"amn import mongo": db.RoleImport,
	// What the API does or will do for operators: create payments and take the buyer's proof,
	// ask for releases, refunds and top-ups, store approvals, read the books.
	"amn payments list":       db.RoleAPI,
	"amn payments show":       db.RoleAPI,
	"amn payments create":     db.RoleAPI,
	"amn payments checkout":   db.RoleAPI,
	"amn ledger check":        db.RoleAPI,
	"amn admin release":       db.RoleAPI,
	"amn admin refund":        db.RoleAPI,
	"amn admin topup":         db.RoleAPI,
	"amn admin intents":       db.RoleAPI,
	"amn admin intents show":  db.RoleAPI,
	"amn custody list":        db.RoleAPI,
	"amn custody pending":     db.RoleAPI,
	"amn custody approve":     db.RoleAPI,
	"amn signer audit verify": db.RoleAPI,
	"amn signer audit head":   db.RoleAPI,
	// Accounts, through package auth as the API's admin operations do.
	"amn users create-admin": db.RoleAPI,
	"amn users list":         db.RoleAPI,
	"amn users ban":          db.RoleAPI,
	"amn users unban":        db.RoleAPI,
	"amn users role":         db.RoleAPI,
	// The indexer's own views and repairs: checkpoints, observations, the chain against the books.
	"amn indexer status":    db.RoleIndexer,
	"amn indexer reconcile": db.RoleIndexer,
	"amn indexer requeue":   db.RoleIndexer,
	// The worker's sweep job, run by hand; the gas tank's funding, booked in the native ledger
	// beside the gas the worker books.
	"amn admin sweep":    db.RoleWorker,
	"amn admin gas fund": db.RoleWorker,
	// Enrolment: the only writer of custodians (whether one is hardware-held is its word).
	"amn custody enroll": db.RoleCustody,
}

// roleOf is the database role cmd works as.
func roleOf(cmd *cobra.Command) (string, error) {
	role, ok := commandRoles[cmd.CommandPath()]
	if !ok {
		return "", fmt.Errorf("%s has no database role (cmd/amn/dbroles.go)", cmd.CommandPath())
	}
	return role, nil
}

// databaseCommands lists, sorted, every command under root that takes --database-url.
func databaseCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		takesURL := c.Flags().Lookup("database-url") != nil || c.InheritedFlags().Lookup("database-url") != nil
		if c.Runnable() && takesURL && c.CommandPath() != "amn config print" {
			out = append(out, c)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	sort.Slice(out, func(i, j int) bool { return out[i].CommandPath() < out[j].CommandPath() })
	return out
}
