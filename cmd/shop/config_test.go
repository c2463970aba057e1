package main

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// requireOperatorLine checks what an operator sees when the shop refuses to start: exactly
// one line, "shop: " first, naming the variable to fix, and no Go internals.
func requireOperatorLine(t *testing.T, stderr, variable string) {
	t.Helper()
	require.True(t, strings.HasSuffix(stderr, "\n"), "stderr ends with a newline: %q", stderr)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	require.Len(t, lines, 1, "stderr is one line: %q", stderr)
	require.True(t, strings.HasPrefix(lines[0], "shop: "), "stderr starts with \"shop: \": %q", stderr)
	require.Contains(t, lines[0], variable)
	require.NotContains(t, stderr, "goroutine")
	require.NotContains(t, stderr, "panic")
}

func TestLoadConfig(t *testing.T) {
	t.Parallel()

	t.Run("OKDefaults", func(t *testing.T) {
		t.Parallel()
		cfg, err := LoadConfig(lookupFrom(nil))
		require.NoError(t, err)
		require.Equal(t, ":8080", cfg.Addr)
		require.Equal(t, "127.0.0.1:9090", cfg.InternalAddr)
		require.Equal(t, "dev", cfg.Env)
		require.Equal(t, "text", cfg.LogFormat)
		require.Equal(t, "info", cfg.LogLevel)
		require.Equal(t, "test", cfg.PaymentProvider)
		require.Equal(t, "Monoshop", cfg.StoreName)
		require.Equal(t, "UTC", cfg.TimeZone.String())
		require.Equal(t, "./.data", cfg.DataDir)
		require.Zero(t, cfg.DrainDelay)
		require.Empty(t, cfg.DatabaseURL)
		require.Empty(t, cfg.TrustedProxies)
	})

	t.Run("OKBaseURLFollowsTheListenPort", func(t *testing.T) {
		t.Parallel()
		for addr, want := range map[string]string{
			":8080":           "http://localhost:8080",
			":3000":           "http://localhost:3000",
			"0.0.0.0:4000":    "http://localhost:4000",
			"127.0.0.1:18080": "http://127.0.0.1:18080",
			"[::1]:8443":      "http://[::1]:8443",
			":80":             "http://localhost",
		} {
			cfg, err := LoadConfig(lookupFrom(map[string]string{"SHOP_ADDR": addr}))
			require.NoError(t, err)
			require.Equal(t, want, cfg.BaseURL, "SHOP_ADDR=%s", addr)
		}
		cfg, err := LoadConfig(lookupFrom(map[string]string{"SHOP_ADDR": ":3000", "SHOP_BASE_URL": "https://shop.example.com"}))
		require.NoError(t, err)
		require.Equal(t, "https://shop.example.com", cfg.BaseURL, "a configured URL wins")
		require.Contains(t, cfg.MailFrom, "shop@shop.example.com")
	})

	t.Run("OKProdDefaults", func(t *testing.T) {
		t.Parallel()
		cfg, err := LoadConfig(lookupFrom(map[string]string{
			"SHOP_ENV": "prod", "SHOP_PAYMENT_PROVIDER": "manual",
			"DATABASE_URL": "postgres://shop:pw@db.example:5432/shop",
		}))
		require.NoError(t, err)
		require.Equal(t, "json", cfg.LogFormat)
		require.Equal(t, 2*time.Second, cfg.DrainDelay)
	})

	t.Run("OKExplicitValues", func(t *testing.T) {
		t.Parallel()
		cfg, err := LoadConfig(lookupFrom(map[string]string{
			"SHOP_ADDR":             "127.0.0.1:0",
			"SHOP_INTERNAL_ADDR":    "", // set but empty: the internal listener is off
			"SHOP_ENV":              "prod",
			"SHOP_PAYMENT_PROVIDER": "stripe",
			"STRIPE_SECRET_KEY":     "sk_test_x",
			"STRIPE_WEBHOOK_SECRET": "whsec_x",
			"SHOP_LOG_FORMAT":       "text",
			"SHOP_LOG_LEVEL":        "debug",
			"SHOP_TRUSTED_PROXIES":  "10.0.0.0/8, 192.168.1.10",
			"SHOP_DRAIN_DELAY":      "0s",
			"SHOP_SMTP_URL":         "smtp://user:pw@mail.example:587",
			"SHOP_TIME_ZONE":        "Europe/Paris",
		}))
		require.NoError(t, err)
		require.Equal(t, "Europe/Paris", cfg.TimeZone.String())
		at := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
		require.Equal(t, "2026-11-28 00:30 CET", at.In(cfg.TimeZone).Format("2006-01-02 15:04 MST"), "the zone's rules are built in")
		require.Equal(t, "127.0.0.1:0", cfg.Addr)
		require.Empty(t, cfg.InternalAddr)
		require.Equal(t, "text", cfg.LogFormat)
		require.Zero(t, cfg.DrainDelay, "an explicit 0s wins over prod's default")
		require.Equal(t, []netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.10/32"),
		}, cfg.TrustedProxies)
	})

	errCases := []struct {
		name     string
		env      map[string]string
		variable string
	}{
		{"ErrAddrNotHostPort", map[string]string{"SHOP_ADDR": "abc"}, "SHOP_ADDR"},
		{"ErrAddrPortOutOfRange", map[string]string{"SHOP_ADDR": ":99999"}, "SHOP_ADDR"},
		{"ErrInternalAddr", map[string]string{"SHOP_INTERNAL_ADDR": "localhost"}, "SHOP_INTERNAL_ADDR"},
		{"ErrDatabaseURLMalformed", map[string]string{"DATABASE_URL": "postgres://%zz"}, "DATABASE_URL"},
		{"ErrDatabaseURLBadSSLMode", map[string]string{"DATABASE_URL": "postgres://shop:s3cret@db.example/shop?sslmode=bogus"}, "DATABASE_URL"},
		{"ErrDatabaseURLBadPort", map[string]string{"DATABASE_URL": "postgres://shop:s3cret@db.example:abc/shop"}, "DATABASE_URL"},
		{"ErrEnvUnknown", map[string]string{"SHOP_ENV": "staging"}, "SHOP_ENV"},
		{"ErrLogLevel", map[string]string{"SHOP_LOG_LEVEL": "loud"}, "SHOP_LOG_LEVEL"},
		{"ErrLogFormat", map[string]string{"SHOP_LOG_FORMAT": "xml"}, "SHOP_LOG_FORMAT"},
		{"ErrTrustedProxies", map[string]string{"SHOP_TRUSTED_PROXIES": "10.0.0.0/8,banana"}, "SHOP_TRUSTED_PROXIES"},
		{"ErrStripeWithoutKeys", map[string]string{"SHOP_PAYMENT_PROVIDER": "stripe"}, "STRIPE_SECRET_KEY"},
		{"ErrStripeWithoutWebhookSecret", map[string]string{
			"SHOP_PAYMENT_PROVIDER": "stripe", "STRIPE_SECRET_KEY": "sk_live_x",
		}, "STRIPE_WEBHOOK_SECRET"},
		{"ErrPaymentProviderUnknown", map[string]string{"SHOP_PAYMENT_PROVIDER": "paypal"}, "SHOP_PAYMENT_PROVIDER"},
		{"ErrTestProviderInProd", map[string]string{"SHOP_ENV": "prod"}, "SHOP_PAYMENT_PROVIDER"},
		{"ErrBaseURLNotAbsolute", map[string]string{"SHOP_BASE_URL": "shop.example.com"}, "SHOP_BASE_URL"},
		{"ErrSMTPURLScheme", map[string]string{"SHOP_SMTP_URL": "http://mail.example"}, "SHOP_SMTP_URL"},
		{"ErrDataDirEmpty", map[string]string{"SHOP_DATA_DIR": ""}, "SHOP_DATA_DIR"},
		{"ErrDrainDelay", map[string]string{"SHOP_DRAIN_DELAY": "2h"}, "SHOP_DRAIN_DELAY"},
		{"ErrTimeZoneUnknown", map[string]string{"SHOP_TIME_ZONE": "Mars/Olympus_Mons"}, "SHOP_TIME_ZONE"},
		{"ErrTimeZoneLocal", map[string]string{"SHOP_TIME_ZONE": "Local"}, "SHOP_TIME_ZONE"},
		{"ErrMemoryLimitUnit", map[string]string{"SHOP_MEMORY_LIMIT": "600MB"}, "SHOP_MEMORY_LIMIT"},
		{"ErrMemoryLimitTiny", map[string]string{"SHOP_MEMORY_LIMIT": "600KiB"}, "SHOP_MEMORY_LIMIT"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadConfig(lookupFrom(tc.env))
			var cerr *ConfigError
			require.ErrorAs(t, err, &cerr)
			require.Equal(t, tc.variable, cerr.Name)
			require.NotEmpty(t, cerr.Problem)
			// The operator reads the problem: it must say something, echo no password and
			// carry no Go zero values.
			require.NotContains(t, cerr.Problem, "s3cret")
			require.NotContains(t, cerr.Problem, "<nil>")

			// The same mistake through the command line: exit 2 and one line on stderr,
			// before anything tries to reach the network.
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"serve"}, lookupFrom(tc.env), &stdout, &stderr)
			require.Equal(t, 2, code, "stderr: %s", stderr.String())
			requireOperatorLine(t, stderr.String(), tc.variable)
			require.NotContains(t, stderr.String(), "s3cret")
			require.Empty(t, stdout.String())
		})
	}
}
