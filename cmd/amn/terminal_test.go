package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
)

// A passphrase or PIN typed at a terminal is not echoed: the screen (and its scrollback) never
// shows it. Piped input (scripts, tests) is read as before.
func TestSecretsAreTypedWithoutEcho(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	var prompts bytes.Buffer
	tm := newTerminal(tty, &prompts)
	if tm.tty == nil {
		t.Fatal("a terminal on a pty is not seen as one")
	}
	// What the terminal shows: everything the pty echoes back to its master, until the terminal
	// side is closed (then the master's read fails).
	shown := make(chan string, 1)
	go func() {
		var b bytes.Buffer
		_, _ = io.Copy(&b, ptmx)
		shown <- b.String()
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		time.Sleep(200 * time.Millisecond)
		_, _ = io.WriteString(ptmx, "correct horse battery\n")
	}()
	got, err := tm.askSecret(ctx, "passphrase: ")
	tty.Close()
	if err != nil || got != "correct horse battery" {
		t.Fatalf("read %q, %v", got, err)
	}
	if out := <-shown; strings.Contains(out, "horse") {
		t.Fatalf("the passphrase was echoed: %q", out)
	}
	if !strings.HasPrefix(prompts.String(), "passphrase: ") {
		t.Fatalf("prompt %q", prompts.String())
	}

	// Not a terminal: read as a line, as scripts expect.
	piped := newTerminal(strings.NewReader("1234\n"), io.Discard)
	if piped.tty != nil {
		t.Fatal("a reader is not a terminal")
	}
	if got, err := piped.askSecret(ctx, "PIN: "); err != nil || got != "1234" {
		t.Fatalf("piped PIN %q, %v", got, err)
	}
}
