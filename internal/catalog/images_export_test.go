package catalog

// OnDecode makes fn run inside every image decode while it holds its slot, so a test can
// count the decodes running at once. Call it before the service is used.
func (s *Service) OnDecode(fn func()) { s.images.decoding = fn }

// DecodeSlots is how many images the service decodes at once, at most.
func (s *Service) DecodeSlots() int { return cap(s.images.slots) }
