package api

import (
	"context"
	"encoding/json"

	"github.com/amanat/amn/api/openapi"
)

// GetJWKS answers the public keys that verify access tokens.
func (s *v1) GetJWKS(context.Context, openapi.GetJWKSRequestObject) (openapi.GetJWKSResponseObject, error) {
	raw, err := json.Marshal(s.auth.JWKS())
	if err != nil {
		return nil, err
	}
	var out openapi.JWKS
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return openapi.GetJWKS200JSONResponse(out), nil
}
