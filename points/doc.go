// Package points owns loyalty points and referrals. Balances are accounts of the ledger
// "amn:POINTS" (chart.PointsLedger) kept by package ledger: each user's points to use
// (chart.PointsUser), spent (chart.PointsUsed) and expired unspent (chart.PointsExpired), and
// the issuance account they come from (chart.PointsIssuance). Every grant, reversal, spend and
// expiry is a ledger transfer with an id derived from what it stands for (ids.go), so a replayed
// job or a raced request books nothing twice and `amn ledger check` covers points as it covers
// money. Its tables (migrations 00038, 00047, points_*) hold what the books cannot: referral codes
// and who referred whom, admins' adjustments and users' spends awaiting the worker, what each
// transfer was for, the cursor over the market's settled deals, and how far expiry has looked.
//
// Whatever takes points out of a user's account (a spend recorded or booked, a reversal, an
// expiry) holds that account's advisory lock (lockPoints): a spend the API records holds its
// points until the worker books it, so racing spends never promise more than there is. Spends use
// the oldest grants' points first (FIFO); a reversal takes back only what is left of its grant.
//
// Deals come from package market (market.Service.Settled, adapted by package jobs): a deal's
// points are granted once its release is final on chain and reversed if it is refunded. A
// referrer's reward stays pending until the referred user's first deal completes, and is taken
// back if that deal is refunded later.
//
// It must never read another package's tables (it is handed the market's settled deals), never
// change a balance but by a ledger transfer, and never book a transfer outside the points
// ledger. The API's role (amn_api) never writes the books: admins' grants and reversals and users'
// spends are recorded by the API and booked by the worker (amn_worker).
package points
