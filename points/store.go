package points

// The package's SQL: its own tables only (points_*). Balances are read through package ledger.
const (
	codeOfUserSQL = `SELECT code FROM points_codes WHERE user_id = $1`
	// A user's code is made once; a second call (or a racing one) keeps the first.
	insertCodeSQL = `INSERT INTO points_codes (user_id, code, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING`
	userOfCodeSQL = `SELECT user_id FROM points_codes WHERE code = $1`

	// Sign-ups with one referrer's code queue here, so that its daily limit holds under races (an
	// advisory lock: amn_api may not lock points_codes rows FOR UPDATE, which needs UPDATE).
	lockReferrerSQL    = `SELECT pg_advisory_xact_lock(hashtextextended('points/referrer/' || $1::text, 0))`
	referralsSinceSQL  = `SELECT count(*) FROM points_referrals WHERE referrer_id = $1 AND created_at >= $2`
	insertReferralSQL  = `INSERT INTO points_referrals (referred_id, referrer_id, status, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (referred_id) DO NOTHING`
	pendingReferralSQL = `SELECT referrer_id FROM points_referrals WHERE referred_id = $1 AND status = 'pending' FOR UPDATE`
	rewardReferralSQL  = `UPDATE points_referrals SET status = 'rewarded', rewarded_at = $2, reward_transfer = $3
		WHERE referred_id = $1 AND status = 'pending'`
	pendingRewardsSQL = `SELECT count(*) FROM points_referrals WHERE referrer_id = $1 AND status = 'pending'`
	// A referrer's referred users, newest first, after the cursor (created_at, referred_id).
	referralsOfSQL = `SELECT referred_id, status, created_at, rewarded_at FROM points_referrals
		WHERE referrer_id = $1 AND ($2::timestamptz IS NULL OR (created_at, referred_id) < ($2, $3::uuid))
		ORDER BY created_at DESC, referred_id DESC LIMIT $4`

	insertMemoSQL = `INSERT INTO points_memos (transfer_id, user_id, kind, request_id, reason, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (transfer_id) DO NOTHING`
	memosSQL = `SELECT transfer_id, user_id, kind, request_id, reason FROM points_memos WHERE transfer_id = ANY($1::uuid[])`

	// Whatever takes points out of a user's account holds this lock (lockPoints).
	lockPointsSQL = `SELECT pg_advisory_xact_lock(hashtextextended('points/account/' || $1::uuid::text, 0))`
	// The points of a user's spends not yet booked (nor refused): held, not available. Summed as
	// numeric and capped at 2⁶² (rows from before migration 00059 may be forged beyond MaxSpend):
	// a sum of forged rows never overflows, it only holds everything.
	heldSQL = `SELECT least(coalesce(sum(amount), 0), 4611686018427387904)::bigint FROM points_spends
		WHERE user_id = $1 AND booked_at IS NULL AND refused IS NULL`

	spendColumns    = `id, user_id, key, amount, purpose, created_at, booked_at, refused`
	spendSQL        = `SELECT ` + spendColumns + ` FROM points_spends WHERE id = $1`
	insertSpendSQL  = `INSERT INTO points_spends (id, user_id, key, amount, purpose, created_at) VALUES ($1, $2, $3, $4, $5, $6)`
	dueSpendsSQL    = `SELECT id FROM points_spends WHERE booked_at IS NULL AND refused IS NULL ORDER BY created_at, id LIMIT $1`
	spendUserSQL    = `SELECT user_id FROM points_spends WHERE id = $1`
	lockDueSpendSQL = `SELECT ` + spendColumns + ` FROM points_spends
		WHERE id = $1 AND booked_at IS NULL AND refused IS NULL FOR UPDATE`
	bookSpendSQL   = `UPDATE points_spends SET booked_at = $2 WHERE id = $1`
	refuseSpendSQL = `UPDATE points_spends SET refused = $2 WHERE id = $1`

	// Expiry. The users with a grant that came due (created at or before the cutoff) since the
	// last complete run (the row of uuid.Nil) that their own row has not covered yet.
	expiryCursorSQL = `SELECT through FROM points_expiry WHERE user_id = '00000000-0000-0000-0000-000000000000'`
	dueGranteesSQL  = `SELECT m.user_id, max(m.created_at) FROM points_memos m LEFT JOIN points_expiry x ON x.user_id = m.user_id
		WHERE m.kind IN ('deal', 'referral', 'admin_grant') AND m.created_at <= $1 AND ($2::timestamptz IS NULL OR m.created_at > $2)
		  AND (x.through IS NULL OR m.created_at > x.through)
		  AND m.user_id > $4
		GROUP BY m.user_id ORDER BY m.user_id LIMIT $3`
	saveExpirySQL = `INSERT INTO points_expiry (user_id, through, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET through = greatest(points_expiry.through, excluded.through), updated_at = excluded.updated_at`
	// A user's grants and expiries, oldest first.
	userGrantsSQL = `SELECT transfer_id, kind, created_at FROM points_memos
		WHERE user_id = $1 AND kind IN ('deal', 'referral', 'admin_grant', 'expiry') ORDER BY created_at, transfer_id`

	// A referral whose reward was taken back.
	reverseReferralSQL = `UPDATE points_referrals SET status = 'reversed' WHERE referred_id = $1 AND status = 'rewarded'`

	cursorSQL     = `SELECT tx, request_id, seq FROM points_cursor WHERE name = $1`
	saveCursorSQL = `INSERT INTO points_cursor (name, tx, request_id, seq, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (name) DO UPDATE SET tx = excluded.tx, request_id = excluded.request_id, seq = excluded.seq, updated_at = excluded.updated_at`

	adjustmentColumns = `id, kind, user_id, amount, target, reason, admin_id, created_at, booked_at, refused`
	// An adjustment is recorded once: the same grant id again, or a second reversal of one
	// transfer (unique target), inserts nothing.
	insertAdjustmentSQL = `INSERT INTO points_adjustments (id, kind, user_id, amount, target, reason, admin_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`
	adjustmentSQL     = `SELECT ` + adjustmentColumns + ` FROM points_adjustments WHERE id = $1`
	dueAdjustmentsSQL = `SELECT id FROM points_adjustments WHERE booked_at IS NULL AND refused IS NULL ORDER BY created_at, id LIMIT $1`
	lockDueSQL        = `SELECT ` + adjustmentColumns + ` FROM points_adjustments
		WHERE id = $1 AND booked_at IS NULL AND refused IS NULL FOR UPDATE`
	bookAdjustmentSQL   = `UPDATE points_adjustments SET booked_at = $2 WHERE id = $1`
	refuseAdjustmentSQL = `UPDATE points_adjustments SET refused = $2 WHERE id = $1`
)
