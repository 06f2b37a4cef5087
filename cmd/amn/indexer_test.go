package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/amanat/amn/db"
	"github.com/amanat/amn/db/dbtest"
)

func TestIndexerStatusShowsEachChain(t *testing.T) {
	ctx := context.Background()
	url := dbtest.URL(t)
	pool, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `INSERT INTO indexer_checkpoints (chain_id, processed, processed_hash, halted, halt_reason, status) VALUES
		(56, 990, '0x01', false, '', '{"chain":"bsc","head":1000,"finalized":998,"safe":985,"watched_payments":7,
		  "endpoints":[{"endpoint":"0:https://bsc.example","health":0.9,"up":true,"head":1000,"getlogs_limit":5000}]}'),
		(137, 500, '0x02', true, 'reorg of depth 200 removes 1 credited observation(s)', '{"chain":"polygon","head":800}')
		ON CONFLICT (chain_id) DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	env := []string{"AMN_DATABASE_URL=" + url}
	code, out, errs := run(t, env, "indexer", "status", "--json")
	if code != 0 {
		t.Fatalf("status --json: exit %d: %s", code, errs)
	}
	var st []struct {
		Chain     string `json:"chain"`
		Processed uint64 `json:"processed"`
		Lag       int64  `json:"lag"`
		Watched   int    `json:"watched_payments"`
		Halted    bool   `json:"halted"`
		Endpoints []struct {
			Label string `json:"endpoint"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(st) != 2 || st[0].Chain != "bsc" || st[0].Lag != 10 || st[0].Watched != 7 || len(st[0].Endpoints) != 1 ||
		st[1].Lag != 300 || !st[1].Halted {
		t.Fatalf("status = %+v", st)
	}
	code, out, errs = run(t, env, "indexer", "status")
	if code != 0 || !strings.Contains(out, "HALTED: reorg of depth 200") || !strings.Contains(out, "0:https://bsc.example") {
		t.Fatalf("status table: exit %d\n%s\n%s", code, out, errs)
	}
}
