package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"time"
)

// dialTimeout bounds connecting to the mail server; the job's deadline bounds the rest.
const dialTimeout = 10 * time.Second

// smtpTransport sends email through one SMTP server (a relay such as Postfix, or a
// provider's submission endpoint).
type smtpTransport struct {
	addr        string // host:port
	host        string // for TLS verification and AUTH
	implicitTLS bool   // smtps: TLS from the first byte
	username    string
	password    string
	from        *mail.Address
	helloName   string
	rootCAs     *x509.CertPool // nil: the system's roots; tests trust their own certificate
}

func newSMTPTransport(rawURL string, from *mail.Address, helloName string) (*smtpTransport, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url's error repeats the whole string, password included.
		return nil, errors.New("notify: SMTP URL is not a valid URL (smtp://user:pass@host:port or smtps://...)")
	}
	t := &smtpTransport{from: from, helloName: helloName}
	var defaultPort string
	switch u.Scheme {
	case "smtp":
		defaultPort = "587"
	case "smtps":
		defaultPort, t.implicitTLS = "465", true
	default:
		return nil, fmt.Errorf("notify: SMTP URL scheme %q is not supported (use smtp:// or smtps://)", u.Scheme)
	}
	t.host = u.Hostname()
	if t.host == "" {
		return nil, errors.New("notify: SMTP URL names no host")
	}
	port := u.Port()
	if port == "" {
		port = defaultPort
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return nil, fmt.Errorf("notify: SMTP URL port %q is not a port number", port)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("notify: SMTP URL must be only smtp://user:pass@host:port (no path or options)")
	}
	t.addr = net.JoinHostPort(t.host, port)
	if u.User != nil {
		t.username = u.User.Username()
		t.password, _ = u.User.Password()
	}
	return t, nil
}

func (t *smtpTransport) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: t.host, RootCAs: t.rootCAs, MinVersion: tls.VersionTLS12}
}

// Send delivers one email. It returns nil only once the server has accepted the message
// (250 after DATA); what happens after that, such as a failed QUIT, cannot undo the
// delivery and is not an error.
func (t *smtpTransport) Send(ctx context.Context, env envelope) error {
	to, err := mail.ParseAddress(env.To)
	if err != nil {
		return &permanentError{fmt.Errorf("recipient %q: %w", env.To, err)}
	}
	msg, err := buildEmail(t.from, to, env)
	if err != nil {
		return &permanentError{err}
	}

	dialer := net.Dialer{Timeout: dialTimeout}
	conn, err := dialer.DialContext(ctx, "tcp", t.addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", t.addr, err)
	}
	// net/smtp knows no contexts: the deadline and cancellation reach it through the
	// connection, which also unblocks a server that stops answering mid-dialogue.
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if t.implicitTLS {
		tc := tls.Client(conn, t.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return fmt.Errorf("TLS with %s: %w", t.addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, t.host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("greeting from %s: %w", t.addr, err)
	}
	defer c.Close()

	if err := c.Hello(t.helloName); err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if !t.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(t.tlsConfig()); err != nil {
				return fmt.Errorf("STARTTLS with %s: %w", t.addr, err)
			}
		}
	}
	if t.username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("%s offers no authentication, but the SMTP URL has credentials", t.addr)
		}
		// PlainAuth refuses to send the password over a connection that is neither TLS
		// nor to localhost.
		if err := c.Auth(smtp.PlainAuth("", t.username, t.password, t.host)); err != nil {
			return fmt.Errorf("AUTH: %w", err)
		}
	}
	if err := c.Mail(t.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return classify(fmt.Errorf("RCPT TO: %w", err))
	}
	w, err := c.Data()
	if err != nil {
		return classify(fmt.Errorf("DATA: %w", err))
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return classify(fmt.Errorf("DATA: %w", err))
	}
	_ = c.Quit()
	return nil
}

// classify marks the server's 5xx answers to the recipient or the content as permanent:
// retrying cannot make an unknown mailbox exist. 4xx (greylisting, full queue) and
// failures before RCPT (a mis-set sender or password that staff can fix) stay retryable.
func classify(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
		return &permanentError{err}
	}
	return err
}
