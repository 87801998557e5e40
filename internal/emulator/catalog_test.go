package emulator

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/availkit/availkit/media"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCatalogView checks the emulator's view of the bundled media.Catalog:
// the stitchable assets only, ads by duration, paths from media.
func TestCatalogView(t *testing.T) {
	mc, err := media.Load()
	require.NoError(t, err)
	c, err := newCatalog(mc)
	require.NoError(t, err)
	var ids []string
	for _, a := range c.Ads() {
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"ad-b", "ad-d", "ad-a", "ad-c"}, ids, "shortest first (docs: 6, 8, 10, 15 s)")
	assert.Equal(t, 6*time.Second, c.Ads()[0].Duration())
	assert.Equal(t, "ad-d", c.ClosestAd(7900*time.Millisecond).ID)
	assert.Nil(t, c.Ad("good"), "file kinds are not stitched")
	main := c.Content("")
	require.NotNil(t, main)
	assert.Equal(t, "content/main/video/seg-00001.m4s", main.SegPath("video", 0), "media numbers segments from 1")
	ts, ticks := main.Timing("audio")
	assert.Equal(t, int64(mc.Assets[0].Audio.Timescale), ts)
	assert.Len(t, ticks, len(main.Segments))
	require.NotNil(t, c.Slate())
}

func TestCatalogViewRejects(t *testing.T) {
	doc := func(kinds ...string) *media.Catalog {
		c := &media.Catalog{FS: fstest.MapFS{"a/video/init.mp4": {}}}
		for i, k := range kinds {
			c.Assets = append(c.Assets, &media.Asset{ID: string(rune('a' + i)), Kind: k, Path: "a", Segments: []float64{2},
				Video: &media.Track{}, Audio: &media.Track{}})
		}
		return c
	}
	for name, c := range map[string]*media.Catalog{
		"no file system": {Assets: doc(media.KindContent, media.KindAd, media.KindSlate).Assets},
		"no ad":          doc(media.KindContent, media.KindSlate),
		"no slate":       doc(media.KindContent, media.KindAd),
		"missing init":   {FS: fstest.MapFS{}, Assets: doc(media.KindContent, media.KindAd, media.KindSlate).Assets},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newCatalog(c)
			assert.Error(t, err)
		})
	}
	_, err := newCatalog(doc(media.KindContent, media.KindAd, media.KindSlate))
	assert.NoError(t, err, "the same catalog with everything is accepted")
}
