package main

import "testing"

// TestAPIURLRefusesPlainHTTPOffLoopback: the password and the tokens never travel in clear to
// another machine; plain http is for this machine only (amn dev, tests).
func TestAPIURLRefusesPlainHTTPOffLoopback(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.example.com":      true,
		"https://10.0.0.5:8443":        true,
		"http://127.0.0.1:8080":        true,
		"http://127.1.2.3":             true,
		"http://localhost:8080":        true,
		"http://LOCALHOST":             true,
		"http://[::1]:8080":            true,
		"http://[::ffff:127.0.0.1]:80": true,
		"http://api.example.com":       false,
		"http://10.0.0.5:8080":         false,
		"http://0.0.0.0:8080":          false,
		"http://localhost.evil.com":    false,
		"http://127.0.0.1.nip.io":      false,
		"http://[2001:db8::1]":         false,
		"ftp://localhost":              false,
		"https://user:pw@api.example":  false,
		"":                             false,
	} {
		if err := validateAPIURL(raw); (err == nil) != ok {
			t.Errorf("validateAPIURL(%q) = %v; want ok %v", raw, err, ok)
		}
	}
}
