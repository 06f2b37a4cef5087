package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// chatStepOf is the system message a deal's chat shows for a payment state (chat/system.go), by
// the states the demo's first deal goes through; the chat tells of no other state on its way.
var chatStepOf = map[string]string{
	"detected":  "payment.seen",
	"funded":    "payment.credited",
	"overpaid":  "payment.credited",
	"in_escrow": "payment.in_escrow",
	"released":  "payment.released",
}

// devDealChat checks amn dev's first deal's chat (issue #18, acceptance 2): the buyer's socket
// (subscribed before the payment, dropped once it was credited, resubscribed from its last seq
// once it was released) got every payment step the payment's timeline calls for, in timeline
// order, each once, with strictly increasing seqs, and the history API says exactly the same.
// out is the demo's output.
func devDealChat(t *testing.T, api, out string) {
	t.Helper()
	sum := regexp.MustCompile(`(?m)^chat\s+payment (\S+)'s chat (\S+): (\d+) steps on the buyer's socket, resubscribed from seq (\d+): (.*)$`).
		FindAllStringSubmatch(out, -1)
	if len(sum) != 1 {
		t.Fatalf("want one deal's chat printed, got %d", len(sum))
	}
	pay, chat, resumed := sum[0][1], sum[0][2], sum[0][4]
	type step struct {
		seq      int64
		step     string // event@payment timeline row
		replayed bool
	}
	var got []step
	for _, m := range regexp.MustCompile(`(\d+):(payment\.[a-z_]+@\d+)( \(replayed\))?`).FindAllStringSubmatch(sum[0][5], -1) {
		seq, _ := strconv.ParseInt(m[1], 10, 64)
		got = append(got, step{seq, m[2], m[3] != ""})
	}
	if n, _ := strconv.Atoi(sum[0][3]); n != len(got) {
		t.Errorf("the chat's summary says %d steps and lists %d: %s", n, len(got), sum[0][0])
	}
	// Each step was printed as it came, and the socket dropped and came back once, from the last
	// seq it had.
	if arrived := regexp.MustCompile(`(?m)^chat\s+seq \d+ payment\.[a-z_]+: "`).FindAllString(out, -1); len(arrived) != len(got) {
		t.Errorf("%d steps printed as they came, %d in the summary", len(arrived), len(got))
	}
	drop := regexp.MustCompile(`(?m)^chat\s+buyer's socket dropped after seq (\d+): the buyer goes offline`).FindAllStringSubmatch(out, -1)
	back := regexp.MustCompile(`(?m)^chat\s+buyer back online: resubscribing to chat-`+regexp.QuoteMeta(chat)+` from seq (\d+)`).FindAllStringSubmatch(out, -1)
	subs := regexp.MustCompile(`(?m)^chat\s+buyer subscribed to chat-`+regexp.QuoteMeta(chat)+` at seq \d+, from seq (\d+)`).FindAllStringSubmatch(out, -1)
	sockets := regexp.MustCompile(`(?m)^http\s+buyer\s+GET\s+/v1/ws → 101`).FindAllString(out, -1)
	if len(drop) != 1 || len(back) != 1 || len(subs) != 2 || len(sockets) != 2 ||
		drop[0][1] != resumed || back[0][1] != resumed || subs[0][1] != "0" || subs[1][1] != resumed {
		t.Errorf("the socket's drop and resubscription: dropped %v, back %v, subscribed %v, %d sockets, resumed from %s", drop, back, subs, len(sockets), resumed)
	}

	// What the chat must show: a step per transition of the payment's timeline into a told state,
	// in timeline order (the payment as its buyer reads it).
	token := signInToken(t, api, devAccounts[1].email, devAccounts[1].password)
	code, body := getAuth(t, api+"/v1/payments/"+pay, token)
	var p struct {
		State    string
		Timeline []struct {
			Seq int
			To  string
		}
	}
	if code != 200 || json.Unmarshal([]byte(body), &p) != nil || p.State != "released" {
		t.Fatalf("GET the payment: %d %s", code, body)
	}
	var want, events []string
	for _, r := range p.Timeline {
		if ev, told := chatStepOf[r.To]; told {
			want = append(want, fmt.Sprintf("%s@%d", ev, r.Seq))
			events = append(events, ev)
		}
	}
	if strings.Join(events, " ") != "payment.seen payment.credited payment.in_escrow payment.released" {
		t.Errorf("the payment's timeline calls for steps %v", want)
	}

	// The socket got exactly those, each once across the drop, in order; the steps before the drop
	// came on the first connection, those after it on the second (replayed only if sent while the
	// buyer was away), credited before the drop and released after it.
	r, _ := strconv.ParseInt(resumed, 10, 64)
	var steps []string
	for i, s := range got {
		steps = append(steps, s.step)
		if i > 0 && s.seq <= got[i-1].seq {
			t.Errorf("step %d's seq %d after %d", i, s.seq, got[i-1].seq)
		}
		if s.replayed && s.seq <= r {
			t.Errorf("step %s (seq %d) replayed, though the socket had it before the drop (seq %d)", s.step, s.seq, r)
		}
		if strings.HasPrefix(s.step, "payment.credited@") && s.seq > r || strings.HasPrefix(s.step, "payment.released@") && s.seq <= r {
			t.Errorf("step %s (seq %d) on the wrong side of the drop (after seq %d)", s.step, s.seq, r)
		}
	}
	if !slices.Equal(steps, want) {
		t.Errorf("the buyer's socket got steps\n %v\nthe payment's timeline calls for\n %v", steps, want)
	}

	// The history API says the same: the same steps at the same seqs.
	code, body = getAuth(t, api+"/v1/chats/"+chat+"/messages?after=0&limit=100", token)
	var page struct {
		Items []struct {
			Seq    int64
			Kind   string
			System *struct {
				Event      string
				PaymentSeq int
			}
		}
		NextAfter *int64
	}
	if code != 200 || json.Unmarshal([]byte(body), &page) != nil || page.NextAfter != nil {
		t.Fatalf("GET the chat's history: %d %s", code, body)
	}
	var history, socket []string
	for _, m := range page.Items {
		if m.Kind == "system" && m.System != nil {
			history = append(history, fmt.Sprintf("%d:%s@%d", m.Seq, m.System.Event, m.System.PaymentSeq))
		}
	}
	for _, s := range got {
		socket = append(socket, fmt.Sprintf("%d:%s", s.seq, s.step))
	}
	if !slices.Equal(history, socket) {
		t.Errorf("the chat's history has steps\n %v\nthe buyer's socket got\n %v", history, socket)
	}
}
