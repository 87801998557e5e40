#!/usr/bin/env bash
# make-media.sh regenerates the bundled test media under media/ and writes
# media/catalog.json. The output is committed, so a fresh checkout needs no
# ffmpeg; run this only when the media must change (ffmpeg 5.x with libx264,
# libmp3lame and drawtext, ffprobe, jq).
#
# Usage: scripts/make-media.sh [outdir]    (default: media next to this script)
#
# Every HLS/DASH asset is two CMAF tracks (video/ and audio/, init.mp4 +
# seg-00001.m4s ...) cut at exactly 2 s of video (GOP = 60 frames at 30 fps,
# no scene-cut keyframes). Content, ads and slate share one encoding
# (resolution, fps, profile, level, timescale, audio layout) so players cross
# the discontinuities/periods the emulator stitches without re-initialising.
# AAC frames are 1024 samples, which do not divide 2 s at 48 kHz, so the
# audio segments are 1.984..2.005 s; the catalog records the real per-segment
# durations read back with ffprobe.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../media"}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# shellcheck source=framecode.sh
. "$here/framecode.sh"

font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
[ -f "$font" ] || font=$(fc-match -f '%{file}' 'DejaVu Sans:bold')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

W=640 H=360 FPS=30 SEG=2
RATE=48000
ff=(ffmpeg -hide_banner -loglevel error -nostdin -y)

# Shared encoder settings: H.264 Main@3.0 (avc1.4d401e), capped ~300 kbps;
# AAC-LC 64 kbps stereo 48 kHz (mp4a.40.2). No B-frames: their composition
# delay starts each track ~66 ms late behind an edit list that hls.js
# ignores, which opened a stall at every stitched discontinuity.
venc=(-an -c:v libx264 -preset medium -profile:v main -level:v 3.0 -pix_fmt yuv420p -bf 0
	-r $FPS -g $((FPS * SEG)) -keyint_min $((FPS * SEG)) -sc_threshold 0
	-x264-params "scenecut=0:open_gop=0:nal-hrd=none"
	-crf 30 -maxrate 300k -bufsize 300k)
aenc=(-vn -c:a aac -b:a 64k -ar $RATE -ac 2)
cmaf=(-f hls -hls_time $SEG -hls_playlist_type vod -hls_segment_type fmp4
	-hls_fmp4_init_filename init.mp4 -start_number 1 -hls_segment_filename seg-%05d.m4s)

# cmaf_track <dir> <lavfi graph> <ffmpeg encode args...> encodes one track.
cmaf_track() {
	local dir=$1 graph=$2
	shift 2
	mkdir -p "$dir"
	(cd "$dir" && "${ff[@]}" -f lavfi -i "$graph" "$@" "${cmaf[@]}" track.m3u8 && rm track.m3u8)
}

# track_json <dir> <kind video|audio> prints the catalog track object: exact
# per-segment durations (sum of the samples' durations, from ffprobe), the
# timescale, and peak/average bandwidth measured from segment sizes.
track_json() {
	local dir=$1 kind=$2 tb seg bounds=() bytes=() off
	tb=$(ffprobe -v error -select_streams 0 -show_entries stream=time_base -of csv=p=0 "$dir/init.mp4")
	# Probe the whole track at once: ffprobe reports no duration for the
	# first sample of a lone fragment, so per-segment probes undercount.
	cat "$dir/init.mp4" >"$work/probe.mp4"
	off=$(stat -c %s "$dir/init.mp4")
	for seg in "$dir"/seg-*.m4s; do
		bounds+=("$off")
		bytes+=("$(stat -c %s "$seg")")
		off=$((off + $(stat -c %s "$seg")))
		cat "$seg" >>"$work/probe.mp4"
	done
	local durs total
	# A packet without a duration lasts until the next one's decode time.
	# Packets are assigned to segments by byte position. The muxer shortens
	# the very last audio sample to the real end (trun), which only the
	# stream duration reflects, so the last segment takes the remainder of
	# it. (Video's stream duration includes the B-frame delay: not there.)
	total=-1
	if [ "$kind" = audio ]; then
		total=$(ffprobe -v error -select_streams 0 -show_entries stream=duration_ts -of csv=p=0 "$work/probe.mp4")
	fi
	durs=$(ffprobe -v error -select_streams 0 -show_entries packet=dts,duration,pos -of csv=p=0 "$work/probe.mp4" |
		awk -F, -v b="${bounds[*]}" -v total="$total" '
			BEGIN { nb = split(b, B, " ") }
			{ dts[NR] = $1; dur[NR] = $2; pos[NR] = $3 }
			END {
				for (i = 1; i <= NR; i++) {
					d = (dur[i] != "N/A" || i == NR) ? dur[i] : dts[i + 1] - dts[i]
					s = nb; while (s > 1 && pos[i] < B[s]) s--
					T[s] += d
				}
				if (total >= 0) {
					rest = total - dts[1]
					for (s = 1; s < nb; s++) rest -= T[s]
					T[nb] = rest
				}
				for (s = 1; s <= nb; s++) printf "%d\n", T[s]
			}')
	mapfile -t durs <<<"$durs"
	local ts=${tb#1/}
	local codecs
	if [ "$kind" = video ]; then
		# avc1.PPCCLL from the avcC box: profile, constraint flags, level.
		codecs=avc1.$(xxd -p "$dir/init.mp4" | tr -d '\n' | sed -n 's/.*61766343..\(......\).*/\1/p')
	else
		codecs=mp4a.40.2
	fi
	jq -n --arg kind "$kind" --arg codecs "$codecs" --argjson ts "$ts" \
		--argjson ticks "$(printf '%s\n' "${durs[@]}" | jq -s .)" \
		--argjson bytes "$(printf '%s\n' "${bytes[@]}" | jq -s .)" \
		--argjson w $W --argjson h $H --argjson fps $FPS --argjson rate $RATE '
		{codecs: $codecs, timescale: $ts,
		 segmentTicks: $ticks,
		 segments: [$ticks[] / $ts],
		 duration: (($ticks | add) / $ts),
		 bandwidth: ([range(0; $ticks | length) as $i | $bytes[$i] * 8 * $ts / $ticks[$i]] | max | ceil),
		 averageBandwidth: ((($bytes | add) * 8 * $ts / ($ticks | add)) | ceil)}
		+ (if $kind == "video" then {width: $w, height: $h, frameRate: $fps}
		   else {sampleRate: $rate, channels: 2} end)'
}

# stream_asset <kind> <id> <reldir> <seconds> <title> <video graph> <audio graph> [extra json]
stream_asset() {
	local kind=$1 id=$2 rel=$3 secs=$4 title=$5 vgraph=$6 agraph=$7 extra=${8:-"{}"}
	local dir=$work/tree/$rel samples=$((secs * RATE))
	echo "  $kind $id (${secs}s)" >&2
	# Every frame carries its asset and frame number (scripts/framecode.sh).
	cmaf_track "$dir/video" "$vgraph$(frame_code "${FC_ASSET[$id]}")" -t "$secs" "${venc[@]}"
	# The AAC encoder adds one 1024-sample priming frame; trimming that much
	# keeps the track from spilling a ~21 ms runt segment past the video.
	cmaf_track "$dir/audio" "$agraph" -af "atrim=end_sample=$((samples - 1024))" "${aenc[@]}"
	local v a
	v=$(track_json "$dir/video" video)
	a=$(track_json "$dir/audio" audio)
	jq -n --arg kind "$kind" --arg id "$id" --arg path "$rel" --arg title "$title" \
		--argjson v "$v" --argjson a "$a" --argjson extra "$extra" '
		{id: $id, kind: $kind, title: $title, path: $path,
		 duration: $v.duration, segments: $v.segments,
		 video: $v, audio: $a} + $extra' >"$work/entry-$kind-$id.json"
}

esc() { sed -e 's/[\\:'"'"',%]/\\&/g' <<<"$1"; }

# label_graph <bg colour> <label> <seconds>: a solid card with the big label,
# a running clock, a countdown and a moving dot (so frames differ visibly).
label_graph() {
	local bg=$1 label=$2 secs=$3
	printf '%s' "color=c=$bg:s=${W}x${H}:r=$FPS,format=yuv420p,"
	printf '%s' "drawtext=fontfile=$font:text='$(esc "$label")':fontsize=64:fontcolor=white:x=(w-tw)/2:y=90,"
	printf '%s' "drawtext=fontfile=$font:text='%{pts\\:hms}':fontsize=32:fontcolor=white:x=(w-tw)/2:y=190,"
	printf '%s' "drawtext=fontfile=$font:text='ends in %{eif\\:ceil($secs-t)\\:d} s':fontsize=28:fontcolor=white@0.85:x=(w-tw)/2:y=240,"
	printf '%s' "drawtext=fontfile=$font:text='●':fontsize=28:fontcolor=white:x='mod(t*160,w-30)':y=305"
}

# tone_graph <Hz> <beeps>: a sine (about -18 dBFS) with a higher beep every
# second so A/V sync and the cut points are audible.
tone_graph() { printf 'sine=frequency=%s:beep_factor=%s:sample_rate=%s' "$1" "$2" "$RATE"; }

echo "content" >&2
content_v="testsrc2=s=${W}x${H}:r=$FPS,"
content_v+="drawtext=fontfile=$font:text='CONTENT %{pts\\:hms}':fontsize=40:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=8:x=20:y=20,"
content_v+="drawtext=fontfile=$font:text='frame %{n}':fontsize=24:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=6:x=20:y=h-50"
stream_asset content main content/main 60 "Content · 60 s clock" "$content_v" "$(tone_graph 440 4)"

echo "ads" >&2
stream_asset ad ad-a ads/ad-a 10 "AD A · 10 s" "$(label_graph 0xB22222 'AD A · 10 s' 10)" "$(tone_graph 660 2)" '{"vastDuration": 10}'
stream_asset ad ad-b ads/ad-b 6 "AD B · 6 s" "$(label_graph 0x1E56C8 'AD B · 6 s' 6)" "$(tone_graph 880 2)" '{"vastDuration": 6}'
stream_asset ad ad-c ads/ad-c 15 "AD C · 15 s" "$(label_graph 0x1F8A3A 'AD C · 15 s' 15)" "$(tone_graph 550 2)" '{"vastDuration": 15}'
stream_asset ad ad-d ads/ad-d 8 "AD D · 8 s" "$(label_graph 0x7B2FA8 'AD D · 8 s' 8)" "$(tone_graph 770 2)" '{"vastDuration": 8}'
stream_asset slate slate slate 2 "SLATE · 2 s (repeatable)" \
	"color=c=0x505050:s=${W}x${H}:r=$FPS,format=yuv420p,drawtext=fontfile=$font:text='SLATE':fontsize=72:fontcolor=white:x=(w-tw)/2:y=(h-th)/2" \
	"anullsrc=r=$RATE:cl=stereo"

echo "progressive mp4 (VPAID creative video)" >&2
mkdir -p "$work/tree/progressive"
"${ff[@]}" -f lavfi -i "$(label_graph 0xD2691E 'VPAID · 6 s' 6)" -f lavfi -i "$(tone_graph 990 2)" -t 6 \
	-map 0:v -map 1:a -c:v libx264 -preset medium -profile:v main -level:v 3.0 -pix_fmt yuv420p -bf 0 \
	-g $((FPS * SEG)) -crf 30 -maxrate 300k -bufsize 300k -c:a aac -b:a 64k -ar $RATE -ac 2 \
	-movflags +faststart "$work/tree/progressive/vpaid-video.mp4"
probe_dur() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }
jq -n --argjson d "$(probe_dur "$work/tree/progressive/vpaid-video.mp4")" \
	--argjson size "$(stat -c %s "$work/tree/progressive/vpaid-video.mp4")" '
	{id: "vpaid-video", kind: "mp4", title: "VPAID · 6 s", file: "progressive/vpaid-video.mp4",
	 mimeType: "video/mp4", duration: $d, vastDuration: 6, size: $size,
	 bandwidth: (($size * 8 / $d) | ceil),
	 video: {codecs: "avc1.4d401e", width: 640, height: 360},
	 audio: {codecs: "mp4a.40.2"}}' >"$work/entry-mp4-vpaid-video.json"

# ebur128 <file> prints ffmpeg's integrated loudness (LUFS).
ebur128() {
	ffmpeg -hide_banner -nostdin -nostats -i "$1" -af ebur128=peak=sample -f null - 2>&1 |
		awk '/Integrated loudness:/ {f = 1} f && /I:/ {print $2; exit}'
}

# mp3_asset <id> <seconds> <target LUFS> <bad> <title> <lame args...>
# Two passes: measure the raw chord, then scale it to the target loudness.
mp3_asset() {
	local id=$1 secs=$2 target=$3 bad=$4 title=$5
	shift 5
	echo "  mp3 $id (${secs}s, ${target} LUFS)" >&2
	local src="sine=f=523.25:r=44100[a];sine=f=659.25:r=44100[b];sine=f=196:r=44100[c];[a][b][c]amix=inputs=3,aformat=channel_layouts=stereo"
	"${ff[@]}" -f lavfi -i "$src" -t "$secs" -c:a pcm_s16le "$work/$id.wav"
	local raw gain f=$work/tree/mp3/$id.mp3
	mkdir -p "$work/tree/mp3"
	raw=$(ebur128 "$work/$id.wav")
	gain=$(awk -v t="$target" -v r="$raw" 'BEGIN {printf "%.2f", t - r}')
	encode_mp3() {
		"${ff[@]}" -i "$work/$id.wav" \
			-af "volume=${gain}dB,afade=t=in:d=0.05,afade=t=out:st=$(awk -v s="$secs" 'BEGIN{print s-0.05}'):d=0.05" \
			-c:a libmp3lame "$@" -metadata title="$title" "$f"
	}
	encode_mp3 "$@"
	# The fades and the codec move the level a little: correct once.
	gain=$(awk -v g="$gain" -v t="$target" -v m="$(ebur128 "$f")" 'BEGIN {printf "%.2f", g + t - m}')
	encode_mp3 "$@"
	# Exact duration: decoded samples (the LAME tag trims delay and padding).
	local rate samples
	rate=$(ffprobe -v error -show_entries stream=sample_rate -of csv=p=0 "$f")
	samples=$(($("${ff[@]}" -i "$f" -f s16le -c:a pcm_s16le -ac 1 - | wc -c) / 2))
	jq -n --arg id "$id" --arg title "$title" --arg file "mp3/$id.mp3" \
		--argjson d "$(awk -v n="$samples" -v r="$rate" 'BEGIN {printf "%.6f", n / r}')" \
		--argjson lufs "$(ebur128 "$f")" --argjson rate "$rate" \
		--argjson size "$(stat -c %s "$f")" --argjson bad "$bad" '
		{id: $id, kind: "mp3", title: $title, file: $file, mimeType: "audio/mpeg",
		 duration: $d, vastDuration: 10, size: $size, bandwidth: (($size * 8 / $d) | ceil),
		 sampleRate: $rate, loudness: $lufs}
		+ (if $bad then {deliberatelyBad: true} else {} end)' >"$work/entry-mp3-$id.json"
}

echo "mp3 creatives" >&2
mp3_asset good 10 -24 false "Good MP3 · 10 s · -24 LUFS" -b:a 128k
mp3_asset bad 11.5 -14 true "Bad MP3 · 11.5 s · -14 LUFS (declared 10 s)" -q:a 2

# Replace only the generated subtrees: media/ also holds the Go package.
for d in content ads slate progressive mp3; do
	rm -rf "${out:?}/$d"
	cp -r "$work/tree/$d" "$out/$d"
done
jq -s '{version: 1, generator: "scripts/make-media.sh",
	assets: sort_by(({"content": 0, "ad": 1, "slate": 2, "mp4": 3, "mp3": 4}[.kind]), .id)}' \
	"$work"/entry-*.json >"$out/catalog.json"
echo "wrote $out ($(du -sh --exclude='*.go' "$out" | cut -f1))" >&2
