package main

import "context"

// startJobs starts the River client of the worker role.
func (p *process) startJobs(ctx context.Context) error { return nil }
