package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/amanat/amn/auth"
	"github.com/amanat/amn/config"
)

// newUsersCmd is `amn users`: accounts from the command line, through package auth (working as
// amn_api, like the API's admin operations). Each change is audited with actor cli:<os user>.
func newUsersCmd() *cobra.Command {
	var o dbOptions
	cmd := &cobra.Command{Use: "users", Short: "Create the first admin, list, ban and unban users, change roles"}
	cmd.PersistentFlags().StringVar(&o.DatabaseURL, "database-url", "", "PostgreSQL URL")
	cmd.AddCommand(usersCreateAdminCmd(&o), usersListCmd(&o), usersStatusCmd(&o, "ban", auth.StatusBanned),
		usersStatusCmd(&o, "unban", auth.StatusActive), usersRoleCmd(&o))
	return cmd
}

// usersService opens the database as the command's role and the auth service on it. The CLI
// issues no tokens, so its signing key is a throwaway.
func usersService(ctx context.Context, o *dbOptions, cmd *cobra.Command) (*auth.Service, func(), error) {
	pool, err := o.open(ctx, cmd)
	if err != nil {
		return nil, nil, err
	}
	keys, err := auth.GenerateKeys()
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	svc, err := auth.New(pool, auth.Config{Issuer: "amn-cli", Audience: "amn-cli", Keys: keys})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return svc, pool.Close, nil
}

// cliActor names the operator in the audit trail.
func cliActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	return "cli:unknown"
}

func usersCreateAdminCmd(o *dbOptions) *cobra.Command {
	var email, passwordFile string
	c := &cobra.Command{
		Use:   "create-admin --email EMAIL [--password-file FILE]",
		Short: "Create a verified admin account (the password is read from a file, or asked for without echo)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if email == "" {
				return badInput(fmt.Errorf("%w: --email is required", config.ErrInvalid))
			}
			pw, err := readPassword(cmd, passwordFile)
			if err != nil {
				return err
			}
			svc, done, err := usersService(cmd.Context(), o, cmd)
			if err != nil {
				return err
			}
			defer done()
			u, err := svc.CreateAdmin(cmd.Context(), cliActor(), email, pw)
			if errors.Is(err, auth.ErrWeakPassword) || errors.Is(err, auth.ErrEmailTaken) {
				return badInput(err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created admin %s (%s)\n", u.ID, *u.Email)
			return nil
		},
	}
	c.Flags().StringVar(&email, "email", "", "the admin's email")
	c.Flags().StringVar(&passwordFile, "password-file", "", "file whose first line is the password (else asked on the terminal)")
	return c
}

// readPassword reads the first line of file, or asks on the terminal without echo.
func readPassword(cmd *cobra.Command, file string) (string, error) {
	if file != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			return "", badInput(fmt.Errorf("%w: --password-file: %v", config.ErrInvalid, err))
		}
		line, _, _ := strings.Cut(string(raw), "\n")
		return strings.TrimRight(line, "\r"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", badInput(fmt.Errorf("%w: no terminal to ask for the password: give --password-file", config.ErrInvalid))
	}
	fmt.Fprint(cmd.ErrOrStderr(), "Password: ")
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(cmd.ErrOrStderr())
	return string(pw), err
}

func usersListCmd(o *dbOptions) *cobra.Command {
	var role, status, after string
	var asJSON bool
	var limit int
	c := &cobra.Command{
		Use:   "list [--role R] [--status S] [--json]",
		Short: "List users, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, done, err := usersService(cmd.Context(), o, cmd)
			if err != nil {
				return err
			}
			defer done()
			page := auth.Page{Limit: limit}
			if after != "" {
				k, err := parsePageKey(after)
				if err != nil {
					return badInput(err)
				}
				page.After = &k
			}
			users, next, err := svc.ListUsers(cmd.Context(), auth.UserFilter{Role: auth.Role(role), Status: auth.Status(status)}, page)
			if err != nil {
				return err
			}
			if asJSON {
				out := map[string]any{"items": users, "next": nil}
				if next != nil {
					out["next"] = formatPageKey(*next)
				}
				return json.NewEncoder(cmd.OutOrStdout()).Encode(out)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tEMAIL\tROLES\tSTATUS\tVERIFIED\tCREATED")
			for _, u := range users {
				email := ""
				if u.Email != nil {
					email = *u.Email
				}
				rs := make([]string, len(u.Roles))
				for i, r := range u.Roles {
					rs[i] = string(r)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%v\t%s\n", u.ID, email, strings.Join(rs, ","), u.Status, u.EmailVerified, u.CreatedAt.Format("2006-01-02 15:04"))
			}
			if next != nil {
				fmt.Fprintf(w, "(more: --after %s)\n", formatPageKey(*next))
			}
			return w.Flush()
		},
	}
	c.Flags().StringVar(&role, "role", "", "only users with this role (admin, buyer, seller)")
	c.Flags().StringVar(&status, "status", "", "only users with this status (active, banned)")
	c.Flags().StringVar(&after, "after", "", "cursor of the previous page")
	c.Flags().IntVar(&limit, "limit", 50, "users per page (at most 100)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func usersStatusCmd(o *dbOptions, verb string, status auth.Status) *cobra.Command {
	var reason string
	c := &cobra.Command{
		Use:   verb + " ID --reason TEXT",
		Short: map[string]string{"ban": "Ban a user (every session ends)", "unban": "Lift a ban"}[verb],
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return badInput(fmt.Errorf("%w: %q is not a user id", config.ErrInvalid, args[0]))
			}
			if reason == "" {
				return badInput(fmt.Errorf("%w: --reason is required", config.ErrInvalid))
			}
			svc, done, err := usersService(cmd.Context(), o, cmd)
			if err != nil {
				return err
			}
			defer done()
			u, err := svc.SetStatus(cmd.Context(), cliActor(), id, status, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s is %s\n", u.ID, u.Status)
			return nil
		},
	}
	c.Flags().StringVar(&reason, "reason", "", "why (kept in the audit trail)")
	return c
}

func usersRoleCmd(o *dbOptions) *cobra.Command {
	var add, remove []string
	c := &cobra.Command{
		Use:   "role ID [--add ROLE]... [--remove ROLE]...",
		Short: "Add or remove roles (admin, buyer, seller)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return badInput(fmt.Errorf("%w: %q is not a user id", config.ErrInvalid, args[0]))
			}
			svc, done, err := usersService(cmd.Context(), o, cmd)
			if err != nil {
				return err
			}
			defer done()
			u, err := svc.User(cmd.Context(), id)
			if err != nil {
				return err
			}
			roles := slices.DeleteFunc(slices.Clone(u.Roles), func(r auth.Role) bool { return slices.Contains(remove, string(r)) })
			for _, r := range add {
				roles = append(roles, auth.Role(r))
			}
			u, err = svc.SetRoles(cmd.Context(), cliActor(), id, roles)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s has roles %v\n", u.ID, u.Roles)
			return nil
		},
	}
	c.Flags().StringSliceVar(&add, "add", nil, "role to add")
	c.Flags().StringSliceVar(&remove, "remove", nil, "role to remove")
	return c
}

// formatPageKey writes a list position for --after: the last item's creation time and id.
func formatPageKey(k auth.PageKey) string {
	return k.CreatedAt.UTC().Format(time.RFC3339Nano) + "_" + k.ID.String()
}

func parsePageKey(s string) (auth.PageKey, error) {
	at, id, ok := strings.Cut(s, "_")
	t, err1 := time.Parse(time.RFC3339Nano, at)
	u, err2 := uuid.Parse(id)
	if !ok || err1 != nil || err2 != nil {
		return auth.PageKey{}, fmt.Errorf("%w: --after %q is not a position `amn users list` printed", config.ErrInvalid, s)
	}
	return auth.PageKey{CreatedAt: t, ID: u}, nil
}
