package dispute

// The statements on the package's tables: dispute_cases, dispute_entries, dispute_proposals
// (migration 00051).
const (
	// caseColumns are what scanCase reads.
	caseColumns = `id, request_id, payment_id, offer_id, buyer_id, seller_id, opened_by, opener, reason, status, interrupted,
		assigned_admin, conversation_id, amount, decimals, ledger, pending, pending_by, resolution, resolved_at, created_at, updated_at,
		legacy`
	// insertCase opens a case (the live-case index refuses a second live one of a request).
	insertCase = `INSERT INTO dispute_cases (id, request_id, payment_id, offer_id, buyer_id, seller_id, opened_by, opener, reason,
		status, interrupted, conversation_id, amount, decimals, ledger, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11, $12, $13, $14, $15, $15)`
	// caseByID reads a case.
	caseByID = `SELECT ` + caseColumns + ` FROM dispute_cases WHERE id = $1`
	// lockCase reads a case and locks it for a step.
	lockCase = `SELECT ` + caseColumns + ` FROM dispute_cases WHERE id = $1 FOR UPDATE`
	// setStatus moves a case.
	setStatus = `UPDATE dispute_cases SET status = $2, updated_at = $3 WHERE id = $1`
	// setAssigned gives a case to an admin.
	setAssigned = `UPDATE dispute_cases SET assigned_admin = $2, updated_at = $3 WHERE id = $1`
	// setPending records (or, with NULLs, clears) a resolution awaiting a second admin.
	setPending = `UPDATE dispute_cases SET pending = $2, pending_by = $3, updated_at = $4 WHERE id = $1`
	// setResolved ends a case: resolved with its outcome, or withdrawn (outcome NULL).
	setResolved = `UPDATE dispute_cases SET status = $2, resolution = $3, resolved_at = $4, pending = NULL, pending_by = NULL,
		updated_at = $4 WHERE id = $1`
	// casesOf is a page of a user's cases (as buyer or seller), newest first; $2 NULL for the
	// first page. A NULL user ($1) lists every case (admins).
	casesOf = `SELECT ` + caseColumns + ` FROM dispute_cases
		WHERE ($1::uuid IS NULL OR buyer_id = $1 OR seller_id = $1)
		  AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
		  AND ($4::text IS NULL OR status = $4)
		ORDER BY created_at DESC, id DESC LIMIT $5`

	// liveCases is a page of live cases' ids and payments, after id $1.
	liveCases = `SELECT id, payment_id FROM dispute_cases
		WHERE status IN ('open', 'awaiting_evidence', 'under_review', 'proposed', 'escalated') AND id > $1 ORDER BY id LIMIT $2`

	// lastEntry is the seq and hash of a case's last entry (0 and NULL with none).
	lastEntry = `SELECT coalesce(max(seq), 0), (SELECT hash FROM dispute_entries WHERE case_id = $1 ORDER BY seq DESC LIMIT 1)
		FROM dispute_entries WHERE case_id = $1`
	// insertEntry appends an entry (the trigger checks it links to the last one).
	insertEntry = `INSERT INTO dispute_entries (case_id, seq, kind, actor, actor_id, status, body, prev_hash, hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
	// lastApprovalRequest is the hash of a case's last approval_requested entry.
	lastApprovalRequest = `SELECT hash FROM dispute_entries WHERE case_id = $1 AND kind = 'approval_requested'
		ORDER BY seq DESC LIMIT 1`
	// entriesOf is a case's timeline, oldest first.
	entriesOf = `SELECT seq, kind, actor, actor_id, status, body, prev_hash, hash, created_at FROM dispute_entries
		WHERE case_id = $1 ORDER BY seq`
	// answeredSince says whether a side answered (evidence, a statement, a proposal, an
	// acceptance) after the entry seq $4 set its deadline (with $4 = 0: at or after the time $3).
	answeredSince = `SELECT EXISTS (SELECT 1 FROM dispute_entries WHERE case_id = $1
		AND kind IN ('evidence', 'proposed', 'accepted') AND actor = $2
		AND CASE WHEN $4::int > 0 THEN seq > $4::int ELSE created_at >= $3 END)`
	// latestRequest is the seq of the case's latest step that set answer deadlines (its opening,
	// an admin's request for evidence).
	latestRequest = `SELECT coalesce(max(seq), 0) FROM dispute_entries WHERE case_id = $1
		AND kind IN ('opened', 'evidence_requested')`
	// missedRecorded says whether a side's missed deadline since a time is on the timeline.
	missedRecorded = `SELECT EXISTS (SELECT 1 FROM dispute_entries WHERE case_id = $1 AND kind = 'answer_missed'
		AND body::jsonb @> jsonb_build_object('side', $2::text, 'since', $3::text))`

	// proposalColumns are what scanProposal reads.
	proposalColumns = `id, outcome, buyer_amount, replacement_days, note, proposed_by, proposer, buyer_accepted_at,
		seller_accepted_at, created_at`
	// supersede retires a case's live proposal.
	supersede = `UPDATE dispute_proposals SET superseded_at = $2 WHERE case_id = $1 AND superseded_at IS NULL`
	// insertProposal adds the case's live proposal.
	insertProposal = `INSERT INTO dispute_proposals (id, case_id, outcome, buyer_amount, replacement_days, note, proposed_by,
		proposer, buyer_accepted_at, seller_accepted_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	// liveProposal is a case's live proposal.
	liveProposal = `SELECT ` + proposalColumns + ` FROM dispute_proposals WHERE case_id = $1 AND superseded_at IS NULL`
	// acceptBuyer and acceptSeller record a side's acceptance of the live proposal, once.
	acceptBuyer = `UPDATE dispute_proposals SET buyer_accepted_at = $3 WHERE case_id = $1 AND id = $2
		AND superseded_at IS NULL AND buyer_accepted_at IS NULL`
	acceptSeller = `UPDATE dispute_proposals SET seller_accepted_at = $3 WHERE case_id = $1 AND id = $2
		AND superseded_at IS NULL AND seller_accepted_at IS NULL`
)
