package timeline

// stableByKey sorts s by key ascending, keeping the order of equal keys.
// The merge sort runs on an index permutation in mergeOrder, which is not
// generic, so each element type adds only the small copy loop below to the
// plugin's wasm: a slices.SortStableFunc per element type cost about 7 KB
// of code each, five times over.
func stableByKey[T any](s []T, key func(*T) float64) {
	keys := make([]float64, len(s))
	for i := range s {
		keys[i] = key(&s[i])
	}
	tmp := make([]T, len(s))
	for i, o := range mergeOrder(keys) {
		tmp[i] = s[o]
	}
	copy(s, tmp)
}

// mergeOrder returns the indices of keys in stable ascending order (a
// bottom-up merge sort). NaN keys compare as equal to everything, so they
// stay where stability puts them.
func mergeOrder(keys []float64) []int32 {
	n := len(keys)
	a, b := make([]int32, n), make([]int32, n)
	for i := range a {
		a[i] = int32(i)
	}
	for w := 1; w < n; w *= 2 {
		for lo := 0; lo < n; lo += 2 * w {
			mid, hi := min(lo+w, n), min(lo+2*w, n)
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if keys[a[j]] < keys[a[i]] {
					b[k] = a[j]
					j++
				} else {
					b[k] = a[i]
					i++
				}
				k++
			}
			k += copy(b[k:], a[i:mid])
			copy(b[k:], a[j:hi])
		}
		a, b = b, a
	}
	return a
}
