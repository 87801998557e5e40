#!/usr/bin/env bash
# make-media-bf.sh writes the "bf" variant of the bundled stream assets under
# media/bf/: the same content, ads and slate as scripts/make-media.sh, as
# CMAF fMP4 with separate video/ and audio/ tracks like the default media,
# but encoded and packaged the way real creatives usually are, so the tests
# and the bench can see what that does to beacon timing on fMP4 (HLS and
# DASH; scripts/make-media-ts.sh covers MPEG-TS):
#
#   - H.264 with x264's default B-frames (3, pyramid): the trun of every
#     fragment carries composition time offsets, and the first presented
#     frame of a segment lies two frame durations (1024 ticks at 15360 Hz)
#     after its decode time (tfdt);
#   - both tracks come out of one ffmpeg run, so the mp4 muxer writes the
#     edit lists it writes for such media: an empty edit of the composition
#     delay for video, and for audio one that starts it a few ms before the
#     first video frame. Chromium's MSE ignores those edits (it places
#     samples at tfdt + offset), which is what a player meets in the field;
#   - AAC-LC with its 1024-sample encoder priming kept (not trimmed as in
#     the default media), its source starting 8 ms in;
#   - media durations a few ms off the nominal 2 s: the audio segments hold
#     whole AAC frames (93 or 94) and run over the video cut, and every
#     track starts off the zero of the session timeline.
#
# Video cut points are those of the CMAF media (2 s GOPs at 30 fps, no scene
# cuts), so EXTINF, the DASH SegmentTimeline's video and the tracking
# response stay the same; every frame carries the code of
# scripts/framecode.sh. The emulator reads this variant's real timing
# (tfdt, trun, timescales) from the boxes (media/fmp4.go) and serves it to
# HLS and DASH sessions created with adsParams.media=bf. ffmpeg 5.x with
# libx264 and drawtext is needed.
#
# Usage: scripts/make-media-bf.sh [outdir]    (default: media next to this script)
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

W=640 H=360 FPS=30 SEG=2 RATE=48000
ff=(ffmpeg -hide_banner -loglevel error -nostdin -y)

# x264 defaults apart from the GOP (cut points must match the CMAF media) and
# the rate caps, half the CMAF media's (video 150 kbit/s, audio 48), which
# keep this third copy of the assets at 2.5 MB; the frame code's cells stay
# flat at that rate. Same codec strings as the CMAF media (avc1.4d401e,
# mp4a.40.2), so one MPD/playlist shape fits both.
venc=(-c:v libx264 -preset medium -profile:v main -level:v 3.0 -pix_fmt yuv420p
	-r $FPS -g $((FPS * SEG)) -keyint_min $((FPS * SEG)) -sc_threshold 0
	-x264-params "scenecut=0:open_gop=0:nal-hrd=none"
	-crf 30 -maxrate 150k -bufsize 150k)
aenc=(-c:a aac -b:a 48k -ar $RATE -ac 2)

# bf_asset <id> <reldir> <seconds> <video graph> <audio graph>
bf_asset() {
	local id=$1 rel=$2 secs=$3 vgraph=$4 agraph=$5
	local dir=$work/bf/$rel
	echo "  bf $id (${secs}s)" >&2
	mkdir -p "$dir"
	# One run, two tracks: var_stream_map splits them into video/ and
	# audio/ with one time origin, so the edit lists keep their offset. The
	# audio input starts 8 ms into its source and keeps its priming; it
	# stops 25 ms short of the video (priming included it ends about 4 ms
	# before it), or its last AAC frames would spill into a runt segment
	# past the last video cut that no manifest lists.
	(cd "$dir" && "${ff[@]}" -f lavfi -i "$vgraph$(frame_code "${FC_ASSET[$id]}")" \
		-ss 0.008 -t "$(awk -v s="$secs" 'BEGIN { print s - 0.025 }')" -f lavfi -i "$agraph" -t "$secs" \
		-map 0:v -map 1:a "${venc[@]}" "${aenc[@]}" -shortest \
		-f hls -hls_time $SEG -hls_playlist_type vod -hls_segment_type fmp4 \
		-hls_fmp4_init_filename init.mp4 -start_number 1 \
		-var_stream_map "v:0,name:video a:0,name:audio" \
		-hls_segment_filename '%v/seg-%05d.m4s' '%v/track.m3u8')
	# The muxer numbers the init segments of a stream map (init_0.mp4);
	# the emulator serves <track>/init.mp4 as for the CMAF media.
	local t n
	for t in video audio; do
		rm "$dir/$t/track.m3u8"
		for n in "$dir/$t"/init_*.mp4; do mv "$n" "$dir/$t/init.mp4"; done
	done
	# -shortest ends on the video; an audio fragment past its last cut
	# would be a segment the manifests never list.
	local nv na
	nv=$(find "$dir/video" -name 'seg-*.m4s' | wc -l)
	na=$(find "$dir/audio" -name 'seg-*.m4s' | wc -l)
	if [ "$na" -gt "$nv" ]; then
		echo "    audio has $na segments, video $nv" >&2
		exit 1
	fi
}

esc() { sed -e 's/[\\:'"'"',%]/\\&/g' <<<"$1"; }

label_graph() {
	local bg=$1 label=$2
	printf '%s' "color=c=$bg:s=${W}x${H}:r=$FPS,format=yuv420p,"
	printf '%s' "drawtext=fontfile=$font:text='$(esc "$label")':fontsize=64:fontcolor=white:x=(w-tw)/2:y=90,"
	printf '%s' "drawtext=fontfile=$font:text='%{pts\\:hms}':fontsize=32:fontcolor=white:x=(w-tw)/2:y=190,"
	printf '%s' "drawtext=fontfile=$font:text='fMP4 · B-frames':fontsize=28:fontcolor=white@0.85:x=(w-tw)/2:y=240,"
	printf '%s' "drawtext=fontfile=$font:text='●':fontsize=28:fontcolor=white:x='mod(t*160,w-30)':y=305"
}
tone_graph() { printf 'sine=frequency=%s:beep_factor=%s:sample_rate=%s' "$1" "$2" "$RATE"; }

content_v="testsrc2=s=${W}x${H}:r=$FPS,"
content_v+="drawtext=fontfile=$font:text='CONTENT BF %{pts\\:hms}':fontsize=40:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=8:x=20:y=20,"
content_v+="drawtext=fontfile=$font:text='frame %{n}':fontsize=24:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=6:x=20:y=h-50"
bf_asset main content/main 60 "$content_v" "$(tone_graph 440 4)"
bf_asset ad-a ads/ad-a 10 "$(label_graph 0xB22222 'AD A · 10 s')" "$(tone_graph 660 2)"
bf_asset ad-b ads/ad-b 6 "$(label_graph 0x1E56C8 'AD B · 6 s')" "$(tone_graph 880 2)"
bf_asset ad-c ads/ad-c 15 "$(label_graph 0x1F8A3A 'AD C · 15 s')" "$(tone_graph 550 2)"
bf_asset ad-d ads/ad-d 8 "$(label_graph 0x7B2FA8 'AD D · 8 s')" "$(tone_graph 770 2)"
bf_asset slate slate 2 \
	"color=c=0x505050:s=${W}x${H}:r=$FPS,format=yuv420p,drawtext=fontfile=$font:text='SLATE':fontsize=72:fontcolor=white:x=(w-tw)/2:y=(h-th)/2" \
	"anullsrc=r=$RATE:cl=stereo"

rm -rf "${out:?}/bf"
cp -r "$work/bf" "$out/bf"
echo "wrote $out/bf ($(du -sh "$out/bf" | cut -f1))" >&2
