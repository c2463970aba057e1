package notify

import (
	"crypto/x509"

	"github.com/riverqueue/river"
)

// SendEmailJob lets tests insert a second job for a message, as a bug or an operator
// might.
func SendEmailJob(messageID int64) river.JobArgs { return sendEmailArgs{MessageID: messageID} }

// TrustRoots makes the SMTP transport of s trust roots (a test server's self-signed
// certificate) instead of the system's.
func TrustRoots(s *Service, roots *x509.CertPool) {
	if t, ok := s.transport.(*smtpTransport); ok {
		t.rootCAs = roots
	}
}
