// Package kind is the few kinds every domain error is one of: Invalid, NotFound, Conflict,
// Refused, Unavailable. A package declares its sentinel errors with New, so that each is of its
// kind (errors.Is(err, kind.NotFound)) and keeps its own identity and message; the boundaries (the
// CLI's exit status, the API's error table) map kinds once instead of listing sentinels.
//
// It owns the kinds only: it must never import another package of the module, and never grow a
// kind that is one package's concern (that is a sentinel of that package, of some kind).
package kind

import "errors"

// Kind is one kind of error. It is an error itself, so that errors.Is(err, kind.NotFound) asks
// whether err is of that kind.
type Kind string

func (k Kind) Error() string { return string(k) }

// The kinds.
const (
	// Invalid: the request is malformed or breaks a rule of its own (a bad address, a negative
	// amount). Asking again unchanged fails again.
	Invalid Kind = "invalid"
	// NotFound: what the request names does not exist.
	NotFound Kind = "not found"
	// Conflict: the request is fine but the state it meets does not allow it now (an illegal
	// transition, a duplicate, something already closed).
	Conflict Kind = "conflict"
	// Refused: the request is not allowed for who asks or with what they prove (a bad signature,
	// a policy limit, a role).
	Refused Kind = "refused"
	// Unavailable: something the request needs is not reachable or not ready; asking again later
	// may work.
	Unavailable Kind = "unavailable"
)

// All lists the kinds.
var All = []Kind{Invalid, NotFound, Conflict, Refused, Unavailable}

// New returns a sentinel error with message msg that is of kind k.
func New(k Kind, msg string) error { return &sentinel{msg: msg, kind: k} }

type sentinel struct {
	msg  string
	kind Kind
}

func (e *sentinel) Error() string { return e.msg }

// Is makes the sentinel match its kind, without the kind appearing in its message.
func (e *sentinel) Is(target error) bool {
	k, ok := target.(Kind)
	return ok && k == e.kind
}

// Of returns the kind of err, or "" when it has none. An error that is Unavailable somewhere in
// its chain is Unavailable, whatever else it wraps: asking again later may work.
func Of(err error) Kind {
	if errors.Is(err, Unavailable) {
		return Unavailable
	}
	for _, k := range All {
		if errors.Is(err, k) {
			return k
		}
	}
	return ""
}

// ByClient says whether err is of a kind the asker can act on (Invalid, NotFound, Conflict,
// Refused) rather than a failure or an unavailable dependency.
func ByClient(err error) bool {
	switch Of(err) {
	case Invalid, NotFound, Conflict, Refused:
		return true
	}
	return false
}
