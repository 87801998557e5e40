package errchain

import (
	"errors"
	"testing"
)

var (
	errSentinel = errors.New("sentinel")
	errOther    = errors.New("other")
)

type codeError struct{ code int }

func (e *codeError) Error() string { return "code" }

type wrapper struct{ err error }

func (w wrapper) Error() string { return "wrap: " + w.err.Error() }
func (w wrapper) Unwrap() error { return w.err }

// isAll says it is every target.
type isAll struct{}

func (isAll) Error() string        { return "is all" }
func (isAll) Is(target error) bool { return true }

// asCode turns into a *codeError through its As method.
type asCode struct{}

func (asCode) Error() string { return "as code" }
func (asCode) As(target any) bool {
	if p, ok := target.(**codeError); ok {
		*p = &codeError{code: 7}
		return true
	}
	return false
}

// TestSameAsStandard checks As and Is against errors.As and errors.Is over
// the chain shapes the plugin meets.
func TestSameAsStandard(t *testing.T) {
	code := &codeError{code: 3}
	chains := []struct {
		name string
		err  error
	}{
		{"nil", nil},
		{"sentinel", errSentinel},
		{"other", errOther},
		{"typed", code},
		{"wrapped sentinel", wrapper{errSentinel}},
		{"wrapped twice", wrapper{wrapper{code}}},
		{"joined", errors.Join(errOther, wrapper{code}, errSentinel)},
		{"joined nothing matching", errors.Join(errOther, errors.New("x"))},
		{"Is method", wrapper{isAll{}}},
		{"As method", wrapper{asCode{}}},
	}
	for _, c := range chains {
		t.Run(c.name, func(t *testing.T) {
			for _, target := range []error{errSentinel, errOther} {
				if got, want := Is(c.err, target), errors.Is(c.err, target); got != want {
					t.Errorf("Is(%v) = %v, errors.Is says %v", target, got, want)
				}
			}
			var want *codeError
			wantOK := errors.As(c.err, &want)
			got, ok := As[*codeError](c.err)
			if ok != wantOK || got != want && (got == nil || want == nil || got.code != want.code) {
				t.Errorf("As = %v %v, errors.As says %v %v", got, ok, want, wantOK)
			}
		})
	}
}

// TestIsNilTarget: a nil target matches only a nil error, as errors.Is.
func TestIsNilTarget(t *testing.T) {
	if Is(errSentinel, nil) || !Is(nil, nil) {
		t.Fatal("nil target: want match only for a nil error")
	}
}
