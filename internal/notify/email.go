package notify

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// buildEmail encodes env as an RFC 5322 message: multipart/alternative with a text and an
// HTML part when it has both (clients show the last part they can render, so HTML comes
// last), a single part otherwise. Bodies are UTF-8 in quoted-printable, which keeps lines
// under SMTP's length limit and mostly-ASCII text readable in raw form.
func buildEmail(from, to *mail.Address, env envelope) ([]byte, error) {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", encodeSubject(env.Subject))
	header("Date", env.Date.In(time.UTC).Format(time.RFC1123Z))
	header("Message-ID", env.MessageID)
	header("MIME-Version", "1.0")
	// Tells auto-responders (vacation replies) not to answer a shop's notification.
	header("Auto-Submitted", "auto-generated")

	text, html := strings.TrimSpace(env.Text) != "", strings.TrimSpace(env.HTML) != ""
	if !(text && html) {
		body, ctype := env.Text, "text/plain; charset=utf-8"
		if html {
			body, ctype = env.HTML, "text/html; charset=utf-8"
		}
		header("Content-Type", ctype)
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, body); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	var parts bytes.Buffer
	mw := multipart.NewWriter(&parts)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, p := range []struct{ ctype, body string }{
		{"text/plain; charset=utf-8", env.Text},
		{"text/html; charset=utf-8", env.HTML},
	} {
		pw, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, fmt.Errorf("build email: %w", err)
		}
		if err := writeQP(pw, p.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("build email: %w", err)
	}
	b.Write(parts.Bytes())
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, body string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(body)); err != nil {
		return fmt.Errorf("build email: encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("build email: encode body: %w", err)
	}
	return nil
}

// encodeSubject applies RFC 2047 when the subject is not plain ASCII, and folds the
// encoded words onto continuation lines so no header line outgrows what servers accept.
func encodeSubject(s string) string {
	enc := mime.QEncoding.Encode("utf-8", s)
	if enc == s {
		return s
	}
	return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
}
