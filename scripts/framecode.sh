# framecode.sh is sourced by the make-media scripts. It defines frame_code,
# which prints a filter chain stamping every frame with a machine-readable
# code so a test can tell from the pixels which frame is on screen.
#
# The code is one row of 16 cells, 16×16 px each, at x=384..640, y=336..352
# of a 640×360 frame (cell edges on the 16-px macroblock grid, so the
# encoder keeps them flat): cell 0 is always white (the code is present),
# cells 1-4 the asset number (most significant bit first), cells 5-15 the
# frame number within the asset (0-based, up to 2047). A cell is 1 when its
# luma is above mid-grey. web/qa/framecode.js reads it back.

FC_X=384 FC_Y=336 FC_CELL=16 FC_ASSET_BITS=4 FC_FRAME_BITS=11

# frame_code <asset number 1..15> prints ",drawbox=...": append it to a graph.
frame_code() {
	local asset=$1 i bit x
	printf ',drawbox=x=%d:y=%d:w=%d:h=%d:color=black:t=fill' "$FC_X" "$FC_Y" $((16 * FC_CELL)) "$FC_CELL"
	printf ',drawbox=x=%d:y=%d:w=%d:h=%d:color=white:t=fill' "$FC_X" "$FC_Y" "$FC_CELL" "$FC_CELL"
	for ((i = 0; i < FC_ASSET_BITS; i++)); do
		bit=$(((asset >> (FC_ASSET_BITS - 1 - i)) & 1))
		[ "$bit" = 1 ] || continue
		x=$((FC_X + (1 + i) * FC_CELL))
		printf ',drawbox=x=%d:y=%d:w=%d:h=%d:color=white:t=fill' "$x" "$FC_Y" "$FC_CELL" "$FC_CELL"
	done
	for ((i = 0; i < FC_FRAME_BITS; i++)); do
		x=$((FC_X + (1 + FC_ASSET_BITS + i) * FC_CELL))
		# Timeline expression: the box is drawn on frames whose bit is set.
		printf ",drawbox=x=%d:y=%d:w=%d:h=%d:color=white:t=fill:enable='mod(floor(n/%d),2)'" \
			"$x" "$FC_Y" "$FC_CELL" "$FC_CELL" $((1 << (FC_FRAME_BITS - 1 - i)))
	done
}

# Asset numbers of the bundled stream assets (the codes readers expect).
declare -A FC_ASSET=([main]=1 [ad-a]=2 [ad-b]=3 [ad-c]=4 [ad-d]=5 [slate]=6)
