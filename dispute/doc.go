// Package dispute owns the dispute case of a funded deal: its status machine (state.go, as data:
// who may take which step from where), its evidence (uploads attached to the case and statements,
// each with its SHA-256, size, type and uploader), its deadlines (River jobs inserted in the
// transaction of the step that sets them: each side's answer, the escalation of a case nobody
// takes), mediation (proposals, the parties' acceptances, one or two admins) and resolutions,
// and its append-only, hash-chained timeline with the signed export bundle anyone can verify
// (`amn dispute verify`). Its tables are made by migration 00051; its SQL is the named
// statements of store.go.
//
// Opening a case is one transaction with the market's (the request → disputed, its inspection
// paused), the payment's (→ disputed, the on-chain freeze queued) and the chat's (the three-way
// conversation) steps; resolving one is one transaction with the payment's resolution (or split,
// payment.ResolveSplitTx), the deal's resume or replacement, a seller's ban (the accounts'
// BanTx) and the payout job (PayoutArgs, whose worker asks for the intent). A case whose payment
// ends on chain anyway is closed by the worker (CloseFinal). Opening and ending a case tell both
// parties in the step's transaction (Notifier; Parties writes them through package notify).
//
// Old disputes come in through ImportCase (the legacy import) as legacy cases: history, their
// timeline on the same chain, on which no step is taken and no deadline runs (migration 00057).
//
// It must never move money but through payment transitions (the payout intents are asked for
// through Payouts, which the command wires), read another package's tables (the market, chat,
// upload and auth are called through their Go APIs), nor change or delete a timeline entry: the
// table's trigger refuses it, and the chain of hashes would show it.
package dispute
