package webtest

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHelpers(t *testing.T) {
	t.Parallel()
	root := Parse(t, `<p data-testid="price"> <b>12</b><i>kg</i>
		now</p><p data-testid="price">3</p><div data-testid="once" hidden>x</div>
		<form data-testid="form">
			<input type="hidden" name="key" value="k1">
			<input type="checkbox" name="on" checked><input type="checkbox" name="off" value="y">
			<input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
			<input type="submit" name="go" value="Go"><input name="gone" value="z" disabled>
			<fieldset disabled><input name="inside" value="z"></fieldset>
			<textarea name="note">
 two  spaces</textarea>
			<select name="pick"><option value="">Choose</option><option value="p" selected>P</option></select>
			<select name="first"><option value="f">F</option><option value="g">G</option></select>
			<select name="shown"><option value="">Choose</option><option value="x" selected disabled>X</option></select>
		</form>`)

	prices := ByTestID(root, "price")
	require.Len(t, prices, 2)
	require.Equal(t, []string{"12 kg now", "3"}, Texts(prices))
	require.Equal(t, []string{"12kg now", "3"}, TextContents(prices))
	once := One(t, root, "once")
	require.True(t, HasAttr(once, "hidden"))
	require.Empty(t, Attr(once, "hidden"))
	require.False(t, HasAttr(once, "id"))

	form := One(t, root, "form")
	require.Equal(t, " two  spaces", RawText(Control(t, form, "note")), "the newline after <textarea> is not content")
	require.Equal(t, url.Values{
		"key": {"k1"}, "on": {"on"}, "r": {"b"}, "note": {" two  spaces"}, "pick": {"p"}, "first": {"f"},
	}, FormValues(t, form))
}
