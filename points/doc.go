// Package points owns loyalty points and referrals. Balances are accounts of the ledger
// "amn:POINTS" (chart.PointsLedger) kept by package ledger: each user's points to use
// (chart.PointsUser), each user's points spent (chart.PointsUsed) and the issuance account they
// come from (chart.PointsIssuance). Every grant and reversal is a ledger transfer with an id
// derived from what it stands for (ids.go), so a replayed job or a raced request books nothing
// twice and `amn ledger check` covers points as it covers money. Its tables (migration 00038,
// points_*) hold what the books cannot: referral codes and who referred whom, admins' adjustments
// awaiting the worker, what each transfer was for, and the cursor over the market's settled deals.
//
// Deals come from package market (market.Service.Settled, adapted by package jobs): a deal's
// points are granted once its release is final on chain and reversed if it is refunded. A
// referrer's reward stays pending until the referred user's first deal completes.
//
// It must never read another package's tables (it is handed the market's settled deals), never
// change a balance but by a ledger transfer, and never book a transfer outside the points
// ledger. The API's role (amn_api) never writes the books: admins' grants and reversals are
// recorded by the API and booked by the worker (amn_worker).
package points
