package hwwallet

import (
	"errors"
	"fmt"
)

// Errors. Every error a Device returns wraps one of these (test with errors.Is), or is a
// *FailureError, which also matches the sentinel for its code.
var (
	// ErrCancelled: the person pressed cancel on the device (or cancelled the PIN entry), or
	// a PIN/passphrase callback gave up.
	ErrCancelled = errors.New("hwwallet: cancelled")
	// ErrPINInvalid: the device refused the PIN.
	ErrPINInvalid = errors.New("hwwallet: wrong PIN")
	// ErrBusy: another program or call holds the device (Bridge session, a call in progress,
	// Failure_Busy).
	ErrBusy = errors.New("hwwallet: device busy")
	// ErrDeviceGone: the device stopped answering or was unplugged mid-call.
	ErrDeviceGone = errors.New("hwwallet: device disconnected or not answering")
	// ErrNoDevice: nothing to talk to (Bridge lists no device, nothing listens on UDP).
	ErrNoDevice = errors.New("hwwallet: no device found")
	// ErrMalformedFrame: the bytes from the device do not follow Codec v1 (short packet, bad
	// magic, impossible length).
	ErrMalformedFrame = errors.New("hwwallet: malformed frame from device")
	// ErrMalformedMessage: a frame arrived whole but its protobuf does not decode as the
	// message its type says (or misses a required field).
	ErrMalformedMessage = errors.New("hwwallet: malformed message from device")
	// ErrUnexpectedMessage: the device answered with a message the flow does not expect.
	ErrUnexpectedMessage = errors.New("hwwallet: unexpected message from device")
	// ErrUnsupported: the device does not know the request (e.g. a Trezor One asked for
	// streamed EIP-712, or typed data with a type this package cannot encode).
	ErrUnsupported = errors.New("hwwallet: not supported")
	// ErrPINRequired / ErrPassphraseRequired: the device asks and no callback is set.
	ErrPINRequired        = errors.New("hwwallet: device asks for its PIN and no PIN callback is set")
	ErrPassphraseRequired = errors.New("hwwallet: device asks for a passphrase and no passphrase callback is set")
	// ErrWrongSignature: the device's signature does not recover to the device's own address
	// for the digest we computed: the device signed something else.
	ErrWrongSignature = errors.New("hwwallet: device signature does not match the approval")
	// ErrDeviceFailure: any other Failure the device reports.
	ErrDeviceFailure = errors.New("hwwallet: device reported a failure")
)

// FailureError is a Failure message from the device. errors.Is matches it against the
// sentinel for its code (ActionCancelled and PinCancelled → ErrCancelled, PinInvalid →
// ErrPINInvalid, Busy → ErrBusy, UnexpectedMessage → ErrUnsupported) and always against
// ErrDeviceFailure.
type FailureError struct {
	Code    FailureType
	Message string
}

func (e *FailureError) Error() string {
	return fmt.Sprintf("hwwallet: device failure %s: %s", e.Code, e.Message)
}

// Is implements errors.Is.
func (e *FailureError) Is(target error) bool {
	switch target {
	case ErrDeviceFailure:
		return true
	case ErrCancelled:
		return e.Code == FailureActionCancelled || e.Code == FailurePinCancelled
	case ErrPINInvalid:
		return e.Code == FailurePinInvalid
	case ErrBusy:
		return e.Code == FailureBusy
	case ErrUnsupported:
		return e.Code == FailureUnexpectedMessage
	}
	return false
}

func failureError(f *Failure) *FailureError {
	e := &FailureError{}
	if f.Code != nil {
		e.Code = *f.Code
	}
	if f.Message != nil {
		e.Message = *f.Message
	}
	return e
}
