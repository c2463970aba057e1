package main

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/monoshop/monoshop/internal/platform/db"
	"github.com/monoshop/monoshop/internal/platform/money"
	"github.com/monoshop/monoshop/internal/platform/obs"
)

// Config is every setting of the shop, read once from the environment and passed on
// explicitly. Nothing reads the environment after start-up.
type Config struct {
	DatabaseURL         string
	Addr                string
	InternalAddr        string
	BaseURL             string
	Env                 string
	DataDir             string
	SMTPURL             string
	PaymentProvider     string
	StripeSecretKey     string
	StripeWebhookSecret string
	LogLevel            string
	LogFormat           string
	OTLPEndpoint        string
	StoreName           string
	// ContactEmail and Currency are, like StoreName, defaults: staff may set the store's
	// details in the back office (/admin/settings), which then win.
	ContactEmail string
	Currency     string
	// TimeZone is the store's clock: dates shown to shoppers and staff, and dates staff
	// type (discount schedules, the order list's day filters).
	TimeZone       *time.Location
	MailFrom       string
	TrustedProxies []netip.Prefix
	DrainDelay     time.Duration
	// OrderExpiry is how long an unpaid order holds its stock before it is cancelled.
	OrderExpiry time.Duration
	// HoldMaxUnits caps the units one client may hold in unpaid orders at once.
	HoldMaxUnits int
	// ReconcileAfter is how long a payment may stay pending before the recovery job asks
	// its provider; RecoveryInterval how often the recovery jobs (expiry, reconciliation)
	// run.
	ReconcileAfter   time.Duration
	RecoveryInterval time.Duration
	// StaffIdleTimeout and StaffSessionLifetime end a back-office session after so long
	// unused and so long after sign-in.
	StaffIdleTimeout     time.Duration
	StaffSessionLifetime time.Duration
	// MemoryLimit is the Go runtime's soft memory limit in bytes (0: none), when
	// MemoryLimitSet; otherwise memlimit.go decides.
	MemoryLimit    int64
	MemoryLimitSet bool
	// CrashPoint names a moment at which the process kills itself (dev only): recovery
	// tests use it to prove that a crash there loses nothing.
	CrashPoint string
}

// setting documents one environment variable for `shop help` and the README.
type setting struct {
	Name, Default, Meaning string
	apply                  func(c *Config, v string) error
}

// settings is the single list of variables: parsing, defaults and help all come from it.
func settings() []setting {
	str := func(dst func(*Config) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *dst(c) = v; return nil }
	}
	return []setting{
		{"DATABASE_URL", "", "PostgreSQL connection string. Unset: `shop dev` starts a private PostgreSQL in SHOP_DATA_DIR.",
			str(func(c *Config) *string { return &c.DatabaseURL })},
		{"SHOP_ADDR", ":8080", "Address the public HTTP server listens on (host:port).",
			str(func(c *Config) *string { return &c.Addr })},
		{"SHOP_INTERNAL_ADDR", "127.0.0.1:9090", "Address of the internal listener (/metrics, pprof); empty disables it.",
			str(func(c *Config) *string { return &c.InternalAddr })},
		{"SHOP_BASE_URL", "", "Public URL of the shop, used in emails, sitemaps and canonical links. Unset: http://localhost on the port of SHOP_ADDR (set it behind a proxy or in prod).",
			str(func(c *Config) *string { return &c.BaseURL })},
		{"SHOP_ENV", "dev", "dev (text logs, relaxed cookies) or prod (JSON logs, Secure cookies, HSTS).",
			str(func(c *Config) *string { return &c.Env })},
		{"SHOP_DATA_DIR", "./.data", "Where the embedded development database and other local state live.",
			str(func(c *Config) *string { return &c.DataDir })},
		{"SHOP_SMTP_URL", "", "SMTP server for outgoing email (smtp://user:pass@host:587). Unset: emails are kept for /admin/emails.",
			str(func(c *Config) *string { return &c.SMTPURL })},
		{"SHOP_PAYMENT_PROVIDER", "test", "Payment provider: test (built-in test gateway), manual or stripe.",
			str(func(c *Config) *string { return &c.PaymentProvider })},
		{"STRIPE_SECRET_KEY", "", "Stripe API secret key (required with SHOP_PAYMENT_PROVIDER=stripe).",
			str(func(c *Config) *string { return &c.StripeSecretKey })},
		{"STRIPE_WEBHOOK_SECRET", "", "Stripe webhook signing secret (required with SHOP_PAYMENT_PROVIDER=stripe).",
			str(func(c *Config) *string { return &c.StripeWebhookSecret })},
		{"SHOP_LOG_LEVEL", "info", "debug, info, warn or error.",
			str(func(c *Config) *string { return &c.LogLevel })},
		{"SHOP_LOG_FORMAT", "", "text or json; default text in dev, json in prod.",
			str(func(c *Config) *string { return &c.LogFormat })},
		{"OTEL_EXPORTER_OTLP_ENDPOINT", "", "OpenTelemetry collector endpoint; tracing is off when unset.",
			str(func(c *Config) *string { return &c.OTLPEndpoint })},
		{"SHOP_STORE_NAME", "Monoshop", "The shop's name in page titles, the header and emails, until staff set one in the back office (Settings, Store details).",
			str(func(c *Config) *string { return &c.StoreName })},
		{"SHOP_CONTACT_EMAIL", "", "The address shoppers may write to, shown in the footer and order emails, until staff set one in the back office; unset: none shown.",
			str(func(c *Config) *string { return &c.ContactEmail })},
		{"SHOP_CURRENCY", "USD", "The currency a shop with no prices yet sells in (an ISO code such as EUR), until staff choose one in the back office; a catalog with prices sells in theirs.",
			func(c *Config, v string) error {
				if v == "" {
					v = "USD"
				}
				v = strings.ToUpper(v)
				if !money.Known(v) {
					return fmt.Errorf("%q is not a currency the shop can price in; use one of %s", v, strings.Join(money.KnownCurrencies(), ", "))
				}
				c.Currency = v
				return nil
			}},
		{"SHOP_TIME_ZONE", "UTC", "The store's time zone (an IANA name such as Europe/Paris): dates on order pages, invoices and the back office, and dates typed there.",
			func(c *Config, v string) error {
				if v == "" {
					v = "UTC"
				}
				loc, err := time.LoadLocation(v)
				// Local would be whatever the container happens to have.
				if err != nil || v == "Local" {
					return fmt.Errorf("%q is not a time zone name; use an IANA name like Europe/Paris or UTC", v)
				}
				c.TimeZone = loc
				return nil
			}},
		{"SHOP_MAIL_FROM", "", "Sender of the shop's emails, e.g. \"Monoshop <shop@example.com>\"; default the store name at the host of SHOP_BASE_URL.",
			str(func(c *Config) *string { return &c.MailFrom })},
		{"SHOP_TRUSTED_PROXIES", "", "Comma-separated CIDRs of load balancers whose X-Forwarded-For is believed (e.g. 10.0.0.0/8).",
			func(c *Config, v string) error {
				c.TrustedProxies = nil
				for _, part := range strings.Split(v, ",") {
					part = strings.TrimSpace(part)
					if part == "" {
						continue
					}
					p, err := netip.ParsePrefix(part)
					if err != nil {
						addr, aerr := netip.ParseAddr(part)
						if aerr != nil {
							return fmt.Errorf("%q is not an IP address or CIDR range; use a list like 10.0.0.0/8,192.168.1.10", part)
						}
						p = netip.PrefixFrom(addr, addr.BitLen())
					}
					c.TrustedProxies = append(c.TrustedProxies, p.Masked())
				}
				return nil
			}},
		{"SHOP_DRAIN_DELAY", "", "How long /readyz reports 503 before the server stops accepting requests at shutdown, so the load balancer can take this replica out; default 2s in prod, 0s in dev.",
			func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				d, err := time.ParseDuration(v)
				if err != nil || d < 0 || d > time.Minute {
					return fmt.Errorf("%q is not a duration between 0s and 1m; use a value like 2s", v)
				}
				c.DrainDelay = d
				return nil
			}},
		{"SHOP_ORDER_EXPIRY", "15m", "How long an unpaid order holds its items before it is cancelled and the stock released; going back to pay holds them that long again, up to 4 times this after the order was placed.",
			durationBetween(func(c *Config) *time.Duration { return &c.OrderExpiry }, time.Second, 7*24*time.Hour)},
		{"SHOP_HOLD_MAX_UNITS", "30", "The most units one client (an address, an IPv6 /64) may hold in unpaid orders at once; raise it for shops that sell in bulk.",
			func(c *Config, v string) error {
				if v == "" {
					v = "30"
				}
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 || n > 1_000_000 {
					return fmt.Errorf("%q is not a number of units from 1 to 1000000", v)
				}
				c.HoldMaxUnits = n
				return nil
			}},
		{"SHOP_PAYMENT_RECONCILE_AFTER", "2m", "How long a payment may stay pending (no webhook) before the recovery job asks the provider.",
			durationBetween(func(c *Config) *time.Duration { return &c.ReconcileAfter }, 100*time.Millisecond, 24*time.Hour)},
		{"SHOP_RECOVERY_INTERVAL", "1m", "How often the recovery jobs run (expiring unpaid orders, asking providers about pending payments).",
			durationBetween(func(c *Config) *time.Duration { return &c.RecoveryInterval }, 100*time.Millisecond, time.Hour)},
		{"SHOP_STAFF_IDLE_TIMEOUT", "2h", "A staff member is signed out after this long without using the shop (back office or storefront).",
			durationBetween(func(c *Config) *time.Duration { return &c.StaffIdleTimeout }, time.Minute, 30*24*time.Hour)},
		{"SHOP_STAFF_SESSION_LIFETIME", "12h", "A staff member is signed out this long after signing in, however active.",
			durationBetween(func(c *Config) *time.Duration { return &c.StaffSessionLifetime }, time.Minute, 30*24*time.Hour)},
		{"SHOP_MEMORY_LIMIT", "", "Soft memory limit of the process, like 560MiB or 2GiB, or off: the garbage collector works harder near it. Default GOMEMLIMIT if set, else 90% of the container's memory limit, else none.",
			func(c *Config, v string) error {
				if v == "" {
					return nil
				}
				n, err := parseMemorySize(v)
				if err != nil || (n > 0 && n < 64<<20) {
					return fmt.Errorf("%q is not a size of at least 64MiB; use a value like 560MiB or 2GiB, or off", v)
				}
				c.MemoryLimit, c.MemoryLimitSet = n, true
				return nil
			}},
		{"SHOP_CRASH_POINT", "", "Development only: kill the process at a named moment to test recovery (payment-paid: after a payment is recorded paid, before the commit).",
			func(c *Config, v string) error {
				if v != "" && v != crashPaymentPaid {
					return fmt.Errorf("%q is not a crash point; use %s or leave it unset", v, crashPaymentPaid)
				}
				c.CrashPoint = v
				return nil
			}},
	}
}

// crashPaymentPaid kills the process inside the transaction that records a payment the
// provider confirmed, before it commits.
const crashPaymentPaid = "payment-paid"

// durationBetween parses a duration setting and keeps it within sensible bounds.
func durationBetween(dst func(*Config) *time.Duration, lo, hi time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return fmt.Errorf("%q is not a duration between %s and %s; use a value like 30m", v, lo, hi)
		}
		*dst(c) = d
		return nil
	}
}

// ConfigError names the variable at fault and what to do, in one line for the operator.
type ConfigError struct {
	Name, Problem string
}

func (e *ConfigError) Error() string { return e.Name + ": " + e.Problem }

// LoadConfig reads the environment through lookup (os.LookupEnv in production, a map in
// tests) and validates it. A variable set to the empty string counts as set, so
// SHOP_INTERNAL_ADDR= can switch the internal listener off.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	var c Config
	c.DrainDelay = -1
	for _, s := range settings() {
		v, ok := lookup(s.Name)
		if !ok {
			v = s.Default
		}
		if err := s.apply(&c, v); err != nil {
			return c, &ConfigError{Name: s.Name, Problem: err.Error()}
		}
	}
	if c.DrainDelay < 0 {
		c.DrainDelay = 0
		if c.Env == "prod" {
			c.DrainDelay = 2 * time.Second
		}
	}
	if c.LogFormat == "" {
		c.LogFormat = "text"
		if c.Env == "prod" {
			c.LogFormat = "json"
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = localBaseURL(c.Addr)
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	if c.MailFrom == "" {
		u, _ := url.Parse(c.BaseURL)
		c.MailFrom = (&mail.Address{Name: c.StoreName, Address: "shop@" + u.Hostname()}).String()
	}
	return c, nil
}

// localBaseURL is the shop's URL on this machine when none is configured: the port the
// server listens on, so that canonical links, the sitemap, Open Graph tags and emails
// never point at a port nobody serves (a shop started with SHOP_ADDR=:3000 used to link to
// :8080). A listen address naming a host keeps it; a wildcard one means localhost.
func localBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost"
	}
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	if port == "80" {
		return "http://" + host
	}
	return "http://" + net.JoinHostPort(host, port)
}

// Validate checks every value without touching the network, so a typo is reported before
// anything starts.
func (c Config) Validate() error {
	if c.Env != "dev" && c.Env != "prod" {
		return &ConfigError{"SHOP_ENV", fmt.Sprintf("%q is not an environment; use dev or prod", c.Env)}
	}
	if err := validateListenAddr(c.Addr); err != nil {
		return &ConfigError{"SHOP_ADDR", err.Error()}
	}
	if c.InternalAddr != "" {
		if err := validateListenAddr(c.InternalAddr); err != nil {
			return &ConfigError{"SHOP_INTERNAL_ADDR", err.Error()}
		}
	}
	if c.DatabaseURL != "" {
		if _, err := db.ParseURL(c.DatabaseURL); err != nil {
			return &ConfigError{"DATABASE_URL", err.Error() + "; use a URL like postgres://user:password@localhost:5432/shop"}
		}
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &ConfigError{"SHOP_BASE_URL", fmt.Sprintf("%q is not an absolute http(s) URL; use a value like https://shop.example.com", c.BaseURL)}
	}
	if c.CrashPoint != "" && c.Env == "prod" {
		return &ConfigError{"SHOP_CRASH_POINT", "is for recovery tests and refused in prod; unset it"}
	}
	if c.DataDir == "" {
		return &ConfigError{"SHOP_DATA_DIR", "must not be empty; use a directory such as ./.data"}
	}
	if c.MailFrom != "" {
		if _, err := mail.ParseAddress(c.MailFrom); err != nil {
			return &ConfigError{"SHOP_MAIL_FROM", fmt.Sprintf("%q is not an email address; use a value like \"Monoshop <shop@example.com>\"", c.MailFrom)}
		}
	}
	if c.ContactEmail != "" {
		if a, err := mail.ParseAddress(c.ContactEmail); err != nil || a.Address != c.ContactEmail {
			return &ConfigError{"SHOP_CONTACT_EMAIL", fmt.Sprintf("%q is not a bare email address; use a value like help@example.com", c.ContactEmail)}
		}
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return &ConfigError{"SHOP_SMTP_URL", "is not an smtp:// or smtps:// URL; use a value like smtp://user:password@mail.example.com:587"}
		}
	}
	switch c.PaymentProvider {
	case "test", "manual":
	case "stripe":
		if c.StripeSecretKey == "" {
			return &ConfigError{"STRIPE_SECRET_KEY", "is required when SHOP_PAYMENT_PROVIDER=stripe"}
		}
		if c.StripeWebhookSecret == "" {
			return &ConfigError{"STRIPE_WEBHOOK_SECRET", "is required when SHOP_PAYMENT_PROVIDER=stripe"}
		}
	default:
		return &ConfigError{"SHOP_PAYMENT_PROVIDER", fmt.Sprintf("%q is not a provider; use test, manual or stripe", c.PaymentProvider)}
	}
	if c.Env == "prod" && c.PaymentProvider == "test" {
		return &ConfigError{"SHOP_PAYMENT_PROVIDER", "the test gateway takes no real money and is refused in prod; use manual or stripe"}
	}
	if _, err := obs.ParseLevel(c.LogLevel); err != nil {
		return &ConfigError{"SHOP_LOG_LEVEL", err.Error()}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return &ConfigError{"SHOP_LOG_FORMAT", fmt.Sprintf("%q is not a log format; use text or json", c.LogFormat)}
	}
	return nil
}

func validateListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not a host:port address; use a value like :8080 or 127.0.0.1:8080", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%q has no valid port (0-65535); use a value like :8080", addr)
	}
	if strings.ContainsAny(host, " /?#@") {
		return fmt.Errorf("host %q of %q is not a host name or IP address; leave it empty to listen on all interfaces", host, addr)
	}
	return nil
}

// errUsage marks a mistake on the command line; main prints it with a hint and exits 2.
var errUsage = errors.New("usage")
