package main

import (
	"strings"
	"testing"
)

// The notifications' settings: a short key and a plain-http unsubscribe link off loopback (RFC
// 8058 wants https) are refused; loopback http (dev, tests) and an empty key are accepted.
func TestNotifyOptionsValidate(t *testing.T) {
	key := strings.Repeat("k", 32)
	for _, c := range []struct {
		o    notifyOptions
		want string
	}{
		{notifyOptions{Key: "short"}, "--notify-key"},
		{notifyOptions{Key: key, APIURL: "http://api.example.com"}, "needs https"},
		{notifyOptions{Key: key, APIURL: "ftp://api.example.com"}, "not an http(s) URL"},
		{notifyOptions{Key: key, APIURL: "https://api.example.com", AppURL: "app.example.com"}, "not an http(s) URL"},
		{notifyOptions{Key: key, APIURL: "https://api.example.com", AppURL: "https://app.example.com"}, ""},
		{notifyOptions{Key: key, APIURL: "http://127.0.0.1:8080", AppURL: "http://localhost:3000"}, ""},
		{notifyOptions{APIURL: "http://localhost:8080"}, ""},
	} {
		err := c.o.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), key) {
			t.Errorf("the error quotes the key: %v", err)
		}
	}
}
