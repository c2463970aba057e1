package notify_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// sinkMessage is one message a sink accepted, exactly as it came over the wire (after
// dot-unstuffing).
type sinkMessage struct {
	From, AuthUser string
	To             []string
	TLS            bool
	Raw            []byte
}

// sinkOptions shape the server a test talks to.
type sinkOptions struct {
	TLS         *tls.Config // offers STARTTLS, or speaks TLS at once with ImplicitTLS
	ImplicitTLS bool
	User, Pass  string // AUTH PLAIN is offered and required when set
	Reject      string // RCPT TO this address is answered 550
}

// smtpSink is a small real SMTP server on loopback. It can be stopped and started again
// on the same port to play a mail server that is down for a while.
type smtpSink struct {
	t    *testing.T
	opts sinkOptions
	addr string

	mu       sync.Mutex
	ln       net.Listener
	conns    map[net.Conn]struct{}
	messages []sinkMessage
	wg       sync.WaitGroup
}

// newSink starts a sink on a free port; it is stopped when the test ends.
func newSink(t *testing.T, opts sinkOptions) *smtpSink {
	t.Helper()
	s := &smtpSink{t: t, opts: opts, addr: "127.0.0.1:0", conns: map[net.Conn]struct{}{}}
	s.start()
	t.Cleanup(s.stop)
	return s
}

// reservePort returns a loopback address nobody listens on yet, for a sink started later.
func reservePort(t *testing.T, opts sinkOptions) *smtpSink {
	t.Helper()
	s := newSink(t, opts)
	s.stop()
	return s
}

func (s *smtpSink) start() {
	s.t.Helper()
	var ln net.Listener
	var err error
	// The port was ours a moment ago; give the kernel a moment if it disagrees.
	for range 50 {
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("sink: listen on %s: %v", s.addr, err)
	}
	if s.opts.ImplicitTLS {
		ln = tls.NewListener(ln, s.opts.TLS)
	}
	s.mu.Lock()
	s.ln, s.addr = ln, ln.Addr().String()
	s.mu.Unlock()
	s.wg.Add(1)
	go s.accept(ln)
}

// stop closes the listener and every open connection, so the port refuses connections
// until start.
func (s *smtpSink) stop() {
	s.mu.Lock()
	if s.ln != nil {
		_ = s.ln.Close()
		s.ln = nil
	}
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *smtpSink) received() []sinkMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sinkMessage(nil), s.messages...)
}

func (s *smtpSink) port() string {
	_, p, _ := net.SplitHostPort(s.addr)
	return p
}

func (s *smtpSink) accept(ln net.Listener) {
	defer s.wg.Done()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				_ = c.Close()
			}()
			_ = c.SetDeadline(time.Now().Add(30 * time.Second))
			if err := s.session(c); err != nil && !errors.Is(err, net.ErrClosed) {
				s.t.Logf("sink: session: %v", err)
			}
		}()
	}
}

type sinkSession struct {
	conn       net.Conn
	r          *bufio.Reader
	tls        bool
	authUser   string
	from       string
	to         []string
	hasMailCmd bool
}

func (ss *sinkSession) reply(format string, args ...any) error {
	_, err := fmt.Fprintf(ss.conn, format+"\r\n", args...)
	return err
}

// session speaks the server side of RFC 5321, enough of it for net/smtp.
func (s *smtpSink) session(c net.Conn) error {
	_, isTLS := c.(*tls.Conn)
	ss := &sinkSession{conn: c, r: bufio.NewReader(c), tls: isTLS}
	if err := ss.reply("220 sink.test ESMTP ready"); err != nil {
		return err
	}
	for {
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return nil // client went away
		}
		line = strings.TrimRight(line, "\r\n")
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			lines := []string{"sink.test greets " + arg, "8BITMIME"}
			if s.opts.TLS != nil && !ss.tls {
				lines = append(lines, "STARTTLS")
			}
			if s.opts.User != "" {
				lines = append(lines, "AUTH PLAIN")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				if err := ss.reply("250%s%s", sep, l); err != nil {
					return err
				}
			}
		case "HELO":
			err = ss.reply("250 sink.test")
		case "STARTTLS":
			if s.opts.TLS == nil || ss.tls {
				err = ss.reply("502 not offered")
				break
			}
			if err := ss.reply("220 go ahead"); err != nil {
				return err
			}
			tc := tls.Server(c, s.opts.TLS)
			if err := tc.Handshake(); err != nil {
				return fmt.Errorf("STARTTLS handshake: %w", err)
			}
			// RFC 3207: everything known before TLS is forgotten.
			*ss = sinkSession{conn: tc, r: bufio.NewReader(tc), tls: true}
		case "AUTH":
			err = s.auth(ss, arg)
		case "MAIL":
			if s.opts.User != "" && ss.authUser == "" {
				err = ss.reply("530 authentication required")
				break
			}
			ss.from, ss.to, ss.hasMailCmd = addrArg(arg), nil, true
			err = ss.reply("250 sender ok")
		case "RCPT":
			if !ss.hasMailCmd {
				err = ss.reply("503 MAIL first")
				break
			}
			to := addrArg(arg)
			if s.opts.Reject != "" && strings.EqualFold(to, s.opts.Reject) {
				err = ss.reply("550 5.1.1 no such user here")
				break
			}
			ss.to = append(ss.to, to)
			err = ss.reply("250 recipient ok")
		case "DATA":
			if len(ss.to) == 0 {
				err = ss.reply("503 RCPT first")
				break
			}
			if err := ss.reply("354 end with <CRLF>.<CRLF>"); err != nil {
				return err
			}
			raw, err := readData(ss.r)
			if err != nil {
				return err
			}
			s.mu.Lock()
			s.messages = append(s.messages, sinkMessage{From: ss.from, To: ss.to, TLS: ss.tls, AuthUser: ss.authUser, Raw: raw})
			s.mu.Unlock()
			ss.from, ss.to, ss.hasMailCmd = "", nil, false
			err = ss.reply("250 queued")
		case "RSET":
			ss.from, ss.to, ss.hasMailCmd = "", nil, false
			err = ss.reply("250 ok")
		case "NOOP":
			err = ss.reply("250 ok")
		case "QUIT":
			_ = ss.reply("221 bye")
			return nil
		default:
			err = ss.reply("502 unknown command")
		}
		if err != nil {
			return err
		}
	}
}

func (s *smtpSink) auth(ss *sinkSession, arg string) error {
	mech, initial, _ := strings.Cut(arg, " ")
	if s.opts.User == "" || !strings.EqualFold(mech, "PLAIN") {
		return ss.reply("504 mechanism not supported")
	}
	if !ss.tls {
		return ss.reply("538 encryption required")
	}
	if initial == "" {
		if err := ss.reply("334 "); err != nil {
			return err
		}
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return err
		}
		initial = strings.TrimRight(line, "\r\n")
	}
	dec, err := base64.StdEncoding.DecodeString(initial)
	if err != nil {
		return ss.reply("501 bad base64")
	}
	parts := strings.Split(string(dec), "\x00")
	if len(parts) != 3 || parts[1] != s.opts.User || parts[2] != s.opts.Pass {
		return ss.reply("535 5.7.8 authentication failed")
	}
	ss.authUser = parts[1]
	return ss.reply("235 authenticated")
}

// readData reads a DATA body up to the lone dot, removing the dot a client doubles at the
// start of a line (RFC 5321 §4.5.2).
func readData(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("read DATA: %w", err)
		}
		if line == ".\r\n" {
			return out, nil
		}
		if strings.HasPrefix(line, ".") {
			line = line[1:]
		}
		out = append(out, line...)
	}
}

// addrArg takes the address out of "FROM:<a@b> SIZE=..." or "TO:<a@b>".
func addrArg(arg string) string {
	i, j := strings.IndexByte(arg, '<'), strings.IndexByte(arg, '>')
	if i < 0 || j < i {
		return ""
	}
	return arg[i+1 : j]
}

// selfSignedTLS returns a server config for 127.0.0.1 and a pool that trusts it.
func selfSignedTLS(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "sink.test"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, roots
}
