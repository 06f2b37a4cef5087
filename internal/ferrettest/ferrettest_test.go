package ferrettest_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/amanat/amn/internal/ferrettest"
)

func TestStartServesTheWireProtocol(t *testing.T) {
	s := ferrettest.Start(t)
	c := s.Client(t)
	coll := c.Database(ferrettest.DatabaseName(t)).Collection("things")
	ctx := context.Background()
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "n", Value: 7}}); err != nil {
		t.Fatal(err)
	}
	var got struct{ N int }
	if err := coll.FindOne(ctx, bson.D{}).Decode(&got); err != nil || got.N != 7 {
		t.Fatalf("read back %+v, %v", got, err)
	}
}
