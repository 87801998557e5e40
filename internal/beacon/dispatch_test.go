package beacon

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllowed(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://ads.example.com/t?e=1", true},
		{"http://ads.example.com/t", true},
		{"HTTPS://ads.example.com/t", true},
		{"http://127.0.0.1:8080/beacon/x", true},
		{"about:blank", false},
		{"javascript:alert(1)", false},
		{"data:text/plain,hi", false},
		{"//ads.example.com/t", false},
		{"/beacon/x", false},
		{"ftp://ads.example.com/t", false},
		{"https://user:pw@ads.example.com/t", false},
		{"https://user@ads.example.com/t", false},
		{"https:///path-only", false},
		{"https:ads.example.com", false},
		{"http://ads.example.com/a b\n", false},
		{"httpx://ads.example.com", false},
		{"https://[::1]:8443/b", true},
		{"https://ads.example.com:443", true},
		{"https://ads.example.com\\evil.example/x", false},
		{"https://:80/x", false},
		{"https://ads.example.com:80x/", false},
		{"https://[::1/x", false},
		{"https://ads.example.com/x?u=http://user@host", true},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			assert.Equal(t, tt.want, Allowed(tt.url))
		})
	}
}

// TestSet: identity is {avail, ad, eventId or type, type, index}; the URL
// text is not part of it.
func TestSet(t *testing.T) {
	var s Set
	k := Key{AvailID: "1", AdID: "2", EventID: "3", EventType: "firstQuartile", URL: "https://a/x"}
	assert.True(t, s.Add(k))
	assert.False(t, s.Add(k))
	other := k
	other.URL = "https://a/x?cb=re-signed"
	assert.False(t, s.Add(other), "same event, URL changed by a later poll: the same beacon")
	// Same eventId, other type or position: distinct beacons.
	assert.True(t, s.Add(Key{AvailID: "1", AdID: "2", EventID: "3", EventType: "midpoint", URL: "https://a/x"}))
	assert.True(t, s.Add(Key{AvailID: "1", AdID: "2", EventID: "3", EventType: "firstQuartile", URL: "https://b/x", Index: 1}))
	assert.True(t, s.Add(Key{AvailID: "9", AdID: "2", EventID: "3", EventType: "firstQuartile", URL: "https://a/x"}))
	// No eventId: the type stands in for it.
	assert.True(t, s.Add(Key{AvailID: "1", AdID: "2", EventType: "impression"}))
	assert.False(t, s.Add(Key{AvailID: "1", AdID: "2", EventID: "impression", EventType: "impression"}))
	assert.Equal(t, 5, s.Len())
	assert.Equal(t, 2, s.Avails())
	s.DeleteAvail("1")
	assert.Equal(t, 1, s.Len())
	assert.Equal(t, 1, s.Avails())
	assert.False(t, s.Has(k))
	assert.True(t, s.Add(k))
	s.DeleteAvail("1")
	s.DeleteAvail("9")
	assert.Zero(t, s.Len())
	assert.Zero(t, s.Bytes(), "nothing held once every avail is forgotten")
}

// fakeSender records requests and lets the test decide each outcome.
type fakeSender struct {
	urls    []string
	pending []func(error)
	// auto, when set, answers synchronously with the next error of the list.
	auto []error
}

func (f *fakeSender) send(u string, done func(error)) {
	f.urls = append(f.urls, u)
	if f.auto != nil {
		err := f.auto[0]
		f.auto = f.auto[1:]
		done(err)
		return
	}
	f.pending = append(f.pending, done)
}

func (f *fakeSender) answer(err error) {
	done := f.pending[0]
	f.pending = f.pending[1:]
	done(err)
}

func TestDispatcher(t *testing.T) {
	netErr := errors.New("network error")
	k := Key{AvailID: "1", AdID: "2", EventID: "3", EventType: "start", URL: "https://a.example/s?cb=[CACHEBUSTING]"}
	const u = "https://a.example/s?cb=00000001"

	tests := []struct {
		name         string
		outcomes     []error
		wantRequests int
		wantErr      error
		wantAttempts int
	}{
		{"success: no retry", []error{nil}, 1, nil, 1},
		{"network error: one retry that succeeds", []error{netErr, nil}, 2, nil, 2},
		{"network error twice: failure reported after one retry", []error{netErr, netErr}, 2, netErr, 2},
		{"permanent error: no retry", []error{fmt.Errorf("blocked: %w", ErrNoRetry)}, 1, ErrNoRetry, 1},
	}
	for _, tt := range tests {
		for _, sync := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/sync=%v", tt.name, sync), func(t *testing.T) {
				f := &fakeSender{}
				if sync {
					f.auto = append([]error{}, tt.outcomes...)
				}
				var results []Result
				d := NewDispatcher(f.send, func(r Result) { results = append(results, r) })
				require.True(t, d.Fire(k, u))
				if !sync {
					for _, err := range tt.outcomes {
						require.Len(t, f.pending, 1)
						assert.Equal(t, 1, d.Pending())
						f.answer(err)
					}
				}
				assert.Len(t, f.urls, tt.wantRequests)
				assert.Empty(t, f.pending, "no further request after the outcome")
				require.Len(t, results, 1)
				assert.ErrorIs(t, results[0].Err, tt.wantErr)
				if tt.wantErr == nil {
					assert.NoError(t, results[0].Err)
				}
				assert.Equal(t, tt.wantAttempts, results[0].Attempts)
				assert.Equal(t, u, results[0].URL)
				assert.Equal(t, k, results[0].Key)
				assert.Zero(t, d.Pending())

				// The same key is never fired again, whatever the outcome.
				assert.False(t, d.Fire(k, u))
				assert.Len(t, f.urls, tt.wantRequests)
				assert.True(t, d.Fired(k))
			})
		}
	}
}

func TestDispatcherRetryDelay(t *testing.T) {
	f := &fakeSender{}
	var results []Result
	d := NewDispatcher(f.send, func(r Result) { results = append(results, r) })
	var later []func()
	d.SetRetryDelay(func(retry func()) { later = append(later, retry) })
	k := Key{AvailID: "1", AdID: "2", EventType: "start", URL: "https://a.example/s"}
	require.True(t, d.Fire(k, k.URL))
	f.answer(errors.New("refused"))
	assert.Len(t, f.urls, 1, "no second request until the delay runs the retry")
	assert.Empty(t, results)
	assert.Equal(t, 1, d.Pending(), "still pending while it waits")
	require.Len(t, later, 1)
	later[0]()
	require.Len(t, f.pending, 1)
	f.answer(nil)
	require.Len(t, results, 1)
	assert.NoError(t, results[0].Err)
	assert.Equal(t, 2, results[0].Attempts)
	assert.Zero(t, d.Pending())
}

func TestDispatcherDoneTwiceIgnored(t *testing.T) {
	var dones []func(error)
	var results []Result
	d := NewDispatcher(func(u string, done func(error)) { dones = append(dones, done) },
		func(r Result) { results = append(results, r) })
	d.Fire(Key{URL: "https://a.example/x"}, "https://a.example/x")
	dones[0](errors.New("boom"))
	dones[0](errors.New("boom again")) // buggy sender: must not start a third request
	require.Len(t, dones, 2)
	dones[1](nil)
	dones[1](nil)
	require.Len(t, results, 1)
	assert.NoError(t, results[0].Err)
}

func TestDispatcherRefusesBadURLs(t *testing.T) {
	f := &fakeSender{}
	var results []Result
	d := NewDispatcher(f.send, func(r Result) { results = append(results, r) })
	k := Key{EventType: "impression", URL: "about:blank"}
	assert.False(t, d.Fire(k, "about:blank"))
	assert.False(t, d.Fire(k, "about:blank"))
	assert.Empty(t, f.urls)
	require.Len(t, results, 1, "refusal reported once")
	assert.ErrorIs(t, results[0].Err, ErrNotAllowed)
	assert.Zero(t, results[0].Attempts)
}

func TestDispatcherDistinctURLsOfOneEvent(t *testing.T) {
	f := &fakeSender{auto: []error{nil, nil, nil}}
	d := NewDispatcher(f.send, nil)
	base := Key{AvailID: "1", AdID: "1", EventID: "1", EventType: "impression"}
	a, b := base, base
	a.URL, b.URL, b.Index = "https://a.example/i", "https://b.example/i", 1
	assert.True(t, d.Fire(a, a.URL))
	assert.True(t, d.Fire(b, b.URL))
	assert.False(t, d.Fire(a, a.URL))
	d.Forget("1")
	assert.True(t, d.Fire(a, a.URL), "forgotten avail may fire again")
	assert.Equal(t, []string{a.URL, b.URL, a.URL}, f.urls)
}
