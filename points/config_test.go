package points_test

import (
	"testing"

	"github.com/amanat/amn/points"
)

func TestLevels(t *testing.T) {
	l := points.DefaultConfig().Levels
	for _, x := range []struct {
		total      int64
		cur, next  string
		nextAtLeft int64
	}{{0, "bronze", "silver", 500}, {499, "bronze", "silver", 1}, {500, "silver", "gold", 1500}, {10_000, "platinum", "", 0}, {-5, "bronze", "silver", 505}} {
		cur, next := l.At(x.total)
		if cur.Name != x.cur || (next == nil) != (x.next == "") || (next != nil && (next.Name != x.next || next.Threshold-x.total != x.nextAtLeft)) {
			t.Errorf("At(%d) = %v, %v; want %s then %s", x.total, cur, next, x.cur, x.next)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	if err := points.DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(*points.Config){
		"bands out of order": func(c *points.Config) { c.Bands[1].MinTokens = 0 },
		"negative points":    func(c *points.Config) { c.Bands[0].Buyer = -1 },
		"negative reward":    func(c *points.Config) { c.ReferralReward = -1 },
		"no levels":          func(c *points.Config) { c.Levels.Levels = nil },
		"first level not 0":  func(c *points.Config) { c.Levels.Levels[0].Threshold = 5 },
		"levels not rising":  func(c *points.Config) { c.Levels.Levels[2].Threshold = 500 },
		"nameless level":     func(c *points.Config) { c.Levels.Levels[1].Name = "" },
	} {
		c := points.DefaultConfig()
		f(&c)
		if c.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
