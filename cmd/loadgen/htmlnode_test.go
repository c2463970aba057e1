package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseHTML(t *testing.T) {
	t.Parallel()

	t.Run("AttributesAndText", func(t *testing.T) {
		t.Parallel()
		doc := parseHTML(`<!DOCTYPE html><html><head><title>A &amp; B</title>
			<script>if (a < b) document.write('<h1 data-testid="product-title">fake</h1>')</script>
			<style>h1 > span { color: red }</style></head>
			<body><!-- <h1 data-testid="product-title">commented</h1> -->
			<h1 class=big data-testid='product-title'>Red <em>Cotton</em>
			   T-Shirt &amp; Co</h1><img src="/x.png" alt=""><br/>
			<input disabled value="x"><p data-testid="product-brand">Acme</p></body></html>`)
		titles := doc.findAll(func(n *node) bool { return n.hasTestID("product-title") })
		require.Len(t, titles, 1, "script content and comments are not markup")
		require.Equal(t, "Red Cotton T-Shirt & Co", titles[0].textContent())
		cls, ok := titles[0].attr("class")
		require.True(t, ok)
		require.Equal(t, "big", cls)
		input := doc.findAll(func(n *node) bool { return n.tag == "input" })
		require.Len(t, input, 1)
		_, ok = input[0].attr("disabled")
		require.True(t, ok, "an attribute without a value is present")
		brands := doc.findAll(func(n *node) bool { return n.hasTestID("product-brand") })
		require.Len(t, brands, 1)
		require.Equal(t, "Acme", brands[0].textContent(), "void elements before it do not swallow it")
	})

	t.Run("EntitiesInAttributes", func(t *testing.T) {
		t.Parallel()
		doc := parseHTML(`<a href="/c/tops?brand=acme&amp;size=m">x</a>`)
		a := doc.findAll(func(n *node) bool { return n.tag == "a" })
		href, _ := a[0].attr("href")
		require.Equal(t, "/c/tops?brand=acme&size=m", href)
	})

	t.Run("StrayEndTagsAndBrokenMarkup", func(t *testing.T) {
		t.Parallel()
		doc := parseHTML(`<div data-testid="facet"></span><a data-testid="facet-value" href="/x">x</a></div><a href="/y">y</a> 1 < 2 <`)
		facet := doc.findAll(func(n *node) bool { return n.hasTestID("facet") })
		require.Len(t, facet, 1)
		require.Len(t, facet[0].findAll(func(n *node) bool { return n.tag == "a" }), 1,
			"the facet ends at its own end tag, not at a stray one")
		require.Contains(t, doc.textContent(), "1 < 2")
	})
}
