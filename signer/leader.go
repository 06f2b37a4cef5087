package signer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/amanat/amn/db"
)

// One signer at a time. The leader holds a session advisory lock on a connection of its own (not
// a pooled one, which could be handed back and dropped under it) for as long as it leads, and a
// goroutine waits on that connection: the moment it fails, the signer stops signing. Taking the
// lead increments the epoch in signer_leader; every transaction that stores a signature, reserves
// a nonce or moves an intent names that epoch, and the database refuses it once another signer
// has taken a higher one (migration 00013). So a signer that lost its lock without noticing (a
// pause, a partition) can write nothing, and a step is never signed at two nonces.

// leaderLockKey makes one signer process active at a time; others wait.
const leaderLockKey = 0x616d6e7369676e // "amnsign"

// ErrNotLeader is returned by Tick when another signer process holds the lead, and by a signing
// step whose leader lock was lost.
var ErrNotLeader = errors.New("signer: not the leader (another signer process leads, or the leader lock was lost)")

// ErrStaleEpoch is a write the database refused because another signer took the lead since.
var ErrStaleEpoch = errors.New("signer: the database refused a write of a stale leader epoch")

// fenceErrCode is the SQLSTATE of the fence triggers (migration 00013).
const fenceErrCode = "SF001"

// leadership is this process's hold on the lead.
type leadership struct {
	conn   *pgx.Conn
	epoch  int64
	pid    uint32          // backend of the lock connection
	ctx    context.Context // ends when the lock connection fails or the lead is given up
	cancel context.CancelFunc
	done   chan struct{} // closed when the watcher has returned
}

// lead connects, takes the leader lock (waiting for it when wait is set, else ErrNotLeader if it
// is held) and a new epoch, and watches the connection.
func (s *Signer) lead(ctx context.Context, wait bool) (*leadership, error) {
	cfg := s.cfg.Pool.Config().ConnConfig.Copy()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("signer: leader connection: %w", err)
	}
	fail := func(err error) (*leadership, error) {
		conn.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	if _, err := conn.Exec(ctx, "SET ROLE "+Role); err != nil {
		return fail(err)
	}
	for {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, int64(leaderLockKey)).Scan(&ok); err != nil {
			return fail(err)
		}
		if ok {
			break
		}
		if !wait {
			return fail(ErrNotLeader)
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-time.After(s.cfg.Poll):
		}
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("%s pid %d on %s", s.cfg.Keys.OperatorAddress().Hex(), os.Getpid(), host)
	l := &leadership{conn: conn, pid: conn.PgConn().PID(), done: make(chan struct{})}
	if err := conn.QueryRow(ctx, `UPDATE signer_leader SET epoch = epoch + 1, holder = $1, taken_at = now() RETURNING epoch`,
		holder).Scan(&l.epoch); err != nil {
		return fail(fmt.Errorf("signer: taking a leader epoch: %w", err))
	}
	l.ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go s.watch(l)
	return l, nil
}

// watch waits on the lock connection (it carries no notifications: only its failure ends the
// wait) and gives up the lead the moment it fails.
func (s *Signer) watch(l *leadership) {
	defer close(l.done)
	err := l.conn.PgConn().WaitForNotification(l.ctx)
	if l.ctx.Err() == nil {
		s.log.Error("leader lock connection lost: signing stopped", "epoch", l.epoch, "err", err)
		s.m.leading(false, l.epoch)
		if s.keepLeadOnLoss { // test hook: a signer that has not noticed yet
			return
		}
	}
	l.cancel()
	s.mu.Lock()
	if s.cur == l {
		s.cur = nil
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.conn.Close(ctx)
}

// release gives up the lead: the watcher stops and the connection (and with it the lock) closes.
func (l *leadership) release() {
	l.cancel()
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l.conn.Close(ctx)
}

// leader returns the current leadership, taking the lead (without waiting) if this signer has
// none.
func (s *Signer) leader(ctx context.Context) (*leadership, error) {
	s.mu.Lock()
	l := s.cur
	s.mu.Unlock()
	if l != nil {
		return l, nil
	}
	l, err := s.lead(ctx, false)
	if err != nil {
		return nil, err
	}
	return l, s.took(ctx, l)
}

// took installs a new leadership and records it.
func (s *Signer) took(ctx context.Context, l *leadership) error {
	s.mu.Lock()
	s.cur = l
	s.mu.Unlock()
	s.m.leading(true, l.epoch)
	s.log.Info("signer leads", "operator", s.cfg.Keys.OperatorAddress().Hex(), "epoch", l.epoch)
	return s.fenced(ctx, func(tx pgx.Tx) error {
		return s.appendAudit(ctx, tx, AuditStarted, nil, fmt.Sprintf("operator %s leads, epoch %d", s.cfg.Keys.OperatorAddress().Hex(), l.epoch))
	})
}

// Close gives up the lead, if this signer holds it.
func (s *Signer) Close() {
	s.mu.Lock()
	l := s.cur
	s.cur = nil
	s.mu.Unlock()
	if l != nil {
		l.release()
		s.m.leading(false, l.epoch)
	}
}

// fenced runs fn in a database transaction that names the leader's epoch: the transaction first
// checks that the epoch is still the current one (holding it for the transaction), and the fence
// triggers refuse any write to the signer's tables under another. A refusal drops the lead.
func (s *Signer) fenced(ctx context.Context, fn func(pgx.Tx) error) error {
	s.mu.Lock()
	l := s.cur
	s.mu.Unlock()
	if l == nil {
		return ErrNotLeader
	}
	err := db.InTx(ctx, s.cfg.Pool, func(tx pgx.Tx) error {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT set_config('amn.signer_epoch', $1, true) <> '' AND
			EXISTS (SELECT 1 FROM signer_leader WHERE epoch = $2 FOR SHARE)`, strconv.FormatInt(l.epoch, 10), l.epoch).Scan(&ok); err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: epoch %d", ErrStaleEpoch, l.epoch)
		}
		return fn(tx)
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == fenceErrCode {
		err = fmt.Errorf("%w: %s", ErrStaleEpoch, pgErr.Message)
	}
	if errors.Is(err, ErrStaleEpoch) {
		s.log.Error("another signer leads: signing stopped", "epoch", l.epoch, "err", err)
		s.mu.Lock()
		if s.cur == l {
			s.cur = nil
		}
		s.mu.Unlock()
		l.release()
		s.m.leading(false, l.epoch)
	}
	return err
}

// Epoch is the leader epoch this signer holds, 0 when it does not lead.
func (s *Signer) Epoch() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return 0
	}
	return s.cur.epoch
}
