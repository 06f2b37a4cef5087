package kind

import (
	"errors"
	"fmt"
	"testing"
)

func TestSentinelsAreOfTheirKind(t *testing.T) {
	errGone := New(NotFound, "payment not found")
	errOther := New(NotFound, "intent not found")
	wrapped := fmt.Errorf("get %s: %w", "p1", errGone)
	if !errors.Is(wrapped, errGone) || !errors.Is(wrapped, NotFound) || errors.Is(wrapped, errOther) {
		t.Fatal("a wrapped sentinel is itself and its kind, and not another sentinel of the kind")
	}
	if Of(wrapped) != NotFound || errors.Is(wrapped, Conflict) {
		t.Fatalf("kind of %v: %v", wrapped, Of(wrapped))
	}
	if wrapped.Error() != "get p1: payment not found" {
		t.Fatalf("message %q: the kind must not change it", wrapped.Error())
	}
	if Of(errors.New("plain")) != "" || ByClient(errors.New("plain")) || ByClient(New(Unavailable, "node down")) {
		t.Fatal("a plain error or an unavailable one is no client's doing")
	}
	for _, k := range []Kind{Invalid, NotFound, Conflict, Refused} {
		if !ByClient(New(k, "x")) {
			t.Errorf("%v: the asker can act on it", k)
		}
	}
}

// An error that wraps an unavailable dependency is Unavailable, even if it wraps a client kind.
func TestUnavailableWins(t *testing.T) {
	err := fmt.Errorf("%w: %w", New(Invalid, "bad"), New(Unavailable, "node down"))
	if Of(err) != Unavailable || ByClient(err) {
		t.Fatalf("kind of %v: %v", err, Of(err))
	}
}
