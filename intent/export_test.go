package intent

// SetFollowPage sets how many payments a Follow pass reads of each set (tests: a small backlog
// spans several pages).
func (s *Store) SetFollowPage(n int) {
	s.follow.mu.Lock()
	defer s.follow.mu.Unlock()
	s.follow.page = n
}
