package session

import (
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/stretchr/testify/require"
)

// A shopper's session: what the shop keeps in one (cart token, account, flash).
func shopperValues() map[string]any {
	return map[string]any{
		"cart_token":      "c_9f8e7d6c5b4a",
		"account_id":      int64(4211),
		"session_version": 3,
		"flash":           `[{"kind":"success","text":"Thank you for your order!"}]`,
		"remember":        true,
	}
}

func TestCodecKeepsValueTypes(t *testing.T) {
	deadline := time.Date(2026, 12, 27, 10, 30, 0, 123456789, time.UTC)
	b, err := codec{}.Encode(deadline, shopperValues())
	require.NoError(t, err)
	require.Equal(t, byte(jsonMarker), b[0], "written as JSON")

	gotDeadline, got, err := codec{}.Decode(b)
	require.NoError(t, err)
	require.True(t, deadline.Equal(gotDeadline), "deadline %s, got %s", deadline, gotDeadline)
	// Equal compares dynamic types too: an int read back as int64 (or float64) fails.
	require.Equal(t, shopperValues(), got)
}

func TestCodecReadsSessionsWrittenAsGob(t *testing.T) {
	deadline := time.Now().Add(time.Hour).Round(0)
	old, err := scs.GobCodec{}.Encode(deadline, shopperValues())
	require.NoError(t, err)

	gotDeadline, got, err := codec{}.Decode(old)
	require.NoError(t, err, "a shopper signed in before the codec changed stays signed in")
	require.True(t, deadline.Equal(gotDeadline))
	require.Equal(t, shopperValues(), got)
}

func TestCodecFallsBackToGobForOtherTypes(t *testing.T) {
	values := shopperValues()
	values["score"] = 0.75
	b, err := codec{}.Encode(time.Now(), values)
	require.NoError(t, err)
	require.NotEqual(t, byte(jsonMarker), b[0], "a float64 has no tag: the session is gob")

	_, got, err := codec{}.Decode(b)
	require.NoError(t, err)
	require.Equal(t, values, got)
}

func TestCodecRefusesDamagedData(t *testing.T) {
	_, _, err := codec{}.Decode([]byte{jsonMarker, '{', '"', 'd'})
	require.Error(t, err)
	_, _, err = codec{}.Decode([]byte{jsonMarker, '{', '"', 'v', '"', ':', '{', '"', 'k', '"', ':', '{', '}', '}', '}'})
	require.ErrorContains(t, err, `value "k" has no type`)
}

// BenchmarkCodec compares decoding a shopper's session, as every request does, with
// scs's gob codec (the baseline) and with ours.
func BenchmarkCodec(b *testing.B) {
	deadline := time.Now().Add(time.Hour)
	for _, c := range []struct {
		name  string
		codec scs.Codec
	}{{"gob", scs.GobCodec{}}, {"json", codec{}}} {
		data, err := c.codec.Encode(deadline, shopperValues())
		require.NoError(b, err)
		b.Run(c.name+"/decode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.codec.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/encode", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.codec.Encode(deadline, shopperValues()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
