package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dashPeriod is one output Period: a run of consecutive segments of one
// asset pass (timestamps increase monotonically inside it).
type dashPeriod struct {
	id    string
	start time.Duration
	asset *asset
	first int   // index of the period's first segment: fixes presentationTimeOffset
	idxs  []int // listed segment indexes (consecutive)
	dur   time.Duration
	kind  segKind
}

func vodPeriods(p *plan) []dashPeriod {
	var out []dashPeriod
	for i, sg := range p.segs {
		if i == 0 || sg.period != p.segs[i-1].period {
			out = append(out, dashPeriod{id: sg.period, start: sg.acc, asset: sg.asset, first: sg.idx, kind: sg.kind})
		}
		cur := &out[len(out)-1]
		cur.idxs = append(cur.idxs, sg.idx)
		cur.dur += sg.dur
	}
	return out
}

// livePeriodStart is the start of the live period containing channel time t.
// ads reports whether break m gets ads in the session: a break playing the
// origin's content does not start or end a period: one content stretch is
// one Period up to the next break with ads or the loop end, so a player
// joining inside such a break sees no content-to-content period switch.
func (c *channel) livePeriodStart(t time.Duration, ads func(m int64) bool) time.Duration {
	best := t / c.loop * c.loop
	m0 := c.breakIndex(t)
	for m := m0 - 1; m <= m0; m++ {
		if m < 1 {
			continue
		}
		bs, be := c.breakWindow(m)
		if bs <= t && bs > best && ads(m) {
			best = bs
		}
		if be <= t && be > best && ads(m) {
			best = be
		}
	}
	return best
}

// dashLivePeriods lists the session's periods overlapping [now-depth, now],
// each with the segments published by now. Ids and starts depend only on
// the channel clock and the session's ad decisions, so they are stable
// across MPD updates.
func (srv *Server) dashLivePeriods(s *Session, ch *channel, now, depth time.Duration) []dashPeriod {
	from := max(now-depth, 0)
	srv.prefetch(s, ch, now)
	t := ch.livePeriodStart(from, func(m int64) bool { return s.live.adsIn(ch, m) })
	var out []dashPeriod
	// appendPass lists the published segments of an n-segment pass starting
	// at channel time start; false means nothing of it is published yet.
	appendPass := func(p dashPeriod, start time.Duration, n int) bool {
		pos := start
		for i := p.first; i < p.first+n; i++ {
			d := p.asset.Segments[i]
			if pos+d > now {
				if i == p.first {
					return false
				}
				break
			}
			if pos+d > from {
				p.idxs = append(p.idxs, i)
			}
			pos += d
		}
		if len(p.idxs) > 0 {
			out = append(out, p)
		}
		return true
	}
	for t < now {
		if m, in := ch.breakAt(t); in && s.live.adsIn(ch, m) {
			av := srv.liveBreak(s, ch, m, now)
			if av == nil {
				if s.live.timedOut[m] {
					continue
				}
				return out
			}
			for _, ad := range av.ads {
				pos, pass := ad.chStart, 0
				for x := 0; x < len(ad.segs); {
					// one asset pass
					n := 1
					for x+n < len(ad.segs) && ad.segs[x+n] != 0 {
						n++
					}
					id := ad.period
					if pass > 0 {
						id += "_" + strconv.Itoa(pass)
					}
					kind := segAd
					if ad.vpaid || ad.filler {
						kind = segSlate
					}
					p := dashPeriod{id: id, start: pos, asset: ad.asset, first: ad.segs[x], kind: kind, idxs: make([]int, 0, n)}
					if !appendPass(p, pos, n) {
						return out
					}
					for k := 0; k < n; k++ {
						pos += ad.segDur(x + k)
					}
					x += n
					pass++
				}
			}
			t = av.chEnd
			continue
		}
		// Content, including breaks playing the origin's content (begun
		// before the session or timed out), runs to the next break with
		// ads or the loop end in one period.
		q, i, _ := ch.slotAt(t)
		end := time.Duration(q+1) * ch.loop
		for b := ch.nextBreakStart(t); b < end; b = ch.nextBreakStart(b) {
			if m, _ := ch.breakAt(b); s.live.adsIn(ch, m) {
				end = b
			}
		}
		n := 0
		for pos := t; i+n < len(ch.content.Segments) && pos < end; n++ {
			pos += ch.content.Segments[i+n]
		}
		p := dashPeriod{id: strconv.FormatInt(t.Milliseconds(), 10), start: t, asset: ch.content, first: i, kind: segContent, idxs: make([]int, 0, n)}
		if !appendPass(p, t, n) {
			return out
		}
		t = end
	}
	return out
}

func (srv *Server) mpd(s *Session, periods []dashPeriod, live bool, now time.Duration, total time.Duration, location string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if live {
		depth := srv.dashDepth(s)
		fmt.Fprintf(&b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic" availabilityStartTime="%s" publishTime="%s" minimumUpdatePeriod="PT2S" timeShiftBufferDepth="%s" suggestedPresentationDelay="PT6S" minBufferTime="PT2S">`+"\n",
			astEpoch.Format(time.RFC3339), astEpoch.Add(now).Format("2006-01-02T15:04:05.000Z"), formatISODuration(depth))
	} else {
		fmt.Fprintf(&b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static" mediaPresentationDuration="%s" minBufferTime="PT2S">`+"\n",
			formatISODuration(total))
	}
	if live {
		// Players sync to the emulator's clock (the live edge is computed
		// from it), never to an Internet time server.
		fmt.Fprintf(&b, `  <UTCTiming schemeIdUri="urn:mpeg:dash:utc:direct:2014" value="%s"/>`+"\n", astEpoch.Add(now).Format("2006-01-02T15:04:05.000Z"))
	}
	if location != "" {
		fmt.Fprintf(&b, "  <Location>%s</Location>\n", xmlEscape(location))
	}
	for i, p := range periods {
		fmt.Fprintf(&b, `  <Period id="%s" start="%s"`, xmlEscape(p.id), formatISODuration(p.start))
		if !live {
			fmt.Fprintf(&b, ` duration="%s"`, formatISODuration(p.dur))
		} else if i+1 < len(periods) {
			fmt.Fprintf(&b, ` duration="%s"`, formatISODuration(periods[i+1].start-p.start))
		}
		b.WriteString(">\n")
		prefix := s.cfg.ContentSegmentURLPrefix
		if p.kind != segContent {
			prefix = s.cfg.AdSegmentURLPrefix
		}
		for _, track := range []string{"video", "audio"} {
			ts, pto, t, ticks := s.dashTiming(p, track)
			if track == "video" {
				fmt.Fprintf(&b, `    <AdaptationSet id="1" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1" maxWidth="%d" maxHeight="%d">`+"\n", p.asset.Video.Width, p.asset.Video.Height)
			} else {
				b.WriteString(`    <AdaptationSet id="2" contentType="audio" mimeType="audio/mp4" lang="en" segmentAlignment="true" startWithSAP="1">` + "\n")
				b.WriteString(`      <AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2"/>` + "\n")
			}
			media := s.withQuery(prefix + strings.Replace(s.segPath(p.asset, track, 0), fmt.Sprintf("seg-%05d.m4s", firstSegment), "seg-$Number%05d$.m4s", 1))
			if m := srv.dashAdMedia(s, p, track); m != "" {
				media = m // server reporting: the segment route fires the ad's beacons
			}
			fmt.Fprintf(&b, `      <SegmentTemplate timescale="%d" presentationTimeOffset="%d" startNumber="%d" initialization="%s" media="%s">`+"\n",
				ts, pto, p.idxs[0]+firstSegment, xmlEscape(s.withQuery(prefix+s.initPath(p.asset, track))), xmlEscape(media))
			b.WriteString("        <SegmentTimeline>")
			for k := 0; k < len(p.idxs); {
				d := ticks[p.idxs[k]]
				r := 0
				for k+r+1 < len(p.idxs) && ticks[p.idxs[k+r+1]] == d {
					r++
				}
				if k == 0 {
					fmt.Fprintf(&b, `<S t="%d" d="%d"`, t, d)
				} else {
					fmt.Fprintf(&b, `<S d="%d"`, d)
				}
				if r > 0 {
					fmt.Fprintf(&b, ` r="%d"`, r)
				}
				b.WriteString("/>")
				k += r + 1
			}
			b.WriteString("</SegmentTimeline>\n      </SegmentTemplate>\n")
			if track == "video" {
				fmt.Fprintf(&b, `      <Representation id="video" bandwidth="%d" codecs="%s" width="%d" height="%d" frameRate="30" sar="1:1"/>`+"\n",
					max(p.asset.Video.Bandwidth, 1), p.asset.Video.Codecs, p.asset.Video.Width, p.asset.Video.Height)
			} else {
				sr := p.asset.Audio.SampleRate
				if sr == 0 {
					sr = 48000
				}
				fmt.Fprintf(&b, `      <Representation id="audio" bandwidth="%d" codecs="%s" audioSamplingRate="%d"/>`+"\n",
					max(p.asset.Audio.Bandwidth, 1), p.asset.Audio.Codecs, sr)
			}
			b.WriteString("    </AdaptationSet>\n")
		}
		b.WriteString("  </Period>\n")
	}
	b.WriteString("</MPD>\n")
	return b.String()
}

// dashDepth is the live DASH time-shift window.
func (srv *Server) dashDepth(s *Session) time.Duration {
	return max(time.Duration(s.cfg.LiveWindowSegments)*2*time.Second, 30*time.Second)
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
