// Package hwwallet talks to custodians' Trezor hardware wallets: it owns the transports (Trezor
// Bridge over HTTP, the emulator's UDP socket, and a seam for USB HID), Codec v1 framing, the
// protobuf messages the custody flows use, and those flows: reading an address at a BIP32 path
// and signing escrow Release/Refund/Settle approvals — streamed EIP-712 typed data (Model T / Safe),
// EIP-712 hashes (Trezor One) and, as a clearly labelled blind last resort, eth_sign.
//
// It never holds a custodian's key: the keys stay on the devices and only signatures come back.
// The two exceptions are for devnets and tests and are never used for real custody:
// SoftwareSigner (keys derived from a mnemonic given to it) and the protocol-level test device in
// hwwallet/testdevice. Both derive keys through hwwallet/internal/softkey, which nothing outside
// hwwallet/... can import.
package hwwallet
