// Package errchain is errors.As and errors.Is without package reflect.
//
// The standard functions check their target's type at run time through
// internal/reflectlite, which links about 10 KB (brotli) of type-walking
// code into the plugin's wasm. Here the type is a type parameter, so the
// check is a plain type assertion. The chain is walked as the standard
// library walks it: Unwrap() error and Unwrap() []error (depth first), and
// an error's own Is or As method is asked first.
package errchain

// As returns the first error in err's chain that is a T, or that sets a T
// through its As(any) bool method.
func As[T error](err error) (T, bool) {
	var t T
	ok := walk(err, func(e error) bool {
		if v, is := e.(T); is {
			t = v
			return true
		}
		if a, has := e.(interface{ As(any) bool }); has && a.As(&t) {
			return true
		}
		return false
	})
	return t, ok
}

// Is reports whether any error in err's chain equals target, or says it
// is target through its Is(error) bool method. Targets are compared with
// ==, so a target must be of a comparable type (the sentinels made with
// errors.New are pointers).
func Is(err, target error) bool {
	if err == nil || target == nil {
		return err == target
	}
	return walk(err, func(e error) bool {
		if e == target {
			return true
		}
		x, has := e.(interface{ Is(error) bool })
		return has && x.Is(target)
	})
}

// walk calls match on err and on the errors it wraps, depth first, until
// match returns true.
func walk(err error, match func(error) bool) bool {
	for err != nil {
		if match(err) {
			return true
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				if walk(e, match) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
