package catalogweb_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/monoshop/monoshop/internal/catalog"
	"github.com/monoshop/monoshop/internal/platform/audit"
)

// TestListingCacheFollowsTheCatalog asks for the same filtered category URL before and
// after a product in it is archived: the remembered listing must not outlive the change.
func TestListingCacheFollowsTheCatalog(t *testing.T) {
	t.Parallel()
	e := newListingEnv(t)
	url := "/c/jeans?sort=price_asc"
	before := e.page(t, url)
	cards := before.cards()
	require.NotEmpty(t, cards)
	again := e.page(t, url)
	require.Equal(t, slugsOf(cards), slugsOf(again.cards()), "the same URL gives the same page")

	p, err := e.svc.FindProductBySlug(t.Context(), cards[0].slug)
	require.NoError(t, err)
	n, err := e.svc.SetProductsStatus(t.Context(), audit.Actor{}, []catalog.ProductID{p.ID}, catalog.StatusArchived)
	require.NoError(t, err)
	require.Equal(t, 1, n)

	after := e.page(t, url)
	require.NotContains(t, slugsOf(after.cards()), cards[0].slug, "an archived product leaves the remembered listing")
	require.Equal(t, before.count()-1, after.count())
}
