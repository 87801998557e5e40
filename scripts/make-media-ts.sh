#!/usr/bin/env bash
# make-media-ts.sh writes the "ts" variant of the bundled stream assets under
# media/ts/: the same content, ads and slate as scripts/make-media.sh, but
# encoded the way real creatives usually are, so the tests and the bench can
# see what that does to beacon timing:
#
#   - H.264 with x264's default B-frames (3, pyramid): the first presented
#     frame of every segment lies two frame durations after its first
#     decode timestamp;
#   - muxed MPEG-TS HLS segments (video + audio in one .ts file);
#   - AAC-LC with its encoder priming kept (1024 samples) and audio starting
#     a few ms before video, so players that place a segment by its first
#     timestamp of either track put the first video frame late;
#   - segment media durations a few ms off the 2 s EXTINF the emulator
#     writes (the audio of each segment runs over the video cut).
#
# Frame cuts are the same as the CMAF media (2 s GOPs at 30 fps, no scene
# cuts), and every frame carries the code of scripts/framecode.sh.
# The emulator serves this variant for HLS sessions created with
# adsParams.media=ts. ffmpeg 5.x with libx264 and drawtext is needed.
#
# Usage: scripts/make-media-ts.sh [outdir]    (default: media next to this script)
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
# the rate cap that keeps the files small.
venc=(-c:v libx264 -preset medium -profile:v main -level:v 3.0 -pix_fmt yuv420p
	-r $FPS -g $((FPS * SEG)) -keyint_min $((FPS * SEG)) -sc_threshold 0
	-x264-params "scenecut=0:open_gop=0"
	-crf 30 -maxrate 300k -bufsize 300k)
aenc=(-c:a aac -b:a 64k -ar $RATE -ac 2)

# ts_asset <id> <reldir> <seconds> <video graph> <audio graph>
ts_asset() {
	local id=$1 rel=$2 secs=$3 vgraph=$4 agraph=$5
	local dir=$work/ts/$rel
	echo "  ts $id (${secs}s)" >&2
	mkdir -p "$dir"
	# The audio input starts 8 ms into its source and is not trimmed, so the
	# AAC priming frame stays in front of it.
	(cd "$dir" && "${ff[@]}" -f lavfi -i "$vgraph$(frame_code "${FC_ASSET[$id]}")" \
		-ss 0.008 -f lavfi -i "$agraph" -t "$secs" \
		-map 0:v -map 1:a "${venc[@]}" "${aenc[@]}" -shortest \
		-f hls -hls_time $SEG -hls_playlist_type vod -hls_segment_type mpegts \
		-start_number 1 -hls_segment_filename seg-%05d.ts track.m3u8 && rm track.m3u8)
}

esc() { sed -e 's/[\\:'"'"',%]/\\&/g' <<<"$1"; }

label_graph() {
	local bg=$1 label=$2 secs=$3
	printf '%s' "color=c=$bg:s=${W}x${H}:r=$FPS,format=yuv420p,"
	printf '%s' "drawtext=fontfile=$font:text='$(esc "$label")':fontsize=64:fontcolor=white:x=(w-tw)/2:y=90,"
	printf '%s' "drawtext=fontfile=$font:text='%{pts\\:hms}':fontsize=32:fontcolor=white:x=(w-tw)/2:y=190,"
	printf '%s' "drawtext=fontfile=$font:text='TS · B-frames':fontsize=28:fontcolor=white@0.85:x=(w-tw)/2:y=240,"
	printf '%s' "drawtext=fontfile=$font:text='●':fontsize=28:fontcolor=white:x='mod(t*160,w-30)':y=305"
}
tone_graph() { printf 'sine=frequency=%s:beep_factor=%s:sample_rate=%s' "$1" "$2" "$RATE"; }

content_v="testsrc2=s=${W}x${H}:r=$FPS,"
content_v+="drawtext=fontfile=$font:text='CONTENT TS %{pts\\:hms}':fontsize=40:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=8:x=20:y=20,"
content_v+="drawtext=fontfile=$font:text='frame %{n}':fontsize=24:fontcolor=white:box=1:boxcolor=black@0.65:boxborderw=6:x=20:y=h-50"
ts_asset main content/main 60 "$content_v" "$(tone_graph 440 4)"
ts_asset ad-a ads/ad-a 10 "$(label_graph 0xB22222 'AD A · 10 s' 10)" "$(tone_graph 660 2)"
ts_asset ad-b ads/ad-b 6 "$(label_graph 0x1E56C8 'AD B · 6 s' 6)" "$(tone_graph 880 2)"
ts_asset ad-c ads/ad-c 15 "$(label_graph 0x1F8A3A 'AD C · 15 s' 15)" "$(tone_graph 550 2)"
ts_asset ad-d ads/ad-d 8 "$(label_graph 0x7B2FA8 'AD D · 8 s' 8)" "$(tone_graph 770 2)"
ts_asset slate slate 2 \
	"color=c=0x505050:s=${W}x${H}:r=$FPS,format=yuv420p,drawtext=fontfile=$font:text='SLATE':fontsize=72:fontcolor=white:x=(w-tw)/2:y=(h-th)/2" \
	"anullsrc=r=$RATE:cl=stereo"

rm -rf "${out:?}/ts"
cp -r "$work/ts" "$out/ts"
echo "wrote $out/ts ($(du -sh "$out/ts" | cut -f1))" >&2
