package hwwallet

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// hardened is the BIP32 hardened-index bit.
const hardened = 1 << 31

// ErrBadPath: not a BIP32 path of the form m/44'/60'/0'/0/0.
var ErrBadPath = errors.New("hwwallet: bad BIP32 path")

// Path is a BIP32 derivation path; hardened indices have bit 31 set.
type Path []uint32

// DefaultPath is the first Ethereum account's first address, m/44'/60'/0'/0/0: what a Trezor
// shows as "Ethereum #1" and where a custodian's key lives unless enrolment says otherwise.
var DefaultPath = Path{44 | hardened, 60 | hardened, 0 | hardened, 0, 0}

// ParsePath parses "m/44'/60'/0'/0/0" (h or H also mark hardened indices).
func ParsePath(s string) (Path, error) {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) < 2 || parts[0] != "m" {
		return nil, fmt.Errorf("%w: %q must start with m/", ErrBadPath, s)
	}
	p := make(Path, 0, len(parts)-1)
	for _, part := range parts[1:] {
		var h uint32
		if n := len(part); n > 0 && (part[n-1] == '\'' || part[n-1] == 'h' || part[n-1] == 'H') {
			h, part = hardened, part[:n-1]
		}
		i, err := strconv.ParseUint(part, 10, 31)
		if err != nil {
			return nil, fmt.Errorf("%w: %q: index %q", ErrBadPath, s, part)
		}
		p = append(p, uint32(i)|h)
	}
	return p, nil
}

// String formats p as m/44'/60'/0'/0/0.
func (p Path) String() string {
	var b strings.Builder
	b.WriteString("m")
	for _, i := range p {
		fmt.Fprintf(&b, "/%d", i&^hardened)
		if i&hardened != 0 {
			b.WriteByte('\'')
		}
	}
	return b.String()
}
