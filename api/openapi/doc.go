// Package openapi is the API's contract: openapi.yaml, and the Go code oapi-codegen generates from
// it (types, and the chi router for the strict server interface); Load reads the document for
// validation and for /v1/openapi.json. Nothing here is written by hand but this file and the
// document; `make generate` rewrites openapi.gen.go and the TypeScript types.
//
// It must never hold behaviour: package api implements StrictServerInterface.
package openapi

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/mail"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:generate go tool oapi-codegen -config cfg.yaml openapi.yaml

// document is the contract, as written.
//
//go:embed openapi.yaml
var document []byte

func init() {
	// `format: email` is checked (kin-openapi checks only the formats it is told of): a bare
	// address as net/mail reads it, without a display name.
	openapi3.DefineStringFormatValidator("email", openapi3.NewCallbackValidator(func(s string) error {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s {
			return errors.New("not an email address")
		}
		return nil
	}))
}

// Load parses and checks the document.
func Load() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}
