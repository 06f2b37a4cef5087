package hwwallet

import "fmt"

// The messages of Trezor's wire protocol that the custody flows use, written for this project
// from Trezor's published definitions (trezor-firmware common/protob/messages-*.proto; checked
// field by field against npm @trezor/protobuf's messages.json by TestWireNumbers). Only the
// fields we read or write are declared: unknown fields a device sends are skipped.

// MessageType is the 2-byte type number that precedes every message on the wire.
type MessageType uint16

// Message type numbers (MessageType enum of messages.proto).
const (
	TypeInitialize                     MessageType = 0
	TypeFailure                        MessageType = 3
	TypeFeatures                       MessageType = 17
	TypePinMatrixRequest               MessageType = 18
	TypePinMatrixAck                   MessageType = 19
	TypeCancel                         MessageType = 20
	TypeButtonRequest                  MessageType = 26
	TypeButtonAck                      MessageType = 27
	TypePassphraseRequest              MessageType = 41
	TypePassphraseAck                  MessageType = 42
	TypeGetFeatures                    MessageType = 55
	TypeEthereumGetAddress             MessageType = 56
	TypeEthereumAddress                MessageType = 57
	TypeEthereumSignMessage            MessageType = 64
	TypeEthereumMessageSignature       MessageType = 66
	TypeEthereumSignTypedData          MessageType = 464
	TypeEthereumTypedDataStructRequest MessageType = 465
	TypeEthereumTypedDataStructAck     MessageType = 466
	TypeEthereumTypedDataValueRequest  MessageType = 467
	TypeEthereumTypedDataValueAck      MessageType = 468
	TypeEthereumTypedDataSignature     MessageType = 469
	TypeEthereumSignTypedHash          MessageType = 470
)

// Message is one of the message structs below.
type Message interface {
	MessageType() MessageType
}

// NewMessage returns an empty message of type t, or false for a type this package does not know.
func NewMessage(t MessageType) (Message, bool) {
	f, ok := messageRegistry[t]
	if !ok {
		return nil, false
	}
	return f(), true
}

var messageRegistry = map[MessageType]func() Message{
	TypeInitialize:                     func() Message { return new(Initialize) },
	TypeFailure:                        func() Message { return new(Failure) },
	TypeFeatures:                       func() Message { return new(Features) },
	TypePinMatrixRequest:               func() Message { return new(PinMatrixRequest) },
	TypePinMatrixAck:                   func() Message { return new(PinMatrixAck) },
	TypeCancel:                         func() Message { return new(Cancel) },
	TypeButtonRequest:                  func() Message { return new(ButtonRequest) },
	TypeButtonAck:                      func() Message { return new(ButtonAck) },
	TypePassphraseRequest:              func() Message { return new(PassphraseRequest) },
	TypePassphraseAck:                  func() Message { return new(PassphraseAck) },
	TypeGetFeatures:                    func() Message { return new(GetFeatures) },
	TypeEthereumGetAddress:             func() Message { return new(EthereumGetAddress) },
	TypeEthereumAddress:                func() Message { return new(EthereumAddress) },
	TypeEthereumSignMessage:            func() Message { return new(EthereumSignMessage) },
	TypeEthereumMessageSignature:       func() Message { return new(EthereumMessageSignature) },
	TypeEthereumSignTypedData:          func() Message { return new(EthereumSignTypedData) },
	TypeEthereumTypedDataStructRequest: func() Message { return new(EthereumTypedDataStructRequest) },
	TypeEthereumTypedDataStructAck:     func() Message { return new(EthereumTypedDataStructAck) },
	TypeEthereumTypedDataValueRequest:  func() Message { return new(EthereumTypedDataValueRequest) },
	TypeEthereumTypedDataValueAck:      func() Message { return new(EthereumTypedDataValueAck) },
	TypeEthereumTypedDataSignature:     func() Message { return new(EthereumTypedDataSignature) },
	TypeEthereumSignTypedHash:          func() Message { return new(EthereumSignTypedHash) },
}

// Session and device information.

// Initialize starts (or, with SessionID, resumes) a session; the device answers Features.
type Initialize struct {
	SessionID []byte `pb:"1,session_id,optional,bytes"`
}

// GetFeatures asks for Features without touching the session.
type GetFeatures struct{}

// Features describes the device. Model is "1" for a Trezor One, "T" for a Model T, "Safe 3"
// and so on for newer ones.
type Features struct {
	Vendor               *string `pb:"1,vendor,optional,string"`
	MajorVersion         uint32  `pb:"2,major_version,required,uint32"`
	MinorVersion         uint32  `pb:"3,minor_version,required,uint32"`
	PatchVersion         uint32  `pb:"4,patch_version,required,uint32"`
	DeviceID             *string `pb:"6,device_id,optional,string"`
	PinProtection        *bool   `pb:"7,pin_protection,optional,bool"`
	PassphraseProtection *bool   `pb:"8,passphrase_protection,optional,bool"`
	Label                *string `pb:"10,label,optional,string"`
	Initialized          *bool   `pb:"12,initialized,optional,bool"`
	Unlocked             *bool   `pb:"16,unlocked,optional,bool"`
	Model                *string `pb:"21,model,optional,string"`
	SessionID            []byte  `pb:"35,session_id,optional,bytes"`
	Busy                 *bool   `pb:"41,busy,optional,bool"`
	InternalModel        *string `pb:"44,internal_model,optional,string"`
}

// Ethereum addresses.

// EthereumGetAddress asks for the address at AddressN (a BIP32 path, hardened indices have bit
// 31 set); ShowDisplay shows it on the screen for the user to compare.
type EthereumGetAddress struct {
	AddressN    []uint32 `pb:"1,address_n,repeated,uint32"`
	ShowDisplay *bool    `pb:"2,show_display,optional,bool"`
}

// EthereumAddress is the answer to EthereumGetAddress: a 0x-prefixed, EIP-55 checksummed
// string (old firmware sent 20 raw bytes in field 1 instead).
type EthereumAddress struct {
	OldAddress []byte  `pb:"1,_old_address,optional,bytes"`
	Address    *string `pb:"2,address,optional,string"`
}

// EIP-712, streamed (Model T, Safe): the device asks for every struct definition and every
// value, hashes them itself, and shows them.

// EthereumSignTypedData starts the stream. MetamaskV4Compat only changes how arrays of structs
// are hashed; our messages have none, and we always send true (eth_signTypedData_v4).
type EthereumSignTypedData struct {
	AddressN         []uint32 `pb:"1,address_n,repeated,uint32"`
	PrimaryType      string   `pb:"2,primary_type,required,string"`
	MetamaskV4Compat *bool    `pb:"3,metamask_v4_compat,optional,bool"`
}

// EthereumTypedDataStructRequest asks for the members of the struct type Name.
type EthereumTypedDataStructRequest struct {
	Name string `pb:"1,name,required,string"`
}

// EthereumTypedDataStructAck answers with the members, in declaration order.
type EthereumTypedDataStructAck struct {
	Members []EthereumStructMember `pb:"1,members,repeated,EthereumStructMember"`
}

// EthereumStructMember is one member of a struct type.
type EthereumStructMember struct {
	Type EthereumFieldType `pb:"1,type,required,EthereumFieldType"`
	Name string            `pb:"2,name,required,string"`
}

// EthereumFieldType is a member's type. Size is the byte size of uintN/intN/bytesN, the
// member count of a struct, or the fixed length of an array (absent for bytes, string, bool,
// address and dynamic arrays). EntryType is set for arrays only, StructName for structs only.
type EthereumFieldType struct {
	DataType   EthereumDataType   `pb:"1,data_type,required,EthereumDataType"`
	Size       *uint32            `pb:"2,size,optional,uint32"`
	EntryType  *EthereumFieldType `pb:"3,entry_type,optional,EthereumFieldType"`
	StructName *string            `pb:"4,struct_name,optional,string"`
}

// EthereumDataType is the kind of a member's type.
type EthereumDataType int32

// EthereumDataType values.
const (
	DataTypeUint    EthereumDataType = 1
	DataTypeInt     EthereumDataType = 2
	DataTypeBytes   EthereumDataType = 3
	DataTypeString  EthereumDataType = 4
	DataTypeBool    EthereumDataType = 5
	DataTypeAddress EthereumDataType = 6
	DataTypeArray   EthereumDataType = 7
	DataTypeStruct  EthereumDataType = 8
)

// EthereumTypedDataValueRequest asks for one value by its member path: the first index is 0
// for the domain and 1 for the message, each next one a member index (or an array index).
type EthereumTypedDataValueRequest struct {
	MemberPath []uint32 `pb:"1,member_path,repeated,uint32"`
}

// EthereumTypedDataValueAck is the value: big-endian integers of exactly the type's size,
// 20 address bytes, one bool byte, raw bytes, UTF-8 strings, or an array's length as a
// 2-byte big-endian integer.
type EthereumTypedDataValueAck struct {
	Value []byte `pb:"1,value,required,bytes"`
}

// EthereumTypedDataSignature ends both EIP-712 flows: r ‖ s ‖ v (v = 27/28) and the signer.
type EthereumTypedDataSignature struct {
	Signature []byte `pb:"1,signature,required,bytes"`
	Address   string `pb:"2,address,required,string"`
}

// EthereumSignTypedHash (Trezor One) signs keccak256(0x1901 ‖ DomainSeparatorHash ‖
// MessageHash); the device shows only the two hashes.
type EthereumSignTypedHash struct {
	AddressN            []uint32 `pb:"1,address_n,repeated,uint32"`
	DomainSeparatorHash []byte   `pb:"2,domain_separator_hash,required,bytes"`
	MessageHash         []byte   `pb:"3,message_hash,optional,bytes"`
}

// eth_sign (personal_sign): blind for our purpose, the device shows 32 opaque bytes.

// EthereumSignMessage signs keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ Message).
type EthereumSignMessage struct {
	AddressN []uint32 `pb:"1,address_n,repeated,uint32"`
	Message  []byte   `pb:"2,message,required,bytes"`
}

// EthereumMessageSignature is r ‖ s ‖ v (v = 27/28) and the signer.
type EthereumMessageSignature struct {
	Signature []byte `pb:"2,signature,required,bytes"`
	Address   string `pb:"3,address,required,string"`
}

// Interaction with the person holding the device.

// ButtonRequest says the device waits for a button press; the host answers ButtonAck.
type ButtonRequest struct {
	Code  *ButtonRequestType `pb:"1,code,optional,ButtonRequestType"`
	Pages *uint32            `pb:"2,pages,optional,uint32"`
	Name  *string            `pb:"4,name,optional,string"`
}

// ButtonRequestType says what the device is asking to confirm.
type ButtonRequestType int32

// ButtonRequestType values the test device sends (a real device may send any).
const (
	ButtonOther       ButtonRequestType = 1
	ButtonProtectCall ButtonRequestType = 7
	ButtonSignTx      ButtonRequestType = 8
	ButtonAddress     ButtonRequestType = 10
	ButtonPinEntry    ButtonRequestType = 20
)

// ButtonAck lets the device go on and wait for the press.
type ButtonAck struct{}

// PinMatrixRequest asks for the PIN. The device shows a scrambled 3×3 digit matrix; the host
// answers with positions 1–9, numbered like a PC numeric keypad (7 8 9 on top, 1 2 3 at the
// bottom) — never the digits, which it cannot see.
type PinMatrixRequest struct {
	Type *PinMatrixRequestType `pb:"1,type,optional,PinMatrixRequestType"`
}

// PinMatrixRequestType says which PIN is asked for.
type PinMatrixRequestType int32

// PinMatrixRequestType values.
const (
	PinMatrixCurrent   PinMatrixRequestType = 1
	PinMatrixNewFirst  PinMatrixRequestType = 2
	PinMatrixNewSecond PinMatrixRequestType = 3
)

// PinMatrixAck carries the PIN as matrix positions.
type PinMatrixAck struct {
	Pin string `pb:"1,pin,required,string"`
}

// PassphraseRequest asks the host for the passphrase (each passphrase is a separate wallet).
type PassphraseRequest struct {
	OnDevice *bool `pb:"1,_on_device,optional,bool"`
}

// PassphraseAck answers with the passphrase (present even when empty), or OnDevice to enter
// it on the device instead.
type PassphraseAck struct {
	Passphrase *string `pb:"1,passphrase,optional,string"`
	OnDevice   *bool   `pb:"3,on_device,optional,bool"`
}

// Cancel aborts the current operation; the device answers Failure ActionCancelled.
type Cancel struct{}

// Failure ends an operation that did not succeed.
type Failure struct {
	Code    *FailureType `pb:"1,code,optional,FailureType"`
	Message *string      `pb:"2,message,optional,string"`
}

// FailureType is the reason in a Failure.
type FailureType int32

// FailureType values.
const (
	FailureUnexpectedMessage FailureType = 1
	FailureButtonExpected    FailureType = 2
	FailureDataError         FailureType = 3
	FailureActionCancelled   FailureType = 4
	FailurePinExpected       FailureType = 5
	FailurePinCancelled      FailureType = 6
	FailurePinInvalid        FailureType = 7
	FailureInvalidSignature  FailureType = 8
	FailureProcessError      FailureType = 9
	FailureNotInitialized    FailureType = 11
	FailureInvalidSession    FailureType = 14
	FailureBusy              FailureType = 15
	FailureFirmwareError     FailureType = 99
)

func (t FailureType) String() string {
	switch t {
	case FailureUnexpectedMessage:
		return "UnexpectedMessage"
	case FailureButtonExpected:
		return "ButtonExpected"
	case FailureDataError:
		return "DataError"
	case FailureActionCancelled:
		return "ActionCancelled"
	case FailurePinExpected:
		return "PinExpected"
	case FailurePinCancelled:
		return "PinCancelled"
	case FailurePinInvalid:
		return "PinInvalid"
	case FailureInvalidSignature:
		return "InvalidSignature"
	case FailureProcessError:
		return "ProcessError"
	case FailureNotInitialized:
		return "NotInitialized"
	case FailureInvalidSession:
		return "InvalidSession"
	case FailureBusy:
		return "Busy"
	case FailureFirmwareError:
		return "FirmwareError"
	}
	return fmt.Sprintf("FailureType(%d)", int32(t))
}

// MessageType implementations.

func (*Initialize) MessageType() MessageType         { return TypeInitialize }
func (*GetFeatures) MessageType() MessageType        { return TypeGetFeatures }
func (*Features) MessageType() MessageType           { return TypeFeatures }
func (*EthereumGetAddress) MessageType() MessageType { return TypeEthereumGetAddress }
func (*EthereumAddress) MessageType() MessageType    { return TypeEthereumAddress }
func (*EthereumSignTypedData) MessageType() MessageType {
	return TypeEthereumSignTypedData
}
func (*EthereumTypedDataStructRequest) MessageType() MessageType {
	return TypeEthereumTypedDataStructRequest
}
func (*EthereumTypedDataStructAck) MessageType() MessageType {
	return TypeEthereumTypedDataStructAck
}
func (*EthereumTypedDataValueRequest) MessageType() MessageType {
	return TypeEthereumTypedDataValueRequest
}
func (*EthereumTypedDataValueAck) MessageType() MessageType {
	return TypeEthereumTypedDataValueAck
}
func (*EthereumTypedDataSignature) MessageType() MessageType {
	return TypeEthereumTypedDataSignature
}
func (*EthereumSignTypedHash) MessageType() MessageType    { return TypeEthereumSignTypedHash }
func (*EthereumSignMessage) MessageType() MessageType      { return TypeEthereumSignMessage }
func (*EthereumMessageSignature) MessageType() MessageType { return TypeEthereumMessageSignature }
func (*ButtonRequest) MessageType() MessageType            { return TypeButtonRequest }
func (*ButtonAck) MessageType() MessageType                { return TypeButtonAck }
func (*PinMatrixRequest) MessageType() MessageType         { return TypePinMatrixRequest }
func (*PinMatrixAck) MessageType() MessageType             { return TypePinMatrixAck }
func (*PassphraseRequest) MessageType() MessageType        { return TypePassphraseRequest }
func (*PassphraseAck) MessageType() MessageType            { return TypePassphraseAck }
func (*Cancel) MessageType() MessageType                   { return TypeCancel }
func (*Failure) MessageType() MessageType                  { return TypeFailure }
