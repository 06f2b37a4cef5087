package upload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
)

// Storage keeps files' bytes under their SHA-256 (64 lowercase hex digits). Put of a key that is
// already there does nothing: the same bytes are stored once. The disk is the default; an
// S3-compatible store can replace it (a bucket, the key as the object name).
type Storage interface {
	Put(ctx context.Context, key string, data []byte) error
	// Open returns the file's bytes, ErrNotFound when there are none under key.
	Open(ctx context.Context, key string) (io.ReadSeekCloser, error)
}

var keyForm = regexp.MustCompile(`^[0-9a-f]{64}$`)

// errKey refuses a key that is not a SHA-256: no name from outside ever reaches a path.
var errKey = errors.New("upload: a storage key must be a SHA-256 in lowercase hex")

// Disk stores files under Root as ab/abcdef…(64 hex digits), written to a temporary file in the
// same folder and renamed into place, so a reader never sees half a file.
type Disk struct {
	Root string
}

func (d Disk) path(key string) (string, error) {
	if !keyForm.MatchString(key) {
		return "", errKey
	}
	return filepath.Join(d.Root, key[:2], key), nil
}

// Put writes data under key unless a file is there already.
func (d Disk) Put(_ context.Context, key string, data []byte) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("upload store: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("upload store: %w", err)
	}
	defer os.Remove(f.Name()) // after the rename, there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("upload store: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("upload store: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("upload store: %w", err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return fmt.Errorf("upload store: %w", err)
	}
	return nil
}

// Open opens the file stored under key.
func (d Disk) Open(_ context.Context, key string) (io.ReadSeekCloser, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: the file's bytes are missing from the store", ErrNotFound)
	}
	return f, err
}
