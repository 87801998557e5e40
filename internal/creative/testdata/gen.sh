#!/usr/bin/env bash
# gen.sh regenerates the MP3 fixtures of internal/creative and records what
# ffmpeg measures on each (decoded samples, sample rate, channels,
# ebur128 integrated loudness and sample peak) in ffmpeg.json, the golden
# values the tests compare the inspector with. Needs ffmpeg 5.x with
# libmp3lame, and jq. Keep the fixtures short: they are committed.
#
# Usage: internal/creative/testdata/gen.sh
set -euo pipefail
cd "$(dirname "$0")"
ff=(ffmpeg -hide_banner -loglevel error -nostdin -y)
chord="sine=f=523.25:r=48000[a];sine=f=659.25:r=48000[b];sine=f=196:r=48000[c];[a][b][c]amix=inputs=3"

# fixture <name> <lavfi graph> <seconds> <encoder args...>
fixture() {
	local name=$1 graph=$2 secs=$3
	shift 3
	"${ff[@]}" -f lavfi -i "$graph" -t "$secs" -c:a libmp3lame "$@" "$name.mp3"
}

fixture cbr128-stereo-44k "$chord,aformat=channel_layouts=stereo,aresample=44100,volume=-6dB" 3 -b:a 128k
fixture vbr-stereo-48k "anoisesrc=c=pink:r=48000:a=0.2,aformat=channel_layouts=stereo" 3 -q:a 4
# (go-mp3 v0.3.4 misdecodes 22.05 kHz mono at 32 kbit/s: peak +16 dB.)
fixture mono-22k "$chord,aresample=22050,volume=-12dB" 3 -ac 1 -b:a 64k
# MPEG-2.5: go-mp3 refuses it, so Inspect must report it unsupported.
fixture mono-8k-mpeg25 "$chord,aresample=8000" 2 -ac 1 -b:a 16k
fixture no-xing-no-id3-32k "$chord,aformat=channel_layouts=stereo,aresample=32000" 2 -b:a 64k -write_xing 0 -id3v2_version 0
fixture id3v1-trailer "$chord,aformat=channel_layouts=stereo,aresample=44100" 2 -b:a 96k -write_id3v1 1 -metadata title=fixture
fixture silence-padded "anullsrc=r=44100:cl=stereo[s1];sine=f=1000:r=44100,volume=-30dB,aformat=channel_layouts=stereo[t];anullsrc=r=44100:cl=stereo[s2];[s1]atrim=duration=1[a];[t]atrim=duration=2[b];[s2]atrim=duration=1[c];[a][b][c]concat=n=3:v=0:a=1" 4 -b:a 64k
fixture loud-noise "anoisesrc=c=white:r=44100:a=0.7,aformat=channel_layouts=stereo" 2 -b:a 128k
fixture digital-silence "anullsrc=r=44100:cl=mono" 2 -b:a 32k
# Layer II: must be refused, go-mp3 decodes Layer III only.
"${ff[@]}" -f lavfi -i "$chord" -t 1 -c:a mp2 -b:a 64k layer2.mp2

for f in *.mp3; do
	samples_bytes=$("${ff[@]}" -i "$f" -f s16le -c:a pcm_s16le - | wc -c)
	read -r rate ch < <(ffprobe -v error -show_entries stream=sample_rate,channels -of csv=p=0 "$f" | tr ',' ' ')
	out=$(ffmpeg -hide_banner -nostdin -nostats -i "$f" -af ebur128=peak=sample -f null - 2>&1)
	lufs=$(awk '/Integrated loudness:/ {f = 1} f && /I:/ {print $2; exit}' <<<"$out")
	peak=$(awk '/Sample peak:/ {f = 1} f && /Peak:/ {print $2; exit}' <<<"$out")
	[ "$peak" = "-inf" ] && peak=null
	jq -n --arg name "${f%.mp3}" --argjson n "$((samples_bytes / 2 / ch))" --argjson rate "$rate" \
		--argjson ch "$ch" --argjson lufs "$lufs" --argjson peak "$peak" \
		'{name: $name, samples: $n, sampleRate: $rate, channels: $ch, loudness: $lufs, samplePeak: $peak}'
done | jq -s 'INDEX(.name) | map_values(del(.name))' >ffmpeg.json
cat ffmpeg.json
